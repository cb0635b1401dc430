// The key of a response schema in the table of serializers the `bundle` command compiled ahead of time.
//
// It is read off the valibot schema itself, not its JSON Schema, so a bundled function finds
// its compiled serializers without converting (and without @valibot/to-json-schema in the
// bundle). The same code computes it at bundle time and at run time, so equal schemas give equal
// keys; a schema whose shape hides in a function (`v.lazy`, a function `default`, a
// transformation) or holds a date has no key and keeps its run-time writer (lib/schema-writer.ts).

import type { AnySchema } from "./types.js";

/** Keys whose values never change what a serializer writes. */
const IGNORED = new Set(["~standard", "~run", "reference", "message"]);

/** cyrb53: a 53-bit string hash; two different schemas collide with odds of about 1 in 2^53. */
function hash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * The schema's key (`<hash>.<length>` of its structure as JSON), or `undefined` when part of
 * its shape cannot be read without running it. A validation action's function (`v.check`) is
 * skipped: validations never change what is written.
 */
export function schemaKey(schema: AnySchema): string | undefined {
  let readable = true;
  let text: string;
  try {
    text = JSON.stringify(schema, function (this: Record<string, unknown>, key, value: unknown) {
      if (IGNORED.has(key)) return undefined;
      const raw = this[key];
      if (typeof raw === "function") {
        if (!(key === "requirement" && this.kind === "validation")) readable = false;
        return undefined;
      }
      if (raw instanceof Date) readable = false;
      if (raw instanceof RegExp) return String(raw);
      return typeof value === "bigint" ? `${value}n` : value;
    });
  } catch {
    return undefined;
  }
  return readable ? `${hash(text)}.${text.length}` : undefined;
}
