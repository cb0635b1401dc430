// Middleware as users write and register it: the types that carry their additions, defineMiddleware, the checks at registration.

import type { LogRecord } from "./access-log.js";
import type { Provider } from "./provide.js";
import type { Request } from "./request.js";
import type { Response, ResponseState } from "./response.js";
import type { Simplify } from "./types.js";
import { describeValue } from "./util/describe.js";

declare const ADDED: unique symbol;

/**
 * What `next()` resolves to: the answer of the rest of the chain as a Response whose `content` is
 * the rendered body (a string, bytes, or undefined for none). Change it or return another value.
 * The type also carries, for inference only, the fields the middleware added to the route input.
 */
export type Answer<Added extends object = {}> = Response<string | Uint8Array | undefined> & {
  readonly [ADDED]?: Added;
};

/** The route input keys that middleware additions and provided resources may not take. */
const RESERVED_KEYS = [
  "body",
  "query",
  "params",
  "headers",
  "cookies",
  "request",
  "response",
  "log",
  "signal",
  "route",
  "allow",
] as const;

/** Route input names a middleware cannot add or replace. */
export type ReservedKey = (typeof RESERVED_KEYS)[number];

/**
 * Runs the rest of the chain (later middleware, then the route), with `additions` merged into the
 * route input; resolves to its answer, error answers included (404, 422, an `HTTPException`, a
 * mapped `onError`). Call it at most once.
 */
export type Next = <Added extends object = {}>(
  additions?: Added & { readonly [K in ReservedKey]?: ReservedAddition<K> },
) => Promise<Answer<Added>>;

/**
 * The type a route input key takes in `next()`'s additions: no value has it, so `next({ body })`
 * is a type error whose message says why (an object, not `never`, which would hide it).
 */
export type ReservedAddition<K extends ReservedKey> = {
  readonly error: `"${K}" is a route input key: add it under another name`;
};

/** What every middleware receives, whatever the route. */
export interface MiddlewareBase {
  /** The query as sent, one value per key: a route's schema has not run yet. */
  readonly query: Readonly<Record<string, string>>;
  /** Path parameters of the matched route (`{}` when no route matched). */
  readonly params: Readonly<Record<string, string>>;
  /** Lowercase header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: Readonly<Record<string, string>>;
  readonly request: Request;
  /** The route's response state: headers and cookies set here reach the answer. */
  readonly response: ResponseState;
  /** The access-log record of this request (same as getLogger()). */
  readonly log: LogRecord;
  /** Aborted when the route's timeout is reached. */
  readonly signal: AbortSignal;
  /** The template of the matched route (`/items/{id}`); undefined when no route matched. */
  readonly route: string | undefined;
  /** When the path has routes but none for this method (405, `OPTIONS`): their methods. */
  readonly allow: readonly string[] | undefined;
}

/** A middleware's input: the base fields, plus what was provided and added before it. */
export type MiddlewareInput<Ctx extends object = {}> = Simplify<
  Omit<Ctx, keyof MiddlewareBase> & MiddlewareBase
>;

/**
 * A middleware: runs before and after the rest of the chain, which it reaches with `next()`. It
 * may return what `next()` gave (changed or not), anything a route may return, or throw.
 */
export type Middleware<Ctx extends object = {}, R = unknown> = (
  input: MiddlewareInput<Ctx>,
  next: Next,
) => R;

type AddedOf<T> = T extends { readonly [ADDED]?: infer A }
  ? unknown extends A
    ? never
    : A
  : never;

/** The fields a middleware returning `R` adds to the route input (`{}` when none). */
export type AddedBy<R> = [AddedOf<Awaited<R>>] extends [never] ? {} : AddedOf<Awaited<R>>;

/** `Ctx` with `Added` merged in, later fields winning. */
export type WithAdded<Ctx, Added> = Simplify<Omit<Ctx, keyof Added> & Added>;

type Box<M> = M extends (...args: never[]) => infer R ? { added: AddedBy<R> } : never;
type Intersect<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

/** The fields the middleware of a route's `use` option add, all together. */
export type UseAdded<O> = O extends { use: readonly (infer M)[] }
  ? Intersect<Box<M>> extends { added: infer A }
    ? A
    : {}
  : {};

/**
 * Types a reusable middleware without annotations, so it can go in a route's `use` option (where
 * an inline arrow function would lose its types) and its additions still reach the route.
 * @example
 * const auth = defineMiddleware(async ({ headers }, next) =>
 *   next({ user: await verify(headers.authorization) }),
 * );
 * api.get("/me", ({ user }) => user, { use: [auth] });
 */
export function defineMiddleware<R>(middleware: Middleware<{}, R>): Middleware<{}, R> {
  if (typeof middleware !== "function") {
    throw new TypeError(`defineMiddleware: expected a function, got ${describeValue(middleware)}`);
  }
  return middleware;
}

/** A middleware as registered: the function and the resources provided before it. */
export interface MiddlewareRecord {
  readonly fn: (input: never, next: Next) => unknown;
  /** The providers registered before it: its input holds them. */
  readonly providers: readonly Provider[];
  /** `"api"` from `api.use`, `"route"` from a route's `use` option. */
  readonly scope: "api" | "route";
}

/** {@link ReservedKey} as a set, for the checks at run time. */
export const RESERVED: ReadonlySet<string> = new Set<string>(RESERVED_KEYS);

/**
 * Checks and records one middleware.
 * @param where how errors name it: `use` or `GET /items use[1]`
 * @throws TypeError when `fn` is not a function.
 */
export function middlewareRecord(
  fn: unknown,
  providers: readonly Provider[],
  scope: "api" | "route",
  where: string,
): MiddlewareRecord {
  if (typeof fn !== "function") {
    throw new TypeError(`${where}: a middleware must be a function, got ${describeValue(fn)}`);
  }
  return Object.freeze({ fn: fn as MiddlewareRecord["fn"], providers, scope });
}

/**
 * The middleware chain of a new route: the Api's middleware registered so far, then the route's
 * own `use` option; undefined when there are none.
 * @throws TypeError naming the route when `use` is not an array of functions.
 */
export function routeChain(
  name: string,
  api: readonly MiddlewareRecord[] | undefined,
  use: unknown,
  providers: readonly Provider[],
): readonly MiddlewareRecord[] | undefined {
  if (use !== undefined && !Array.isArray(use)) {
    throw new TypeError(`${name}: use must be an array of middleware, got ${describeValue(use)}`);
  }
  const own = (use ?? []).map((fn: unknown, i: number) =>
    middlewareRecord(fn, providers, "route", `${name} use[${i}]`),
  );
  if (own.length === 0) return api && api.length > 0 ? api : undefined;
  return Object.freeze([...(api ?? []), ...own]);
}

/**
 * Merges a middleware's additions into the route input.
 * @throws TypeError when `additions` is not a plain object or names a route input key.
 */
export function addTo(input: Record<string, unknown>, additions: unknown): void {
  if (typeof additions !== "object" || additions === null || Array.isArray(additions)) {
    throw new TypeError(`next(): additions must be an object, got ${describeValue(additions)}`);
  }
  for (const key of Object.keys(additions)) {
    // "__proto__" as an own key (from JSON.parse) would replace the input's prototype.
    if (RESERVED.has(key) || key === "__proto__") {
      throw new TypeError(
        `next(): cannot add ${JSON.stringify(key)}, a route input key; use another name`,
      );
    }
    input[key] = (additions as Record<string, unknown>)[key];
  }
}
