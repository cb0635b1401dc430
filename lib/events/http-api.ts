// HTTP API payload 2.0 and Lambda Function URLs: event → request, reply → result.

import type { Reply } from "../reply.js";
import type { IncomingRequest } from "./incoming.js";
import { mergeHeaders, mergeQuery, parseQueryString } from "../util/headers.js";
import { httpApiAuth } from "./auth.js";
import { resultBody, joinHeaders } from "./result.js";
import { stripStage } from "./rest.js";
import { type Json, obj, str } from "../util/json.js";

/** The result HTTP API payload 2.0 and Function URLs expect. */
export type HttpApiResult = {
  statusCode: number;
  headers: Record<string, string>;
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
};

/**
 * Normalizes a payload 2.0 event. The query comes from `rawQueryString` (some events lack
 * `queryStringParameters`, function-url/rust-http-function-url.json), else from
 * `queryStringParameters`, whose comma-joined values stay one value; a named stage is stripped
 * from `rawPath` (apigw-http/dotnet-real-v2-named-stage.json). Header values arrive
 * comma-joined when repeated and stay one value (`"value1,value2"`).
 *
 * An HTTP API delivers `rawPath` percent-decoded already (`/files/a b`, sometimes decoded twice),
 * so it is flagged `pathDecoded` and never decoded again; a Function URL delivers it encoded.
 * The client's `Cookie` header arrives only as the `cookies` array: it is rebuilt as a `cookie`
 * header (`a=1; b=2`), so routes see the headers a payload 1.0 event of the same request has.
 * The array wins over a `cookie` header the event also carries (Function URLs send both).
 */
export function httpApiRequest(event: Json, kind: "http-api" | "function-url"): IncomingRequest {
  const context = obj(event.requestContext) ?? {};
  const http = obj(context.http) ?? {};
  const rawPath = str(event.rawPath) ?? str(http.path) ?? "/";
  const rawQuery = str(event.rawQueryString);
  const cookies = Array.isArray(event.cookies)
    ? event.cookies.filter((c): c is string => typeof c === "string")
    : undefined;
  const headers = mergeHeaders(obj(event.headers), undefined);
  // An empty array (SAM local, apigw-http/rust-v2-sam-local.json) leaves a `cookie` header as it is.
  if (cookies && cookies.length > 0) headers.cookie = cookies.join("; ");
  const httpApi = kind === "http-api";
  return {
    kind,
    method: (str(http.method) ?? "GET").toUpperCase(),
    path: httpApi ? stripStage(rawPath, context.stage) : rawPath,
    pathDecoded: httpApi,
    headers,
    // `rawQueryString` keeps repeated keys apart (`a=1&a=2`) where `queryStringParameters`
    // joins them with commas; hand-made events may fill only the map.
    query: rawQuery
      ? parseQueryString(rawQuery)
      : mergeQuery(obj(event.queryStringParameters), undefined),
    cookies: cookies && cookies.length > 0 ? cookies : undefined,
    body: str(event.body),
    isBase64Encoded: event.isBase64Encoded === true,
    requestId: str(context.requestId),
    sourceIp: str(http.sourceIp),
    multiValueHeaders: false,
    auth: () => httpApiAuth(context),
  };
}

/** Shapes a reply for payload 2.0: `Set-Cookie` lines go to `cookies`, other repeats are joined. */
export function httpApiResult(reply: Reply): HttpApiResult {
  const result: HttpApiResult = {
    statusCode: reply.status,
    headers: joinHeaders(reply.headers, "set-cookie"),
    ...resultBody(reply),
  };
  const cookies = reply.headers["set-cookie"];
  if (cookies !== undefined)
    result.cookies = typeof cookies === "string" ? [cookies] : [...cookies];
  return result;
}
