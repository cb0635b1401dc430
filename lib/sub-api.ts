// What a mounted Api receives from the Api it is mounted in: the parent's resources, and the checks of the names it expects.

import type { State } from "./api.js";
import type { Provider } from "./provide.js";
import type { RouteRecord } from "./route.js";
import { type MiddlewareRecord, type Next, RESERVED } from "./use.js";
import { describeValue, quote } from "./util/describe.js";

/**
 * Checks `createApi({ expects })`: a non-empty array of names that are not route input keys.
 * @returns the frozen names, or undefined when absent.
 * @throws TypeError naming the value otherwise.
 */
export function checkExpects(expects: unknown): readonly string[] | undefined {
  if (expects === undefined) return undefined;
  if (!Array.isArray(expects) || expects.length === 0) {
    throw new TypeError(
      `expects must be a non-empty array of the names a mounted Api receives, got ${describeValue(expects)}`,
    );
  }
  expects.forEach((name: unknown, i) => {
    if (typeof name !== "string" || name === "" || RESERVED.has(name)) {
      throw new TypeError(
        `expects[${i}] must be a name that is not a route input key (like "body"), got ${describeValue(name)}`,
      );
    }
  });
  return Object.freeze([...new Set(expects as string[])]);
}

/** `own` after the parent's providers, a name the mounted Api provides itself keeping its own. */
function merge(parent: readonly Provider[], own: readonly Provider[]): readonly Provider[] {
  const names = new Set(own.map((p) => p.name));
  return Object.freeze([...parent.filter((p) => !names.has(p.name)), ...own]);
}

/**
 * A mounted Api's routes as they serve inside the parent: each route and each middleware of its
 * chain also see the resources the parent provided before the mount. A middleware shared by
 * several routes stays one record (a 405 or preflight runs the middleware all routes share).
 */
export function withParentProviders(
  routes: readonly RouteRecord[],
  parent: readonly Provider[],
): readonly RouteRecord[] {
  if (parent.length === 0) return routes;
  const copies = new Map<MiddlewareRecord, MiddlewareRecord>();
  const copy = (record: MiddlewareRecord): MiddlewareRecord => {
    let made = copies.get(record);
    if (!made) {
      made = Object.freeze({ ...record, providers: merge(parent, record.providers) });
      copies.set(record, made);
    }
    return made;
  };
  return routes.map((route) =>
    Object.freeze({
      ...route,
      providers: merge(parent, route.providers),
      ...(route.use ? { use: Object.freeze(route.use.map(copy)) } : {}),
    }),
  );
}

/**
 * The parent's middleware that wraps a mounted Api, with a last step when the mounted Api
 * expects names the parent does not provide: middleware must add them, which only a request can
 * tell, so that step fails a request reaching a route without them (a 500 naming them).
 * @throws TypeError when the parent neither provides an expected name, nor expects it itself,
 * nor has middleware registered before the mount that could add it.
 */
export function mountAround(
  prefix: string,
  parent: State,
  expects: readonly string[] | undefined,
): readonly MiddlewareRecord[] | undefined {
  const around = parent.middleware;
  const provided = new Set(parent.providers.map((p) => p.name));
  const added = (expects ?? []).filter((name) => !provided.has(name));
  if (added.length === 0) return around;
  const inherited = new Set(parent.expects ?? []);
  const orphans = added.filter((name) => !inherited.has(name));
  if (orphans.length > 0 && !around?.length) {
    throw new TypeError(
      `mount(${quote(prefix)}): the mounted Api expects ${orphans.map((n) => quote(n)).join(", ")}, which this Api neither provides before the mount nor has middleware to add`,
    );
  }
  const check = (input: Record<string, unknown>, next: Next) => {
    // No route matched (a 405 or a preflight on a mounted path): nothing reads the names.
    if (input.route !== undefined) {
      const missing = added.filter((name) => !(name in input));
      if (missing.length > 0) {
        throw new TypeError(
          `${(input.request as { method: string }).method} ${String(input.route)}: the Api mounted at ${quote(prefix)} expects ${missing.map((n) => quote(n)).join(", ")}, which no middleware before the mount added`,
        );
      }
    }
    return next();
  };
  const record: MiddlewareRecord = Object.freeze({
    fn: check as MiddlewareRecord["fn"],
    providers: parent.providers,
    scope: "api",
  });
  return Object.freeze([...(around ?? []), record]);
}
