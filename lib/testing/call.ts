// call(api, "GET /items/{id}", parts): one route of an Api run by its key, its inputs validated, without HTTP.

import { type LogRecord, recordStore } from "../access-log.js";
import type { Api } from "../api-types.js";
import { HTTPException } from "../errors.js";
import { validate } from "../input.js";
import { type Provider, provideInto } from "../provide.js";
import { requestOf } from "../events/incoming.js";
import { LambdaRequest } from "../request.js";
import type { RouteRecord } from "../route.js";
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
}

const RAW = new Set(["params", "query", "headers", "cookies", "body"]);

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
  const request = new LambdaRequest(
    incoming,
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
 * what it adds (`user`, say) as a part.
 * Resolves to what the route returned (a value, a Response), not to an HTTP answer.
 * @throws TypeError when the Api has no route of that key (naming the ones it has).
 * @throws HTTPException 422 with the issues as `detail` when validation fails; whatever the
 * route throws (its HTTPException, say) rejects as is.
 * @example
 * import { call } from "aio-lambda-api/testing";
 * const item = await call(api, "GET /items/{id}", { params: { id: "1" } });
 */
export async function call<Ctx extends object>(
  api: Api<Ctx>,
  key: RouteKey,
  parts: CallRequest & Readonly<Record<string, unknown>> = {},
): Promise<unknown> {
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
  const request = requestFor(route, parts);
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
    for (const name of ["body", "query", "params", "headers"] as const) {
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
  return recordStore().run(input.log as LogRecord, () => fn(input));
}
