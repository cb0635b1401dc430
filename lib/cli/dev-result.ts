// The dev server's answer side: a handler's Lambda result → the HTTP response the gateway would send.

import type { ServerResponse } from "node:http";
import type { EventFormat } from "../events/synthetic.js";
import { readResult } from "../events/synthetic-result.js";

/** An HTTP response ready to write. */
export interface HttpAnswer {
  readonly status: number;
  /** The reason phrase, when the result set one (ALB's `statusDescription`). */
  readonly statusMessage?: string;
  /** Header lines in order; a name may repeat (`set-cookie`). */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

/** API Gateway's answer when the function failed or returned something it cannot use. */
export const INTERNAL_SERVER_ERROR: HttpAnswer = {
  status: 502,
  headers: [["content-type", "application/json"]],
  body: Buffer.from('{"message":"Internal server error"}'),
};

// Framing is the server's job: what the function says about it is dropped.
const DROPPED = new Set(["content-length", "transfer-encoding", "connection", "keep-alive"]);

/**
 * Turns a handler's result into the HTTP response API Gateway (`v1`, `v2`), an ALB (`alb`) or VPC
 * Lattice (`lattice`) would send, as `readResult` reads it, without the function's framing headers.
 * @throws MalformedResultError when the gateway would answer 502 instead.
 */
export function toHttpAnswer(result: unknown, format: EventFormat): HttpAnswer {
  const answer = readResult(result, format);
  const { buffer, byteOffset, byteLength } = answer.body;
  return {
    ...answer,
    headers: answer.headers.filter(([name]) => !DROPPED.has(name.toLowerCase())),
    body: Buffer.from(buffer, byteOffset, byteLength),
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
