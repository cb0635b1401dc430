// Provided resources: created once per execution environment on first use, shared, retried, disposed.

import { defineBrand } from "./util/brand.js";

/** Options of `api.provide`. */
export interface ProvideOptions<T> {
  /** Called with the value on SIGTERM, best effort. */
  dispose?: (value: T) => unknown;
}

/** A provided resource and its state, shared by every Api derived after `provide`. */
export interface Provider {
  readonly name: string;
  readonly factory: () => unknown;
  readonly dispose: ((value: never) => unknown) | undefined;
  state: { created: boolean; value: unknown; pending: Promise<unknown> | undefined };
}

const provideErrorBrand = defineBrand<ProvideError>("ProvideError");

/** A provided resource could not be created; the request answers 503 and the next one retries. */
export class ProvideError extends Error {
  static {
    provideErrorBrand.mark(ProvideError);
  }

  constructor(name: string, cause: unknown) {
    super(`Provided resource "${name}" could not be created`, { cause });
    this.name = "ProvideError";
  }
}

/** Whether `value` is a {@link ProvideError}, from this copy of the library or another. */
export const isProvideError: (value: unknown) => value is ProvideError = provideErrorBrand.is;

const created = new Set<Provider>();
let hooked = false;

/** Disposes every created resource, each at most once; errors are swallowed (best effort). */
export async function disposeAll(): Promise<void> {
  const list = [...created];
  created.clear();
  await Promise.allSettled(
    list.map(async (provider) => {
      const { value } = provider.state;
      provider.state = { created: false, value: undefined, pending: undefined };
      if (provider.dispose) await (provider.dispose as (v: unknown) => unknown)(value);
    }),
  );
}

function hookSigterm(): void {
  if (hooked || typeof process === "undefined" || typeof process.once !== "function") return;
  hooked = true;
  // Lambda sends SIGTERM before shutting an environment down only when an extension is
  // registered; the handler gives disposers 400 ms, inside Lambda's 500 ms shutdown window.
  process.once("SIGTERM", () => {
    const stop = setTimeout(() => process.exit(0), 400);
    disposeAll().finally(() => {
      clearTimeout(stop);
      process.exit(0);
    });
  });
}

/** Makes a provider record. */
export function makeProvider<T>(
  name: string,
  factory: () => T | Promise<T>,
  options: ProvideOptions<T> = {},
): Provider {
  return {
    name,
    factory,
    dispose: options.dispose as ((value: never) => unknown) | undefined,
    state: { created: false, value: undefined, pending: undefined },
  };
}

function create(provider: Provider): Promise<unknown> {
  const state = provider.state;
  state.pending ??= (async () => {
    try {
      const value = await provider.factory();
      provider.state = { created: true, value, pending: undefined };
      created.add(provider);
      hookSigterm();
      return value;
    } catch (error) {
      // Forget the failure so the next request tries again.
      provider.state = { created: false, value: undefined, pending: undefined };
      throw new ProvideError(provider.name, error);
    }
  })();
  return state.pending;
}

/**
 * Sets every provider's value on `target` by name. Synchronous once all exist; otherwise a
 * promise (concurrent first uses share one creation).
 * @throws ProvideError (via the promise) when a factory fails.
 */
export function provideInto(
  providers: readonly Provider[],
  target: Record<string, unknown>,
): void | Promise<void> {
  let waiting: Promise<unknown>[] | undefined;
  for (const provider of providers) {
    if (provider.state.created) target[provider.name] = provider.state.value;
    else (waiting ??= []).push(create(provider).then((value) => (target[provider.name] = value)));
  }
  if (waiting) return Promise.all(waiting).then(() => undefined);
}
