// Error hooks (`onError`, `notFound`, `methodNotAllowed`) as registered, checked at registration.

import { describeValue } from "./util/describe.js";

/** Any class whose instances an error hook handles. */
export type ErrorClass<E = unknown> = abstract new (...args: never[]) => E;

/** An `onError` registration. */
export interface ErrorHook {
  readonly type: ErrorClass;
  readonly fn: (error: never, input: never) => unknown;
}

/** The hooks of an Api: `onError` in registration order, `notFound`, `methodNotAllowed`. */
export interface Hooks {
  readonly errors: readonly ErrorHook[];
  readonly notFound?: (input: never) => unknown;
  readonly methodNotAllowed?: (input: never) => unknown;
}

/**
 * Adds an `onError` hook.
 * @throws TypeError when `type` is not a class or `fn` not a function.
 */
export function withErrorHook(hooks: Hooks | undefined, type: unknown, fn: unknown): Hooks {
  const isClass =
    typeof type === "function" && typeof (type as { prototype?: unknown }).prototype === "object";
  if (!isClass) {
    throw new TypeError(
      `onError: the first argument must be an error class, got ${describeValue(type)}`,
    );
  }
  if (typeof fn !== "function") {
    throw new TypeError(`onError: the hook must be a function, got ${describeValue(fn)}`);
  }
  const hook: ErrorHook = Object.freeze({ type: type as ErrorClass, fn: fn as ErrorHook["fn"] });
  return Object.freeze({ ...hooks, errors: Object.freeze([...(hooks?.errors ?? []), hook]) });
}

/**
 * Sets the `notFound` or `methodNotAllowed` hook.
 * @throws TypeError when `fn` is not a function.
 */
export function withAnswerHook(
  hooks: Hooks | undefined,
  kind: "notFound" | "methodNotAllowed",
  fn: unknown,
): Hooks {
  if (typeof fn !== "function") {
    throw new TypeError(`${kind}: expected a function, got ${describeValue(fn)}`);
  }
  return Object.freeze({ errors: Object.freeze([]), ...hooks, [kind]: fn });
}
