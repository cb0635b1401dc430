// multipart/form-data bodies → fields and web Files, within limits; imported by lib/input.ts on the first such body.

import { HTTPException } from "./errors.js";
import type { ArrayKeys } from "./input.js";
import type { LambdaRequest } from "./request.js";

/** Limits on a multipart body; a body past one is answered 413 with a detail naming it. */
export interface FormLimits {
  /**
   * The most parts (fields and files) a body may hold.
   * @default 1000
   */
  readonly maxParts?: number;
  /**
   * The largest field (a part without a filename), in bytes.
   * @default 1048576 (1 MiB)
   */
  readonly maxFieldBytes?: number;
  /**
   * The largest file, in bytes.
   * @default 10485760 (10 MiB, API Gateway's payload limit)
   */
  readonly maxFileBytes?: number;
}

/** A value of a form body: a field's text or a file. */
export type FormValue = string | File;

const DEFAULTS: Required<FormLimits> = {
  maxParts: 1000,
  maxFieldBytes: 1024 * 1024,
  maxFileBytes: 10 * 1024 * 1024,
};

const HEADER_END = Buffer.from("\r\n\r\n");
const DASH = 0x2d;

const quote = (text: string): string =>
  JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);

function malformed(detail: string): never {
  throw new HTTPException(400, `Malformed multipart body: ${detail}`);
}

function tooLarge(detail: string): never {
  throw new HTTPException(413, detail);
}

/**
 * Splits a header value into its lowercase type and its parameters (names lowercase, values
 * unquoted): `form-data; name="a"; filename=b.txt`. In a quoted value a backslash escapes only
 * `"` and `\`, so a Windows path a client sends keeps its backslashes.
 */
