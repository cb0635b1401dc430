// Amazon VPC Lattice targets, event structure versions 1 and 2: event → request, reply → result.

import type { Reply } from "../reply.js";
import type { IncomingRequest } from "./incoming.js";
import { mergeHeaders, mergeQuery, parseQueryString } from "../util/headers.js";
import { reasonPhrase } from "../util/status.js";
import { joinHeaders, resultBody } from "./result.js";
import { type Json, obj, str } from "../util/json.js";

/** The result a VPC Lattice target returns (both event structure versions). */
export type LatticeResult = {
  statusCode: number;
  statusDescription: string;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
};

/**
 * Splits a v2 map whose values are strings in one sample (vpc-lattice/powertools-py-v2.json) and
 * arrays in another (vpc-lattice/powertools-py-v2-array-values.json, the documented shape) into
 * the single- and multi-value maps the shared mergers read.
 */
function byShape(map: Json | undefined): { single: Json; multi: Json } {
  const single: Json = {};
  const multi: Json = {};
  for (const name in map) {
    const value = map[name];
    if (Array.isArray(value)) multi[name] = value;
    else single[name] = value;
  }
  return { single, multi };
}

/** A path that carries its query (`/items?a=1`), split; the query map wins when the event has one. */
function splitPath(raw: string): { path: string; query: string | undefined } {
  const at = raw.indexOf("?");
  if (at === -1) return { path: raw === "" ? "/" : raw, query: undefined };
  return { path: raw.slice(0, at) || "/", query: raw.slice(at + 1) };
}

/**
 * Normalizes a VPC Lattice event. Version 1 spells its keys in snake_case (`raw_path`,
 * `query_string_parameters`, `is_base64_encoded`: vpc-lattice/powertools-py-v1-base64.json);
 * version 2 uses `path`, `method`, `queryStringParameters` and `isBase64Encoded`, with header
 * and query values as arrays or as strings. Repeated values of an array are all kept (headers
 * joined with `, `); a comma-joined string stays one value, as for HTTP API events. The path
 * arrives percent-encoded and the router decodes it. Lattice sends no request id and no source
 * address field, so neither is read.
 */
export function latticeRequest(event: Json, version: "v1" | "v2"): IncomingRequest {
  const v1 = version === "v1";
  const { path, query: inline } = splitPath(str(v1 ? event.raw_path : event.path) ?? "/");
  const headers = byShape(obj(event.headers));
  const query = byShape(obj(v1 ? event.query_string_parameters : event.queryStringParameters));
  const mapped = mergeQuery(query.single, query.multi);
  return {
    kind: "lattice",
    method: (str(event.method) ?? "GET").toUpperCase(),
    path,
    pathDecoded: false,
    headers: mergeHeaders(headers.single, headers.multi),
    query: Object.keys(mapped).length === 0 && inline ? parseQueryString(inline) : mapped,
    cookies: undefined,
    body: str(event.body),
    isBase64Encoded: (v1 ? event.is_base64_encoded : event.isBase64Encoded) === true,
    requestId: undefined,
    sourceIp: undefined,
    multiValueHeaders: false,
  };
}

/**
 * Shapes a reply for VPC Lattice: `statusDescription` and single-value headers. Repeated
 * values are joined with `, `; of several `Set-Cookie` lines only the last can be sent, as with
 * an ALB in single-value mode (docs/sources.md says so).
 */
export function latticeResult(reply: Reply): LatticeResult {
  const headers = joinHeaders(reply.headers, "set-cookie");
  const cookies = reply.headers["set-cookie"];
  if (cookies !== undefined) {
    headers["set-cookie"] = typeof cookies === "string" ? cookies : (cookies.at(-1) ?? "");
  }
  return {
    statusCode: reply.status,
    statusDescription: `${reply.status} ${reasonPhrase(reply.status)}`.trim(),
    headers,
    ...resultBody(reply),
  };
}
