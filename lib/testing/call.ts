// call(api, "GET /items/{id}", parts): one route of an Api run by its key, its inputs validated, without HTTP, typed from the Api's routes.

import { type LogRecord, recordStore } from "../access-log.js";
import type * as v from "valibot";
import type { Api, RouteEntry } from "../api-types.js";
import type { JwtAuth } from "../auth.js";
import { HTTPException } from "../errors.js";
import { validate } from "../input.js";
import { type Provider, provideInto } from "../provide.js";
import { requestOf } from "../events/incoming.js";
import { LambdaRequest } from "../request.js";
import type { RouteRecord } from "../route.js";
import type { AnySchema, PathParams, Simplify } from "../types.js";
import type { UseAdded, WithAdded } from "../use.js";
import { quote } from "../util/describe.js";
import { routeInput } from "./route-input.js";

/** An HTTP method as route keys spell it. */
export type RouteMethodName = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

/** A route's key: its method and path template, as `api.routes` names it (`GET /items/{id}`). */
export type RouteKey = `${RouteMethodName} /${string}`;

/** The raw parts of a request for {@link call}, validated by the route's schemas. */
export interface CallRequest {
  /** Path parameters, as strings (decoded), as the path would give them. */
  params?: Readonly<Record<string, string>>;
  /** Query values; arrays give a key every value. */
  query?: Readonly<Record<string, string | readonly string[]>>;
  headers?: Readonly<Record<string, string>>;
  cookies?: Readonly<Record<string, string>>;
  /** A string or bytes as is; anything else is sent as JSON. */
  body?: unknown;
  /**
   * The claims of a JWT authorizer, for a route with the `claims` option (checked by its schema):
   * the request's `request.auth` is `{ kind: "jwt", claims, scopes }`, the scopes read from the
   * `scope` claim. Without them such a route rejects with a 401.
   */
  claims?: Readonly<Record<string, unknown>>;
}

/** A part of {@link CallParts}: required unless its type takes `undefined`. */
type Part<Name extends string, T> = undefined extends T ? { [K in Name]?: T } : { [K in Name]: T };

/**
 * The parts {@link call} takes for one route, typed from it: `params` (required when its path has
 * some), the input of its `body` and `claims` schemas, and what its context holds (resources it
 * provides, made unless given; what middleware add), each optional.
 */
export type CallParts<E> =
  E extends RouteEntry<infer Path, infer O, infer Ctx>
    ? Simplify<
        Omit<CallRequest, "params" | "body" | "claims"> &
          ([keyof PathParams<Path>] extends [never]
            ? { params?: Readonly<Record<string, never>> }
            : { params: Readonly<PathParams<Path>> }) &
          (O extends { body: infer S extends AnySchema }
            ? Part<"body", v.InferInput<S>>
            : { body?: unknown }) & {
            claims?: O extends { claims: infer S extends AnySchema }
              ? // A token carries more claims than the schema names (`scope`, say).
                v.InferInput<S> & Readonly<Record<string, unknown>>
              : Readonly<Record<string, unknown>>;
          } & Partial<WithAdded<Ctx, UseAdded<O>>>
      >
    : CallRequest & Readonly<Record<string, unknown>>;

/** What {@link call} resolves to for one route: what its function returns, awaited. */
export type CallResult<E> =
  E extends RouteEntry<string, unknown, unknown, infer R> ? Awaited<R> : unknown;

/** The keys {@link call} takes: the Api's routes, or any route key when its type records none. */
type KeyOf<Routes> = [keyof Routes] extends [never] ? RouteKey : keyof Routes & RouteKey;

/** The entry of `key` in `Routes`, or none for an Api whose type records no routes. */
type EntryOf<Routes, K> = K extends keyof Routes ? Routes[K] : undefined;

const RAW = new Set(["params", "query", "headers", "cookies", "body", "claims"]);

/** The path a request for `template` would have, each parameter percent-encoded. */
function pathOf(route: RouteRecord, params: Readonly<Record<string, string>>): string {
  const parts = route.parsed.segments.map((segment) => {
    if (segment.kind === "static") return segment.value;
    const value = params[segment.name] ?? "";
    return segment.kind === "greedy"
      ? value.split("/").map(encodeURIComponent).join("/")
      : encodeURIComponent(value);
  });
  return `/${parts.join("/")}`;
}

/** A JWT authorizer's data made of claims, the scopes read from the `scope` claim as the gateway's. */
function jwtOf(claims: Readonly<Record<string, unknown>>): JwtAuth {
  const scope = claims.scope;
  const scopes = typeof scope === "string" ? scope.split(" ").filter(Boolean) : [];
  return { kind: "jwt", claims, scopes };
}

