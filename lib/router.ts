// (method, path) → route and parameters, or a 404 / 405 / 400 outcome; cost grows with depth, not routes.

import type { ParsedTemplate } from "./route.js";

/** What the router needs of a route. */
export interface Routable {
  readonly method: string;
  readonly parsed: ParsedTemplate;
}

/** The outcome of matching one request. */
export type Match<R extends Routable> =
  | { readonly kind: "route"; readonly route: R; readonly params: Record<string, string> }
  | {
      readonly kind: "method";
      readonly allow: readonly string[];
      /** The routes the path has (for other methods): a 405 or preflight runs their middleware. */
      readonly routes: readonly R[];
    }
  | { readonly kind: "none" }
  | { readonly kind: "bad-path" };

interface Node<R> {
  readonly children: Map<string, Node<R>>;
  param: Node<R> | undefined;
  greedy: Map<string, R> | undefined;
  methods: Map<string, R> | undefined;
}

/** Matches requests against a fixed set of routes. */
export interface Router<R extends Routable> {
  /**
   * Finds the route for `method` and `path`. A path still percent-encoded is split on `/`, then
   * each segment is decoded once; bad encoding is `bad-path`.
   * @param decoded the path arrives percent-decoded already (HTTP APIs deliver it so): it is
   * split on `/` and taken as it is, never decoded again, so a `%` in it is never `bad-path`.
   */
  match(method: string, path: string, decoded?: boolean): Match<R>;
}

const newNode = <R>(): Node<R> => ({
  children: new Map(),
  param: undefined,
  greedy: undefined,
  methods: undefined,
});

/** Collects the routes of every template a path matches (for `Allow`); never accepts one. */
type Collect = Set<unknown>;

/** The route for `method` (a `HEAD` falls back to `GET`), or each method into `Allow`. */
function accept<R>(methods: Map<string, R>, method: string | Collect): R | undefined {
  if (typeof method !== "string") {
    for (const route of methods.values()) method.add(route);
    return undefined;
  }
  return methods.get(method) ?? (method === "HEAD" ? methods.get("GET") : undefined);
}

function search<R>(
  node: Node<R>,
  segs: readonly string[],
  i: number,
  values: string[],
  method: string | Collect,
): R | undefined {
  if (i === segs.length) {
    return node.methods ? accept(node.methods, method) : undefined;
  }
  const seg = segs[i]!;
  const child = node.children.get(seg);
  if (child) {
    const found = search(child, segs, i + 1, values, method);
    if (found) return found;
  }
  if (node.param && seg !== "") {
    values.push(seg);
    const found = search(node.param, segs, i + 1, values, method);
    if (found) return found;
    values.pop();
  }
  // A greedy parameter needs at least one non-empty segment: `/files//` is not `/files/{p+}`.
  if (node.greedy && !(seg === "" && i === segs.length - 1)) {
    const found = accept(node.greedy, method);
    if (found) {
      values.push(segs.slice(i).join("/"));
      return found;
    }
  }
  return undefined;
}

function allowOf(routes: readonly Routable[]): string[] {
  const allow = new Set(routes.map((route) => route.method));
  if (allow.has("GET")) allow.add("HEAD");
  allow.add("OPTIONS");
  return [...allow].sort();
}

/** The path without its leading and trailing slash: the static map's key (`/a/b/` → `a/b`). */
function trimSlashes(path: string): string {
  const start = path.charCodeAt(0) === 47 ? 1 : 0;
  const end =
    path.length > start && path.charCodeAt(path.length - 1) === 47 ? path.length - 1 : path.length;
  return start === 0 && end === path.length ? path : path.slice(start, end);
}

/**
 * Splits a path into segments, each percent-decoded once unless the path is `decoded` already.
 * @returns undefined when the encoding is bad (never for a `decoded` path)
 */
export function splitPath(path: string, decoded = false): string[] | undefined {
  if (path === "/" || path === "") return [];
  const segs = trimSlashes(path).split("/");
  if (decoded || !path.includes("%")) return segs;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    if (seg.includes("%")) {
      try {
        segs[i] = decodeURIComponent(seg);
      } catch {
        return undefined;
      }
    }
  }
  return segs;
}

/**
 * Builds a router. Static routes sit in a map keyed by path; the rest in a segment trie where
 * a static segment beats `{param}`, which beats `{greedy+}`, backtracking when a branch fails.
 * A `HEAD` request falls back to the `GET` route of its path.
 * @throws TypeError when two routes have the same method and path shape: an assertion only, since
 * registration refuses such routes first (`checkClash` in route.ts) with the message users see.
 */
export function createRouter<R extends Routable>(routes: readonly R[]): Router<R> {
  const root = newNode<R>();
  const statics = new Map<string, Map<string, R>>();
  for (const route of routes) {
    let node = root;
    let isStatic = true;
    let target: Map<string, R> | undefined;
    for (const seg of route.parsed.segments) {
      if (seg.kind === "static") {
        let next = node.children.get(seg.value);
        if (!next) node.children.set(seg.value, (next = newNode()));
        node = next;
      } else if (seg.kind === "param") {
        isStatic = false;
        node.param ??= newNode();
        node = node.param;
      } else {
        isStatic = false;
        node.greedy ??= new Map();
        target = node.greedy;
      }
    }
    if (!target) {
      node.methods ??= new Map();
      target = node.methods;
    }
    const existing = target.get(route.method);
    if (existing) {
      throw new TypeError(
        `${route.method} ${route.parsed.template} clashes with ${existing.method} ${existing.parsed.template}`,
      );
    }
    target.set(route.method, route);
    if (isStatic) {
      const key = route.parsed.segments.map((s) => (s.kind === "static" ? s.value : "")).join("/");
      let byMethod = statics.get(key);
      if (!byMethod) statics.set(key, (byMethod = new Map()));
      byMethod.set(route.method, route);
    }
  }

  return {
    match(method, path, decoded = false) {
      // Without `%` to decode, the trimmed path is the static key as it is: no split, no join.
      const encoded = !decoded && path.includes("%");
      if (!encoded) {
        const byMethod = statics.get(trimSlashes(path));
        const direct = byMethod && accept(byMethod, method);
        if (direct) return { kind: "route", route: direct, params: {} };
      }
      const segs = splitPath(path, decoded);
      if (!segs) return { kind: "bad-path" };
      // A decoded `%2F` stays inside its segment, so such a path must not hit the static map,
      // whose keys join segments with "/" (`/a%2Fb` is one segment, never the route `/a/b`).
      if (encoded && !segs.some((s) => s.includes("/"))) {
        const byMethod = statics.get(segs.join("/"));
        const direct = byMethod && accept(byMethod, method);
        if (direct) return { kind: "route", route: direct, params: {} };
      }
      const values: string[] = [];
      const route = search(root, segs, 0, values, method);
      if (route) {
        const params: Record<string, string> = {};
        const names = route.parsed.paramNames;
        for (let i = 0; i < names.length; i++) params[names[i]!] = values[i]!;
        return { kind: "route", route, params };
      }
      // Allow lists the methods of every template the path matches, not only the first found.
      const allowed: Collect = new Set();
      search(root, segs, 0, [], allowed);
      if (allowed.size === 0) return { kind: "none" };
      const routes = [...allowed] as R[];
      return { kind: "method", allow: allowOf(routes), routes };
    },
  };
}
