// Shared result shaping: bodies to text or base64, and header maps split by how many values they hold.

import type { Reply } from "../reply.js";

/** The body fields every HTTP result carries. */
export interface ResultBody {
  body: string;
  isBase64Encoded: boolean;
}

/** A reply body as a Lambda result carries it: text, or base64 for bytes. */
export function resultBody(reply: Reply): ResultBody {
  const body = reply.body;
  if (body === undefined) return { body: "", isBase64Encoded: false };
  if (typeof body === "string") return { body, isBase64Encoded: false };
  return {
    body: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("base64"),
    isBase64Encoded: true,
  };
}

/** Splits reply headers into single values and, where a header repeats, lists. */
export function splitHeaders(headers: Reply["headers"]): {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]> | undefined;
} {
  const single: Record<string, string> = {};
  let multi: Record<string, string[]> | undefined;
  for (const name in headers) {
    const value = headers[name]!;
    if (typeof value === "string") single[name] = value;
    else if (value.length === 1) single[name] = value[0]!;
    else if (value.length > 1) (multi ??= {})[name] = value;
  }
  return { headers: single, multiValueHeaders: multi };
}

/** Every header as one string; repeated values joined with `, `. */
export function joinHeaders(headers: Reply["headers"], skip?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    if (name === skip) continue;
    const value = headers[name]!;
    out[name] = typeof value === "string" ? value : value.join(", ");
  }
  return out;
}
