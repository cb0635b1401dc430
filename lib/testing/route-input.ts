// routeInput(parts): a complete route argument from a partial one, so a route function is tested by calling it.

import { type LogRecord, requestRecord } from "../access-log.js";
import type { Request } from "../request.js";
import type { IncomingRequest } from "../events/incoming.js";
import { LambdaRequest } from "../request.js";
import { ResponseState } from "../response.js";
import type { Simplify } from "../types.js";

/** The members every route argument has, with the types a route without schemas sees. */
export interface BaseRouteInput {
  body: unknown;
  query: Readonly<Record<string, string>>;
  params: Readonly<Record<string, string>>;
  headers: Readonly<Record<string, string>>;
  cookies: Readonly<Record<string, string>>;
  request: Request;
  response: ResponseState;
  log: LogRecord;
  signal: AbortSignal;
}

/**
 * A complete route argument: the defaults of {@link BaseRouteInput}, each replaced by the type
 * of the part given, and every other part given (provided resources, middleware additions) added.
 */
export type FullRouteInput<Parts> = Simplify<Omit<BaseRouteInput, keyof Parts> & Parts>;

const stringsOnly = (value: unknown): Record<string, string> | undefined => {
  if (typeof value !== "object" || value === null) return undefined;
  const out: Record<string, string> = {};
  for (const [key, one] of Object.entries(value)) if (typeof one === "string") out[key] = one;
  return out;
};

/** A `GET /` request carrying the given string headers, query and cookies, as a direct invocation. */
function syntheticRequest(parts: Readonly<Record<string, unknown>>): LambdaRequest {
  const headers = Object.fromEntries(
    Object.entries(stringsOnly(parts.headers) ?? {}).map(([name, v]) => [name.toLowerCase(), v]),
  );
  const cookies = Object.entries(stringsOnly(parts.cookies) ?? {});
  if (cookies.length > 0 && headers.cookie === undefined) {
    headers.cookie = cookies.map(([name, v]) => `${name}=${encodeURIComponent(v)}`).join("; ");
  }
  const query = Object.fromEntries(
    Object.entries(stringsOnly(parts.query) ?? {}).map(([name, v]) => [name, [v]]),
  );
  const incoming: IncomingRequest = {
    kind: "direct",
    method: "GET",
    path: "/",
    headers,
    query,
    cookies: undefined,
    body: undefined,
    isBase64Encoded: false,
    requestId: undefined,
    sourceIp: "127.0.0.1",
    multiValueHeaders: false,
  };
  const request = new LambdaRequest(incoming, { httpMethod: "GET", path: "/" }, undefined);
  request.params = stringsOnly(parts.params) ?? {};
  return request;
}

/**
 * Builds a complete, typed route argument from the parts a test cares about, so a route function
 * is unit-tested by calling it, with no event and no cast. Every part not given gets a default: no
 * body, empty `query`, `params`, `headers` and `cookies`, a real `request` for a synthetic
 * `GET /` (with the string headers, query, cookies and params given), a fresh `response`, a log
 * record (`method`, `path`, `id`) and a `signal` that is never aborted. Parts given as is
 * (provided resources, middleware additions) are passed through with their types.
 * @example
 * import { routeInput } from "aio-lambda-api/testing";
 * const getItem = ({ params }: RouteInput<"/items/{id}", {}>) => ({ id: params.id });
 * assert.deepEqual(getItem(routeInput({ params: { id: "1" } })), { id: "1" });
 */
export function routeInput<Parts extends object = {}>(parts?: Parts): FullRouteInput<Parts> {
  const given: Readonly<Record<string, unknown>> = parts === undefined ? {} : parts;
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    const got = given === null ? "null" : Array.isArray(given) ? "an array" : typeof given;
    throw new TypeError(
      `routeInput: the parts must be an object (params, query, body…), got ${got}`,
    );
  }
  const request = (given.request as Request | undefined) ?? syntheticRequest(given);
  const input: Record<string, unknown> = {
    body: undefined,
    query: request.query,
    params: request.params,
    headers: request.headers,
    cookies: request.cookies,
    request,
    response: new ResponseState(),
    log: requestRecord(request, undefined, undefined),
    signal: new AbortController().signal,
  };
  return Object.assign(input, given) as FullRouteInput<Parts>;
}
