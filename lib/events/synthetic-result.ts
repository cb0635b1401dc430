// Synthetic results: a Lambda result of any event kind → status, headers and body, as the gateway would send them (inject and the dev server).

import type { EventFormat } from "./synthetic.js";

/** A result read back as a client would receive it. */
export interface SyntheticAnswer {
  readonly status: number;
  /** The reason phrase, when the result set one (ALB's and Lattice's `statusDescription`). */
  readonly statusMessage?: string;
  /** Header lines in order, names as the result spelled them; `set-cookie` lines included. */
  readonly headers: readonly (readonly [string, string])[];
  /** The body's exact bytes. */
  readonly body: Uint8Array;
}

/** A result a gateway could not turn into a response: it would answer 502 instead. */
export class MalformedResultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedResultError";
  }
}

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

function entriesOf(value: unknown, what: string): [string, unknown][] {
  if (value === undefined || value === null) return [];
  if (!isRecord(value)) throw new MalformedResultError(`${what}, got ${describe(value)}`);
  return Object.entries(value);
}

/**
 * Reads a result of `format` as the gateway would send it: `statusCode`; `multiValueHeaders`
 * (not for `v2`), then `headers` for the names it lacks, API Gateway's merge rule; a v2 result's
 * `cookies` as `set-cookie` lines; a base64 body decoded. A v2 result without `statusCode` is a
 * JSON 200, as HTTP APIs infer it.
 * @throws MalformedResultError when the gateway would answer 502 instead.
 */
export function readResult(result: unknown, format: EventFormat): SyntheticAnswer {
  if (format === "v2" && !(isRecord(result) && "statusCode" in result)) {
    const json = new TextEncoder().encode(JSON.stringify(result ?? null));
    return { status: 200, headers: [["content-type", "application/json"]], body: json };
  }
  if (!isRecord(result))
    throw new MalformedResultError(
      `the result must be an object with statusCode, got ${describe(result)}`,
    );
  const headers: [string, string][] = [];
  const seen = new Set<string>();
  const multi = format === "v2" ? undefined : result.multiValueHeaders;
  for (const [name, values] of entriesOf(multi, "multiValueHeaders must be an object of arrays")) {
    if (!Array.isArray(values))
      throw new MalformedResultError(
        `multiValueHeaders.${name} must be an array, got ${describe(values)}`,
      );
    for (const value of values)
      headers.push([name, headerText(value, `multiValueHeaders.${name}[]`)]);
    seen.add(name.toLowerCase());
  }
  for (const [name, value] of entriesOf(result.headers, "headers must be an object")) {
    if (!seen.has(name.toLowerCase())) headers.push([name, headerText(value, `headers.${name}`)]);
  }
  if (format === "v2" && result.cookies !== undefined && result.cookies !== null) {
    if (!Array.isArray(result.cookies))
      throw new MalformedResultError(`cookies must be an array, got ${describe(result.cookies)}`);
    for (const cookie of result.cookies)
      headers.push(["set-cookie", headerText(cookie, "cookies[]")]);
  }
  const code = result.statusCode;
  const status = typeof code === "string" && /^\d+$/.test(code) ? Number(code) : code;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599)
    throw new MalformedResultError(
      `statusCode must be an integer from 100 to 599, got ${describe(code)}`,
    );
  const { body, isBase64Encoded, statusDescription } = result;
  if (body !== undefined && body !== null && typeof body !== "string")
    throw new MalformedResultError(`body must be a string, got ${describe(body)}`);
  const buffer = Buffer.from(body ?? "", isBase64Encoded === true ? "base64" : "utf8");
  // "404 Not Found" → "Not Found"
  const statusMessage =
    format !== "v1" && format !== "v2" && typeof statusDescription === "string"
      ? statusDescription.replace(/^\d+\s*/, "")
      : "";
  return {
    status,
    ...(statusMessage ? { statusMessage } : {}),
    headers,
    body: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength),
  };
}