export function headerParameters(value: string): { type: string; params: Map<string, string> } {
  const semi = value.indexOf(";");
  const type = (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
  const params = new Map<string, string>();
  const end = value.length;
  let at = semi === -1 ? end : semi + 1;
  while (at < end) {
    while (at < end && (value[at] === " " || value[at] === "\t" || value[at] === ";")) at++;
    if (at >= end) break;
    const eq = value.indexOf("=", at);
    const next = value.indexOf(";", at);
    if (eq === -1 || (next !== -1 && next < eq)) {
      at = next === -1 ? end : next;
      continue;
    }
    const name = value.slice(at, eq).trim().toLowerCase();
    at = eq + 1;
    while (value[at] === " " || value[at] === "\t") at++;
    let text = "";
    if (value[at] === '"') {
      at++;
      while (at < end && value[at] !== '"') {
        if (value[at] === "\\" && (value[at + 1] === '"' || value[at + 1] === "\\")) at++;
        text += value[at];
        at++;
      }
      if (at >= end) malformed(`an unterminated quoted value in ${quote(value)}`);
      at++;
    } else {
      const stop = value.indexOf(";", at);
      text = value.slice(at, stop === -1 ? end : stop).trim();
      at = stop === -1 ? end : stop;
    }
    if (!params.has(name)) params.set(name, text);
  }
  return { type, params };
}

/** The boundary of a multipart content type. @throws HTTPException 400 when it has none. */
function boundaryOf(contentType: string | undefined): string {
  const boundary = headerParameters(contentType ?? "").params.get("boundary");
  if (!boundary) malformed("the content type has no boundary parameter");
  // RFC 2046 allows 70 characters of a small ASCII set; clients stay well inside 200.
  if (boundary.length > 200 || !/^[\x20-\x7e]+$/.test(boundary)) {
    malformed(`the boundary ${quote(boundary)} is not 1 to 200 printable ASCII characters`);
  }
  return boundary;
}

/** Browsers write `"`, CR and LF in names as %22, %0D and %0A (the HTML standard): undone here. */
const unescapeName = (text: string): string =>
  text.includes("%")
    ? text.replace(/%(22|0d|0a)/gi, (_, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      )
    : text;

/** An RFC 5987 `filename*` value (`UTF-8''r%C3%A9sum%C3%A9.pdf`), decoded. */
function extendedValue(text: string): string {
  const match = /^([^']*)'[^']*'(.*)$/.exec(text);
  if (!match) malformed(`filename* ${quote(text)} is not charset'language'value`);
  const charset = match[1]!.toLowerCase();
  const raw = match[2]!;
  try {
    if (charset === "utf-8") return decodeURIComponent(raw);
    if (charset === "iso-8859-1") {
      return raw.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      );
    }
  } catch {
    malformed(`filename* ${quote(text)} holds bad percent-encoding`);
  }
  return malformed(`filename* charset ${quote(match[1]!)} is not UTF-8 or ISO-8859-1`);
}

function addPart(
  out: Record<string, FormValue[]>,
  headers: string,
  content: Buffer,
  index: number,
  limits: Required<FormLimits>,
): void {
  let disposition: string | undefined;
  let type: string | undefined;
  for (const line of headers === "" ? [] : headers.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) malformed(`part ${index} has a header line without a name: ${quote(line)}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name === "content-disposition") disposition = line.slice(colon + 1).trim();
    else if (name === "content-type") type = line.slice(colon + 1).trim();
  }
  if (disposition === undefined) malformed(`part ${index} has no Content-Disposition header`);
  const { type: kind, params } = headerParameters(disposition);
  if (kind !== "form-data") malformed(`part ${index} is ${quote(kind)}, expected form-data`);
  const rawName = params.get("name");
  if (rawName === undefined) malformed(`part ${index} has no name`);
  const name = unescapeName(rawName);
  const extended = params.get("filename*");
  const filename = extended !== undefined ? extendedValue(extended) : params.get("filename");
  let value: FormValue;
  if (filename !== undefined) {
    if (content.byteLength > limits.maxFileBytes) {
      tooLarge(
        `File ${quote(name)} is ${content.byteLength} bytes, over the limit of ${limits.maxFileBytes} (createApi forms.maxFileBytes)`,
      );
    }
    // RFC 7578 §4.4: a part without a Content-Type is text/plain.
    value = new File([content], unescapeName(filename), { type: type ?? "text/plain" });
  } else {
    if (content.byteLength > limits.maxFieldBytes) {
      tooLarge(
        `Field ${quote(name)} is ${content.byteLength} bytes, over the limit of ${limits.maxFieldBytes} (createApi forms.maxFieldBytes)`,
      );
    }
    value = content.toString("utf8");
  }
  if (name === "__proto__") return;
  if (Object.hasOwn(out, name)) out[name]!.push(value);
  else out[name] = [value];
}

/**
 * Parses a multipart/form-data body (RFC 7578) held in memory: every value of every name in
 * order, fields as UTF-8 text, parts with a `filename` (or `filename*`) as web Files with their
 * exact bytes and Content-Type. A preamble, an epilogue and transport padding after a boundary
 * are allowed; header names and `form-data` are case-insensitive.
 * @throws HTTPException 400 naming what is malformed; 413 naming the limit a part passes.
 */
export function parseMultipart(
  bytes: Uint8Array,
  contentType: string | undefined,
  limits: FormLimits = {},
): Record<string, FormValue[]> {
  const max = { ...DEFAULTS, ...limits };
  const boundary = boundaryOf(contentType);
  const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dash = Buffer.from(`--${boundary}`, "latin1");
  const delimiter = Buffer.from(`\r\n--${boundary}`, "latin1");
  let at: number;
  if (body.subarray(0, dash.length).equals(dash)) at = dash.length;
  else {
    const first = body.indexOf(delimiter);
    if (first === -1) malformed(`the boundary ${quote(boundary)} does not occur in the body`);
    at = first + delimiter.length;
  }
  const out: Record<string, FormValue[]> = {};
  for (let index = 1; ; index++) {
    if (body[at] === DASH && body[at + 1] === DASH) return out;
    while (body[at] === 0x20 || body[at] === 0x09) at++;
    if (at >= body.length) malformed("the body ends without the closing boundary");
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a) {
      malformed(`boundary ${index} is not followed by a line break`);
    }
    at += 2;
    if (index > max.maxParts) {
      tooLarge(`The multipart body has more than ${max.maxParts} parts (createApi forms.maxParts)`);
    }
    const next = body.indexOf(delimiter, at);
    if (next === -1) malformed(`part ${index} has no closing boundary`);
    let headers = "";
    let start: number;
    if (body[at] === 0x0d && body[at + 1] === 0x0a) start = at + 2;
    else {
      const end = body.indexOf(HEADER_END, at);
      start = end + HEADER_END.length;
      if (end === -1 || start > next)
        malformed(`part ${index}'s headers do not end with a blank line`);
      headers = body.toString("utf8", at, end);
    }
    if (start > next) malformed(`part ${index} has no blank line after its headers`);
    addPart(out, headers, body.subarray(start, next), index, max);
    at = next + delimiter.length;
  }
}

/** Shapes form values for a schema: array keys get every value, the others the last one. */
export function shapeForm(
  all: Readonly<Record<string, readonly FormValue[]>>,
  arrays: ArrayKeys,
): Record<string, FormValue | FormValue[]> {
  const out: Record<string, FormValue | FormValue[]> = {};
  for (const name in all) {
    const values = all[name]!;
    out[name] = arrays.has(name) ? [...values] : values[values.length - 1]!;
  }
  return out;
}

/**
 * The body of a multipart request as a route (or its body schema) sees it.
 * @throws HTTPException 400 for a malformed body (or bad base64), 413 past a limit.
 */
export function formBody(
  request: LambdaRequest,
  arrays: ArrayKeys,
  limits: FormLimits | undefined,
): Record<string, FormValue | FormValue[]> {
  return shapeForm(
    parseMultipart(request.bytes(), request.headers["content-type"], limits),
    arrays,
  );
}
