// api.mount: another Api's routes under a path prefix, keeping their own middleware, hooks and providers.

import type { MiddlewareRecord } from "./use.js";
import type { ErrorHook } from "./hooks.js";
import { checkClash, joinPath, parseTemplate, type RouteRecord } from "./route.js";
import { describeValue, quote } from "./util/describe.js";

/** What a mounted Api brings along. */
export interface MountSource {
  /** Its routes (its docs routes excluded: they describe unprefixed paths). */
  readonly routes: readonly RouteRecord[];
  /** Its `onError` hooks: checked for its routes before the parent's. */
  readonly errorHooks: readonly ErrorHook[] | undefined;
  /** Its `createApi({ timeoutMs })`, kept for its routes without their own. */
  readonly timeoutMs: number | undefined;
}

/**
 * The routes of `source` under `prefix`, each wrapped in `around` (the parent's middleware
 * registered before the mount) outside its own chain.
 * @throws TypeError when the prefix is not a static path starting with "/", or when a route
 * clashes with one already registered (the message names both).
 */
export function mountRoutes(
  prefix: unknown,
  source: MountSource,
  around: readonly MiddlewareRecord[] | undefined,
  existing: readonly RouteRecord[],
): RouteRecord[] {
  if (typeof prefix !== "string" || !prefix.startsWith("/") || /[{}]/.test(prefix)) {
    throw new TypeError(
      `mount: the prefix must be a static path starting with "/" (parameters belong to the mounted routes), got ${describeValue(prefix)}`,
    );
  }
  parseTemplate(prefix);
  const added: RouteRecord[] = [];
  for (const route of source.routes) {
    const parsed = parseTemplate(joinPath(prefix, route.parsed.template));
    const name = `${route.method} ${parsed.template}`;
    const origin = `mount(${quote(prefix)}): ${name} (${route.name} of the mounted Api)`;
    checkClash([...existing, ...added], route.method, parsed, origin);
    const use = around?.length ? Object.freeze([...around, ...(route.use ?? [])]) : route.use;
    const errorHooks = source.errorHooks?.length
      ? Object.freeze([...(route.errorHooks ?? []), ...source.errorHooks])
      : route.errorHooks;
    const mounted: RouteRecord = {
      ...route,
      parsed,
      name,
      timeoutMs: route.timeoutMs ?? source.timeoutMs,
    };
    added.push(
      Object.freeze({
        ...mounted,
        ...(use ? { use } : {}),
        ...(errorHooks ? { errorHooks } : {}),
      }),
    );
  }
  return added;
}
