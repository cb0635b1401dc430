// What every event kind is normalized to before routing: the seam between the event adapters and the pipeline.

import type { RequestAuth } from "../auth.js";
import type { EventKind } from "../request.js";

/** An HTTP request as every event kind is normalized to, before routing. */
export interface IncomingRequest {
  readonly kind: EventKind;
  /** Uppercase method. */
  readonly method: string;
  /** The path as the source delivered it (see `pathDecoded`), stage prefix removed. */
  readonly path: string;
  /**
   * Whether the source delivered `path` percent-decoded already, so it must never be decoded
   * again: HTTP APIs (payload 2.0 and 1.0). Absent or false: still percent-encoded.
   */
  readonly pathDecoded?: boolean;
  /** Lowercase names; repeated values joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** Decoded query: every value of every key, in order. */
  readonly query: Readonly<Record<string, readonly string[]>>;
  /** `name=value` strings of a payload 2.0 `cookies` array, when the event has one. */
  readonly cookies: readonly string[] | undefined;
  readonly body: string | undefined;
  readonly isBase64Encoded: boolean;
  /** The gateway's request id, when the event has one. */
  readonly requestId: string | undefined;
  readonly sourceIp: string | undefined;
  /** ALB in multi-value mode: the answer must use `multiValueHeaders` too. */
  readonly multiValueHeaders: boolean;
  /** Reads the authorizer's data from the event, for `request.auth`; absent for sources without one. */
  readonly auth?: () => RequestAuth | undefined;
}

/** A request given as its parts: a queue message mapped to one, a route called in a test. */
export interface RequestParts {
  readonly method: string;
  /** Still percent-encoded, without its query. */
  readonly path: string;
  /** Lowercase names. */
  readonly headers: Record<string, string>;
  readonly query: Readonly<Record<string, readonly string[]>>;
  /** A string as it is, bytes as base64, any other value as JSON (with its content type). */
  readonly body?: unknown;
  readonly sourceIp?: string;
}

/**
 * The request of a direct invocation made from its parts: the body encoded as an event carries
 * it, a JSON value given the JSON content type unless the headers name one.
 */
export function requestOf(parts: RequestParts): IncomingRequest {
  const headers = parts.headers;
  let body: string | undefined;
  let isBase64Encoded = false;
  const given = parts.body;
  if (typeof given === "string") body = given;
  else if (given instanceof Uint8Array) {
    body = Buffer.from(given.buffer, given.byteOffset, given.byteLength).toString("base64");
    isBase64Encoded = true;
  } else if (given !== undefined && given !== null) {
    body = JSON.stringify(given);
    headers["content-type"] ??= "application/json";
  }
  return {
    kind: "direct",
    method: parts.method.toUpperCase(),
    path: parts.path,
    headers,
    query: parts.query,
    cookies: undefined,
    body,
    isBase64Encoded,
    requestId: undefined,
    sourceIp: parts.sourceIp,
    multiValueHeaders: false,
  };
}
