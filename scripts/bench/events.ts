// The benchmark's requests: real API Gateway REST (1.0) and HTTP API (2.0) events, edited to the app's paths.

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Where the real AWS event samples live: the copy kept in the repository under spec/fixtures. */
const FIXTURES = fileURLToPath(new URL("../../spec/fixtures/aws-events/", import.meta.url));

type Json = Record<string, unknown>;

/** The event formats every contestant is measured on. */
export const FORMATS = ["v1", "v2"] as const;
export type Format = (typeof FORMATS)[number];

/** The requests of the app: a GET, a POST, an unknown path, and a body that must be refused. */
export const REQUESTS = ["get", "post", "missing", "invalid"] as const;
export type RequestName = (typeof REQUESTS)[number];

/** A request's case name: `v2 GET`, `v1 POST`, … */
export type CaseName = `${Format} ${RequestName}`;

/** The body the POST sends (a valid item) and the one that must be refused (empty name). */
export const ITEM = { name: "shoe", price: 42.5 } as const;
const INVALID = { name: "", price: 42.5 } as const;

/** What each contestant must answer, whatever its framework. */
export const EXPECTED = {
  get: { status: 200, body: { id: "42", q: "shoes" } },
  post: { status: 201, body: ITEM },
  missing: { status: 404 },
  invalid: { status: "4xx" },
} as const;

function fixture(file: string): Json {
  return JSON.parse(readFileSync(path.join(FIXTURES, file), "utf8")) as Json;
}

interface Shape {
  method: "GET" | "POST";
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

const SHAPES: Record<RequestName, Shape> = {
  get: { method: "GET", path: "/items/42", query: { q: "shoes" } },
  post: { method: "POST", path: "/items", body: ITEM },
  missing: { method: "GET", path: "/nope/42" },
  invalid: { method: "POST", path: "/items", body: INVALID },
};

/**
 * A REST API (payload 1.0) event captured from a deployed API (stage `prod`, 17 headers, full
 * requestContext), moved to a `/{proxy+}` resource, as an API serving every path through one
 * function is deployed.
 */
function restEvent(shape: Shape): Json {
  const event = fixture("apigw-rest/powertools-ts-real-no-auth.json");
  const headers = { ...(event.headers as Record<string, string>) };
  const body = shape.body === undefined ? null : JSON.stringify(shape.body);
  if (body !== null) {
    headers["Content-Type"] = "application/json";
    headers["Content-Length"] = String(Buffer.byteLength(body));
  }
  const context = event.requestContext as Json;
  return {
    ...event,
    resource: "/{proxy+}",
    path: shape.path,
    httpMethod: shape.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: shape.query ?? null,
    multiValueQueryStringParameters: shape.query
      ? Object.fromEntries(Object.entries(shape.query).map(([k, v]) => [k, [v]]))
      : null,
    pathParameters: { proxy: shape.path.slice(1) },
    requestContext: {
      ...context,
      resourcePath: "/{proxy+}",
      httpMethod: shape.method,
      path: `/prod${shape.path}`,
    },
    body,
  };
}

/**
 * An HTTP API (payload 2.0) event captured from a deployed API (JWT authorizer claims in the
 * requestContext), on the `$default` route, with the headers a browser adds to reach 15.
 */
function httpApiEvent(shape: Shape): Json {
  const event = fixture("apigw-http/powertools-ts-real-jwt-authorizer.json");
  const headers: Record<string, string> = {
    ...(event.headers as Record<string, string>),
    "accept-language": "en-GB,en;q=0.9",
    "cache-control": "no-cache",
    origin: "https://app.example.com",
    referer: "https://app.example.com/items",
    "sec-fetch-mode": "cors",
  };
  const body = shape.body === undefined ? undefined : JSON.stringify(shape.body);
  if (body === undefined) delete headers["content-length"];
  else {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(Buffer.byteLength(body));
  }
  const context = event.requestContext as Json;
  const query = new URLSearchParams(shape.query ?? {}).toString();
  const out: Json = {
    ...event,
    routeKey: "$default",
    rawPath: shape.path,
    rawQueryString: query,
    headers,
    requestContext: {
      ...context,
      routeKey: "$default",
      http: { ...(context.http as Json), method: shape.method, path: shape.path },
    },
  };
  if (shape.query) out.queryStringParameters = shape.query;
  if (body !== undefined) out.body = body;
  return out;
}

/** Every request in both formats, keyed by case name (`v1 get`). */
export function buildEvents(): Record<CaseName, Json> {
  const events = {} as Record<CaseName, Json>;
  for (const name of REQUESTS) {
    events[`v1 ${name}`] = restEvent(SHAPES[name]);
    events[`v2 ${name}`] = httpApiEvent(SHAPES[name]);
  }
  return events;
}

/** The cases timed warm: the two answers that do work, in both formats. */
export const TIMED: readonly CaseName[] = ["v2 get", "v1 get", "v2 post", "v1 post"];

/** The case of the single invocation of a cold start. */
export const COLD_CASE: CaseName = "v2 get";
