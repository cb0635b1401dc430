// Readers of untrusted JSON values: an object (not null, not an array) or a string, else undefined.

/** A parsed JSON object. */
export type Json = Record<string, unknown>;

/** `value` when it is a plain JSON object (not null, not an array), else undefined. */
export const obj = (value: unknown): Json | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;

/** `value` when it is a string, else undefined. */
export const str = (value: unknown): string | undefined =>
  typeof value === "string" ? value : undefined;
