// Hostile values for the fuzzing mutators: text with unicode, controls and lone surrogates, values of every JSON type, bodies of every hostile family.

import fc from "fast-check";
import type { MutateLimits, Mutation } from "./mutate.js";

const SURROGATE = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const CONTROL = fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code));
const ODD = fc.constantFrom(
  "\r\n",
  "\u0000",
  "\u007f",
  "\ud800",
  "\udfff",
  "\u2028",
  "\ufeff",
  "\u202e",
  "%",
  "%ZZ",
  "%E0%A4%A",
  "%00",
  "%0D%0A",
  "%2F",
  "..",
  ";",
  "=",
  "&",
  "?",
  "#",
  '"',
  "__proto__",
  "constructor",
  "💥",
);

/** Text with unicode, control characters, lone surrogates and percent sequences mixed in. */
export const hostileText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(fc.string({ unit: "binary", maxLength: 8 }), CONTROL, ODD, fc.string(), SURROGATE),
    {
      maxLength: 6,
    },
  )
  .map((parts) => parts.join(""));

const JSON_LEAF = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

/** Values a key may be retyped to: every JSON type, empty and odd ones included. */
export const retyped: fc.Arbitrary<unknown> = fc.oneof(
  JSON_LEAF,
  hostileText,
  fc.constantFrom("", 0, -1, true, false, [], {}, ["a", 1, null], { a: [] }, "true", "1e400"),
  fc.array(JSON_LEAF, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), JSON_LEAF, { maxKeys: 3 }),
);

const CONTENT_TYPES = [
  undefined,
  "application/json",
  "application/json; charset=utf-8",
  "APPLICATION/JSON",
  "application/problem+json",
  "text/plain",
  "application/octet-stream",
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "image/png",
  "",
  ";;",
  "application/json\u0000",
];

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");

/** Percent-encodes text; text with a lone surrogate (which cannot be encoded) goes raw. */
export function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text;
  }
}

function nested(depth: number, kind: number): string {
  const [open, close] = kind % 2 === 0 ? ["[", "]"] : ['{"a":', "}"];
  return `${open.repeat(depth)}1${close.repeat(depth)}`;
}

/** One part of a generated multipart body: a field, or a file when `file` names it. */
interface Part {
  readonly name: string;
  readonly value: string;
  readonly file: string | null;
}

function multipart(boundary: string, parts: readonly Part[], broken: boolean): string {
  const lines = parts.map(({ name, value, file }) => {
    const disposition = `form-data; name="${name}"${file === null ? "" : `; filename="${file}"`}`;
    const type = file === null ? "" : "Content-Type: application/octet-stream\r\n";
    return `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n${value}\r\n`;
  });
  return `${lines.join("")}${broken ? "" : `--${boundary}--\r\n`}`;
}

/** A body (and its base64 flag and content type) from every family of hostile body. */
export function bodyMutation(limits: Required<MutateLimits>): fc.Arbitrary<Mutation> {
  const flag = fc.constantFrom<unknown>(true, false, false, "true", 1, null);
  const type = fc.oneof(fc.constantFrom(...CONTENT_TYPES), hostileText);
  const item = fc.record({ name: fc.oneof(fc.string(), JSON_LEAF), price: JSON_LEAF });
  const body = fc.oneof(
    fc.uint8Array({ maxLength: 512 }).map(base64),
    fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
    hostileText,
    item.map((value) => JSON.stringify(value)),
    fc
      .record({ name: fc.string({ minLength: 1 }), price: fc.nat(), extra: fc.option(JSON_LEAF) })
      .map((value) => JSON.stringify(value)),
    item.map((value) => `{"__proto__":{"polluted":1},"constructor":${JSON.stringify(value)}}`),
    fc.constantFrom('{"name":"a","price":1e400}', '{"price":-0}', "123456789012345678901234567890"),
    fc.json().map((text) => text.slice(0, Math.max(0, text.length - 1))),
    fc.json(),
    fc
      .tuple(fc.integer({ min: 1, max: limits.maxDepth }), fc.nat())
      .map(([depth, kind]) => nested(depth, kind)),
    fc
      .array(fc.tuple(hostileText, hostileText), { maxLength: 4 })
      .map((pairs) => pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join("&")),
    fc.constantFrom("%%%not base64", "abc", "YQ=", "====", "YWJj\nZGVm"),
    fc.integer({ min: 1_000, max: limits.maxLength }).map((n) => "x".repeat(n)),
  );
  // Multipart bodies with random boundaries and parts, files of random bytes among them; sent
  // as base64 half the time, as a gateway does with binary bodies.
  const part = fc.record({
    name: fc.oneof(fc.constantFrom("name", "price", "file"), hostileText),
    value: fc.oneof(
      hostileText,
      fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b).toString("latin1")),
    ),
    file: fc.option(fc.oneof(fc.constantFrom("a.txt", "C:\\x\\y.bin"), hostileText), { freq: 2 }),
  });
  const form = fc
    .record({
      boundary: fc.oneof(fc.string({ minLength: 1, maxLength: 70 }), hostileText),
      parts: fc.array(part, { maxLength: 4 }),
      broken: fc.boolean(),
      quoted: fc.boolean(),
      binary: fc.boolean(),
    })
    .map(({ boundary, parts, broken, quoted, binary }) => {
      const text = multipart(boundary, parts, broken);
      return {
        op: "body" as const,
        body: binary ? Buffer.from(text, "latin1").toString("base64") : text,
        flag: binary,
        type: `multipart/form-data; boundary=${quoted ? JSON.stringify(boundary) : boundary}`,
      };
    });
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ op: fc.constant("body" as const), body, flag, type }) },
    { weight: 2, arbitrary: form },
  );
}