function requestFor(route: RouteRecord, parts: CallRequest): LambdaRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(parts.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  const cookies = Object.entries(parts.cookies ?? {});
  if (cookies.length > 0) {
    headers.cookie = cookies.map(([name, v]) => `${name}=${encodeURIComponent(v)}`).join("; ");
  }
  const query: Record<string, readonly string[]> = {};
  for (const [name, value] of Object.entries(parts.query ?? {})) {
    query[name] = typeof value === "string" ? [value] : [...value];
  }
  const params = parts.params ?? {};
  const incoming = requestOf({
    method: route.method,
    path: pathOf(route, params),
    headers,
    query,
    body: parts.body,
    sourceIp: "127.0.0.1",
  });
  const claims = parts.claims;
  const request = new LambdaRequest(
    claims === undefined ? incoming : { ...incoming, auth: () => jwtOf(claims) },
    { httpMethod: route.method, path: incoming.path },
    undefined,
  );
  request.params = { ...params };
  return request;
}

/**
 * Runs one route of an Api by its key (`"GET /items/{id}"`, as `api.routes` names it) without
 * HTTP: the raw `params`, `query`, `headers`, `cookies` and `body` given are validated by the
 * route's schemas, its provided resources are created (unless given by name), and the route
 * function is called, `getLogger()` inside it giving its `log`. Middleware does not run: give
 * what it adds (`user`, say) as a part. `claims` become a JWT authorizer's, for a route with
 * the `claims` option. Typed from the routes the Api's type records: the key must be one of
 * them, the parts are {@link CallParts} of that route.
 * Resolves to what the route returned (a value, a Response), not to an HTTP answer.
 * @throws TypeError when the Api has no route of that key (naming the ones it has).
 * @throws HTTPException 422 with the issues as `detail` when validation fails; 401 without
 * claims and 403 when they fail, for a route with a `claims` schema; whatever the route throws
 * (its HTTPException, say) rejects as is.
 * @example
 * import { call } from "aio-lambda-api/testing";
 * const item = await call(api, "GET /items/{id}", { params: { id: "1" } });
 */
export async function call<
  Ctx extends object,
  Needs extends object,
  Routes extends object,
  const K extends KeyOf<Routes>,
>(
  api: Api<Ctx, Needs, Routes>,
  key: K,
  ...[parts = {} as CallParts<EntryOf<Routes, K>>]: {} extends CallParts<EntryOf<Routes, K>>
    ? [parts?: CallParts<EntryOf<Routes, K>>]
    : [parts: CallParts<EntryOf<Routes, K>>]
): Promise<CallResult<EntryOf<Routes, K>>> {
  const routes: readonly RouteRecord[] | undefined = api?.routes;
  if (!Array.isArray(routes)) {
    throw new TypeError("call: the first argument must be an Api made by createApi()");
  }
  const route = routes.find((one) => one.name === key);
  if (!route) {
    const known = routes.map((one) => one.name);
    const has =
      known.length > 0
        ? `it has ${known
            .slice(0, 10)
            .map((k) => quote(k))
            .join(", ")}${known.length > 10 ? ", …" : ""}`
        : "it has none";
    throw new TypeError(`call: the Api has no route ${quote(String(key))}; ${has}`);
  }
  const request = requestFor(route, parts as CallRequest);
  const additions = Object.fromEntries(Object.entries(parts).filter(([name]) => !RAW.has(name)));
  const input: Record<string, unknown> = routeInput({ request, ...additions });
  // Without a body schema the body is read on first use, as the pipeline does: a route that never
  // reads a malformed body is not failed by it.
  Object.defineProperty(input, "body", {
    get: () => request.readBody(),
    configurable: true,
    enumerable: true,
  });
  if (route.validates) {
    const checked = await validate(route.input, request);
    if (!checked.ok) throw new HTTPException(422, checked.issues);
    for (const name of ["body", "query", "params", "headers", "claims"] as const) {
      if (name in checked) {
        Object.defineProperty(input, name, {
          value: checked[name],
          writable: true,
          enumerable: true,
        });
      }
    }
  }
  const providers = route.providers.filter((provider: Provider) => !(provider.name in additions));
  await provideInto(providers, input);
  // getLogger() inside the route (and what it starts) gives the same record as `log`.
  const fn = route.fn as (input: unknown) => unknown;
  return recordStore().run(input.log as LogRecord, () => fn(input)) as CallResult<
    EntryOf<Routes, K>
  >;
}
