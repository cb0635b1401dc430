// The dev server's wire helpers: bodies as text or base64, query strings, times and trace ids.

import { randomBytes } from "node:crypto";

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

function decodeQueryPart(part: string): string {
  const spaced = part.replace(/\+/g, " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** Splits a query string into `[name, value]` pairs in order; `decode` percent-decodes them. */
export function splitQuery(raw: string, decode: boolean): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of raw.split("&")) {
    if (part === "") continue;
    const at = part.indexOf("=");
    const name = at === -1 ? part : part.slice(0, at);
    const value = at === -1 ? "" : part.slice(at + 1);
    pairs.push(decode ? [decodeQueryPart(name), decodeQueryPart(value)] : [name, value]);
  }
  return pairs;
}

export function group(
  pairs: readonly (readonly [string, string])[],
  key: (name: string) => string,
): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  for (const [name, value] of pairs) {
    const k = key(name);
    const list = out[k];
    if (list) list.push(value);
    else out[k] = [value];
  }
  return { ...out };
}

export function lastValues(multi: Record<string, string[]>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(multi).map(([name, values]) => [name, values[values.length - 1] ?? ""]),
  );
}

export function splitTarget(target: string): { path: string; query: string } {
  const at = target.indexOf("?");
  const path = at === -1 ? target : target.slice(0, at);
  return { path: path === "" ? "/" : path, query: at === -1 ? "" : target.slice(at + 1) };
}

/** `Root=1-<epoch seconds, hex>-<24 hex>`: the X-Ray trace header the gateways add. */
export function traceId(time: number): string {
  return `Root=1-${Math.floor(time / 1000).toString(16)}-${randomBytes(12).toString("hex")}`;
}

/** `25/Nov/2026:01:30:54 +0000`, the format of `requestContext.requestTime` and `time`. */
export function clfTime(time: number): string {
  const d = new Date(time);
  const month = d.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
