// API Gateway REST (payload 1.0, also HTTP API payload 1.0) and direct invocations: event → request, reply → result.

import type { Reply } from "../reply.js";
import type { IncomingRequest } from "./incoming.js";
import { mergeHeaders, mergeQuery } from "../util/headers.js";
import { restAuth } from "./auth.js";
import { resultBody, splitHeaders } from "./result.js";
import { type Json, obj, str } from "../util/json.js";

/** The result API Gateway REST (and HTTP API payload 1.0) expects. */
export type RestResult = {
  statusCode: number;
  headers: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
};

/** Strips a named stage from an HTTP API path (`/beta/items` on stage `beta` → `/items`). */
export function stripStage(path: string, stage: unknown): string {
  if (typeof stage !== "string" || stage === "" || stage === "$default") return path;
  const prefix = `/${stage}`;
  if (path === prefix) return "/";
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
}

/**
 * Normalizes a payload 1.0 event. REST `path` has no stage and is still percent-encoded. An
 * HTTP API payload 1.0 event (`version: "1.0"`, `resourceId` null or missing) carries the stage,
 * so it is stripped there, and its `path` is percent-decoded already, as in payload 2.0, so it
 * is flagged `pathDecoded`. Direct invocations are read as REST events.
 */
export function restRequest(event: Json, kind: "rest" | "direct"): IncomingRequest {
  const context = obj(event.requestContext);
  const path = str(event.path) ?? "/";
  // HTTP API payload 1.0 sends `resourceId: null` (apigw-rest/powertools-py-http-api-payload-v1.json);
  // SAM local REST also says "1.0" but has a resourceId (apigw-rest/rust-sam-local-rest.json). REST
  // sends no `version`; a capture from the HTTP API preview says `2`, a number, and is read as REST
  // (apigw-rest/dotnet-http-api-payload-v1-preview.json).
  const httpApi = context !== undefined && event.version === "1.0" && context.resourceId == null;
  const identity = obj(context?.identity);
  return {
    kind,
    method: (str(event.httpMethod) ?? "GET").toUpperCase(),
    path: httpApi ? stripStage(path, context.stage) : path,
    pathDecoded: httpApi,
    headers: mergeHeaders(obj(event.headers), obj(event.multiValueHeaders)),
    query: mergeQuery(obj(event.queryStringParameters), obj(event.multiValueQueryStringParameters)),
    cookies: undefined,
    body: str(event.body),
    isBase64Encoded: event.isBase64Encoded === true,
    requestId: str(context?.requestId),
    sourceIp: str(identity?.sourceIp),
    multiValueHeaders: false,
    auth: () => restAuth(context),
  };
}

/** Shapes a reply for API Gateway REST: `multiValueHeaders` only when a header repeats. */
export function restResult(reply: Reply): RestResult {
  const { headers, multiValueHeaders } = splitHeaders(reply.headers);
  const result: RestResult = { statusCode: reply.status, headers, ...resultBody(reply) };
  if (multiValueHeaders) result.multiValueHeaders = multiValueHeaders;
  return result;
}
