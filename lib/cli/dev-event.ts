// The dev server's request side: one real HTTP request → the Lambda event API Gateway, an ALB or VPC Lattice would send.

import { randomBytes } from "node:crypto";
import {
  type EventFormat,
  type HttpEvent,
  type SyntheticRequest,
  syntheticEvent,
} from "../events/synthetic.js";

// Bodies sent as text; everything else is base64, as API Gateway does with binary media types
// `*/*` and as HTTP APIs, Function URLs and ALBs do for binary content.
const TEXT_TYPE =
  /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|graphql|yaml|x-yaml)\b|[^;]*\+(json|xml)\b)/i;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** How a body travels in an event: UTF-8 text when it is text, else base64. */
export function encodeBody(
  body: Uint8Array,
  contentType: string | undefined,
): { body: string; isBase64Encoded: boolean } {
  if (contentType === undefined || TEXT_TYPE.test(contentType.trim())) {
    try {
      return { body: utf8.decode(body), isBase64Encoded: false };
    } catch {
      // Not UTF-8 after all: base64 keeps the bytes exact.
    }
  }
  return {
    body: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("base64"),
    isBase64Encoded: true,
  };
}

/** Splits a request target at its `?`: the path (`/` when empty) and the query as sent. */
function splitTarget(target: string): { path: string; query: string } {
  const at = target.indexOf("?");
  const path = at === -1 ? target : target.slice(0, at);
  return { path: path === "" ? "/" : path, query: at === -1 ? "" : target.slice(at + 1) };
}

/** `Root=1-<epoch seconds, hex>-<24 hex>`: the X-Ray trace header the gateways add. */
function traceId(time: number): string {
  return `Root=1-${Math.floor(time / 1000).toString(16)}-${randomBytes(12).toString("hex")}`;
}

/** An HTTP request as the dev server read it, before it becomes an event. */
export interface HttpRequestData {
  /** The method, upper case. */
  readonly method: string;
  /** The request target as sent: path and query, still percent-encoded (`/items/a%20b?q=1`). */
  readonly target: string;
  /** Header names and values in the order received, names as the client spelled them. */
  readonly headers: readonly (readonly [string, string])[];
  /** The body's exact bytes; empty when there is none. */
  readonly body: Uint8Array;
  /** The client's address. */
  readonly sourceIp: string;
  /** The port the dev server listens on (for `X-Forwarded-Port`). */
  readonly port: number;
  /** When the request arrived, in ms since the epoch. */
  readonly time: number;
}

/**
 * The headers a gateway adds on its way to Lambda: X-Forwarded-For (appended), -Port, -Proto
 * and X-Amzn-Trace-Id (kept when the client sent one). `titleCase` spells them as REST APIs do.
 */
function withGatewayHeaders(request: HttpRequestData, titleCase: boolean): [string, string][] {
  const out: [string, string][] = [];
  let forwardedFor: string | undefined;
  let trace = false;
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (lower === "x-forwarded-for")
      forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
    else if (lower === "x-forwarded-port" || lower === "x-forwarded-proto") continue;
    else {
      if (lower === "x-amzn-trace-id") trace = true;
      out.push([name, value]);
    }
  }
  const spell = (name: string) => (titleCase ? name : name.toLowerCase());
  if (!trace) out.push([spell("X-Amzn-Trace-Id"), traceId(request.time)]);
  out.push([
    spell("X-Forwarded-For"),
    forwardedFor === undefined ? request.sourceIp : `${forwardedFor}, ${request.sourceIp}`,
  ]);
  out.push([spell("X-Forwarded-Port"), String(request.port)]);
  out.push([spell("X-Forwarded-Proto"), "http"]);
  return out;
}

/**
 * The event of `format` for `request`, as `syntheticEvent` shapes it (an HTTP API's path decoded
 * once, the others' kept encoded), with the headers a gateway adds and the body as text when
 * its content type is text and it is valid UTF-8, else base64.
 */
export function toEvent(request: HttpRequestData, format: EventFormat): HttpEvent {
  const { path, query } = splitTarget(request.target);
  const headers = withGatewayHeaders(request, format === "v1");
  const value = (name: string) => headers.find(([key]) => key.toLowerCase() === name)?.[1];
  const type = value("content-type");
  const synthetic: SyntheticRequest = {
    method: request.method,
    path,
    query,
    headers,
    body: request.body.byteLength === 0 ? undefined : encodeBody(request.body, type),
    sourceIp: request.sourceIp,
    time: request.time,
    domainName: value("host") ?? `127.0.0.1:${request.port}`,
  };
  return syntheticEvent(synthetic, format);
}

/** A REST API (payload 1.0) event for `request`. */
export const restEvent = (request: HttpRequestData): HttpEvent => toEvent(request, "v1");

/** An HTTP API (payload 2.0) event for `request`. */
export const httpApiEvent = (request: HttpRequestData): HttpEvent => toEvent(request, "v2");
