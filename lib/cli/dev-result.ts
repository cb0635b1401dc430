// The dev server's answer side: a handler's Lambda result → the HTTP response the gateway would send.

import type { ServerResponse } from "node:http";
import type { EventFormat } from "./dev-event.js";

/** An HTTP response ready to write. */
export interface HttpAnswer {
  readonly status: number;
  /** The reason phrase, when the result set one (ALB's `statusDescription`). */
  readonly statusMessage?: string;
  /** Header lines in order; a name may repeat (`set-cookie`). */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

/** A result the gateway could not turn into a response: it answers 502 instead. */
export class MalformedResultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedResultError";
  }
}

/** API Gateway's answer when the function failed or returned something it cannot use. */
export const INTERNAL_SERVER_ERROR: HttpAnswer = {
  status: 502,
  headers: [["content-type", "application/json"]],
  body: Buffer.from('{"message":"Internal server error"}'),
};

// Framing is the server's job: what the function says about it is dropped.
const DROPPED = new Set(["content-length", "transfer-encoding", "connection", "keep-alive"]);

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

function headerText(value: unknown, where: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new MalformedResultError(`${where} must be a string, got ${describe(value)}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `multiValueHeaders` first, then `headers` for names it lacks: API Gateway's merge rule. */
function mergedHeaders(result: Record<string, unknown>, multi: boolean): [string, string][] {
  const out: [string, string][] = [];
  const seen = new Set<string>();
  const multiValueHeaders = multi ? result.multiValueHeaders : undefined;
  if (multiValueHeaders !== undefined && multiValueHeaders !== null) {
    if (!isRecord(multiValueHeaders)) {
      throw new MalformedResultError(
        `multiValueHeaders must be an object of arrays, got ${describe(multiValueHeaders)}`,
      );
    }
    for (const [name, values] of Object.entries(multiValueHeaders)) {
      if (!Array.isArray(values))
        throw new MalformedResultError(
          `multiValueHeaders.${name} must be an array, got ${describe(values)}`,
        );
      for (const value of values)
        out.push([name, headerText(value, `multiValueHeaders.${name}[]`)]);
      seen.add(name.toLowerCase());
    }
  }
  const headers = result.headers;
  if (headers !== undefined && headers !== null) {
    if (!isRecord(headers))
      throw new MalformedResultError(`headers must be an object, got ${describe(headers)}`);
    for (const [name, value] of Object.entries(headers)) {
      if (!seen.has(name.toLowerCase())) out.push([name, headerText(value, `headers.${name}`)]);
    }
  }
  return out.filter(([name]) => !DROPPED.has(name.toLowerCase()));
}

function statusOf(value: unknown): number {
  const status = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new MalformedResultError(
      `statusCode must be an integer from 100 to 599, got ${describe(value)}`,
    );
  }
  return status;
}

function bodyOf(result: Record<string, unknown>): Buffer {
  const { body, isBase64Encoded } = result;
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body !== "string")
    throw new MalformedResultError(`body must be a string, got ${describe(body)}`);
  return isBase64Encoded === true ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
}

/**
 * Turns a handler's result into the HTTP response API Gateway (`v1`, `v2`), an ALB (`alb`) or VPC
 * Lattice (`lattice`)
 * would send: `statusCode`, `headers` merged with `multiValueHeaders`, v2 `cookies` as
 * `Set-Cookie` lines, base64 bodies decoded. A v2 result without `statusCode` is sent as JSON
 * with 200, as HTTP APIs do.
 * @throws MalformedResultError when the gateway would answer 502 instead.
 */
export function toHttpAnswer(result: unknown, format: EventFormat): HttpAnswer {
  if (format === "v2" && !(isRecord(result) && "statusCode" in result)) {
    // Payload 2.0 "format inference": any JSON value is a 200 application/json body.
    return {
      status: 200,
      headers: [["content-type", "application/json"]],
      body: Buffer.from(JSON.stringify(result ?? null), "utf8"),
    };
  }
  if (!isRecord(result))
    throw new MalformedResultError(
      `the result must be an object with statusCode, got ${describe(result)}`,
    );
  const headers = mergedHeaders(result, format !== "v2");
  if (format === "v2" && result.cookies !== undefined && result.cookies !== null) {
    if (!Array.isArray(result.cookies))
      throw new MalformedResultError(`cookies must be an array, got ${describe(result.cookies)}`);
    for (const cookie of result.cookies)
      headers.push(["set-cookie", headerText(cookie, "cookies[]")]);
  }
  const description =
    (format === "alb" || format === "lattice") && typeof result.statusDescription === "string"
      ? result.statusDescription
      : undefined;
  // "404 Not Found" → "Not Found"
  const statusMessage = description?.replace(/^\d+\s*/, "");
  return {
    status: statusOf(result.statusCode),
    ...(statusMessage ? { statusMessage } : {}),
    headers,
    body: bodyOf(result),
  };
}

/** Writes a whole answer: its length, not chunks; `close` ends the connection after it. */
export function sendAnswer(response: ServerResponse, answer: HttpAnswer, close = false): void {
  const flat: string[] = answer.headers.flat();
  // No body is allowed with 204 and 304; any other answer gets its length, not chunks.
  if (answer.status !== 204 && answer.status !== 304)
    flat.push("content-length", String(answer.body.byteLength));
  if (close) flat.push("connection", "close");
  if (answer.statusMessage === undefined) response.writeHead(answer.status, flat);
  else response.writeHead(answer.status, answer.statusMessage, flat);
  response.end(answer.body);
}

/** An error as the dev server prints it: its stack, as Lambda's `Invoke Error` line shows it. */
export function errorText(error: unknown): string {
  return error instanceof Error
    ? (error.stack ?? `${error.name}: ${error.message}`)
    : String(error);
}
