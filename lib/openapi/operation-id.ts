// operationIds: the routes' own, checked unique, else derived from method and path (`getItemsById`).

import type { RouteRecord } from "../route.js";
import { describeValue, quote } from "../util/describe.js";

/** Words of a path segment, each capitalized: `user-profiles` → `UserProfiles`. */
function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join("");
}

/**
 * The operationId a route gets when it declares none: the method in lower case, then each
 * static segment capitalized and each parameter as `By<Name>`: `GET /items/{id}` is
 * `getItemsById`, `GET /` is `getRoot`.
 */
export function deriveOperationId(route: RouteRecord): string {
  const words = route.parsed.segments.map((segment) =>
    segment.kind === "static" ? pascal(segment.value) : `By${pascal(segment.name)}`,
  );
  const path = words.join("");
  return `${route.method.toLowerCase()}${path === "" ? "Root" : path}`;
}

/**
 * The operationId of each route, in order. Declared ids come first and must be unique; a
 * derived id that is already taken gets a number (`getItemsList2`).
 * @throws TypeError naming both routes when two declare the same operationId.
 */
export function operationIds(routes: readonly RouteRecord[]): string[] {
  const owner = new Map<string, RouteRecord>();
  for (const route of routes) {
    const id = route.options.operationId;
    if (id === undefined) continue;
    if (typeof id !== "string" || id === "") {
      throw new TypeError(
        `${route.name}: operationId must be a non-empty string, got ${describeValue(id)}`,
      );
    }
    const first = owner.get(id);
    if (first) {
      throw new TypeError(
        `operationId ${quote(id)} is declared by both ${first.name} and ${route.name}; operationIds must be unique`,
      );
    }
    owner.set(id, route);
  }
  return routes.map((route) => {
    const declared = route.options.operationId;
    if (typeof declared === "string") return declared;
    const base = deriveOperationId(route);
    let id = base;
    for (let n = 2; owner.has(id); n++) id = `${base}${n}`;
    owner.set(id, route);
    return id;
  });
}
