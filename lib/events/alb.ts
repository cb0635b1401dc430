// Application Load Balancer targets, single- and multi-value header modes: event → request, reply → result.

import type { Reply } from "../reply.js";
import type { IncomingRequest } from "./incoming.js";
import { reasonPhrase } from "../util/status.js";
import { mergeHeaders, mergeQuery } from "../util/headers.js";
import { joinHeaders, resultBody, splitHeaders } from "./result.js";
import { type Json, obj, str } from "../util/json.js";

/** The result an ALB target returns. */
export type AlbResult = {
  statusCode: number;
  statusDescription: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
};

/**
 * Normalizes an ALB event. ALB passes query names and values still percent-encoded
 * (alb/rust-http-single-value-encoded-query.json), so they are decoded here, and the path too
 * (alb/dotnet-escaped-percent-slash-in-path.json), which the router decodes; the header mode
 * of the request (multi-value when it has `multiValueHeaders`) is kept for the answer.
 */
export function albRequest(event: Json): IncomingRequest {
  const multi = obj(event.multiValueHeaders);
  return {
    kind: "alb",
    method: (str(event.httpMethod) ?? "GET").toUpperCase(),
    path: str(event.path) ?? "/",
    pathDecoded: false,
    headers: mergeHeaders(obj(event.headers), multi),
    query: mergeQuery(
      obj(event.queryStringParameters),
      obj(event.multiValueQueryStringParameters),
      true,
    ),
    cookies: undefined,
    body: str(event.body),
    isBase64Encoded: event.isBase64Encoded === true,
    requestId: undefined,
    sourceIp: undefined,
    multiValueHeaders: multi !== undefined,
  };
}

/**
 * Shapes a reply for ALB: `statusDescription`, and headers in the mode the request used. In
 * single-value mode a header carries one value, so repeated values are joined with `, `, and of
 * several `Set-Cookie` lines only the last can be sent (docs/guide.md says so).
 */
export function albResult(reply: Reply, incoming: IncomingRequest): AlbResult {
  const base = {
    statusCode: reply.status,
    statusDescription: `${reply.status} ${reasonPhrase(reply.status)}`.trim(),
    ...resultBody(reply),
  };
  if (incoming.multiValueHeaders) {
    const { headers, multiValueHeaders } = splitHeaders(reply.headers);
    const all: Record<string, string[]> = { ...multiValueHeaders };
    for (const name in headers) all[name] = [headers[name]!];
    return { ...base, multiValueHeaders: all };
  }
  const headers = joinHeaders(reply.headers, "set-cookie");
  const cookies = reply.headers["set-cookie"];
  if (cookies !== undefined)
    headers["set-cookie"] = typeof cookies === "string" ? cookies : (cookies.at(-1) ?? "");
  return { ...base, headers };
}
