// JSON text of strings, numbers, booleans and dates, coerced as fast-json-stringify coerces them (its lib/serializer.js), with its error messages.

/** Writes a value as JSON text; `undefined` when there is nothing to write (JSON.stringify's rule). */
export type Write = (value: unknown) => string | undefined;

/** A string as JSON: short plain ones (most) without a native call. */
export function quote(text: string): string {
  const length = text.length;
  if (length >= 42) return JSON.stringify(text);
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(text);
  }
  return `"${text}"`;
}

/** Any value as JSON.stringify writes it. */
export const asAny: Write = (value) => JSON.stringify(value);

/** A string; anything else as its string form (null as "", a date as its ISO string). */
export const asString: Write = (value) => {
  if (typeof value === "string") return quote(value);
  if (value === null) return '""';
  if (value instanceof Date) return `"${value.toISOString()}"`;
  if (value instanceof RegExp) return quote(value.source);
  return quote(String((value as { toString(): unknown }).toString()));
};

/**
 * A number; anything else as `Number(value)`; infinities as null.
 * @throws Error when the value is not a number (NaN).
 */
export const asNumber: Write = (value) => {
  const n = typeof value === "number" ? value : Number(value);
  if (Number.isNaN(n)) {
    throw new Error(`The value "${String(value)}" cannot be converted to a number.`);
  }
  return Number.isFinite(n) ? `${n}` : "null";
};

/**
 * An integer; a fraction truncated.
 * @throws Error when the value is not a finite number.
 */
export const asInteger: Write = (value) => {
  if (Number.isInteger(value)) return `${value as number}`;
  const n = Math.trunc(value as number);
  if (!Number.isFinite(n)) {
    throw new Error(`The value "${String(value)}" cannot be converted to an integer.`);
  }
  return `${n}`;
};

/** A boolean: the value's truthiness. */
export const asBoolean: Write = (value) => (value ? "true" : "false");

/** Always null. */
export const asNull: Write = () => "null";

/**
 * A date as its ISO string; a string as it is.
 * @throws Error for anything else.
 */
export const asDateTime: Write = (value) => {
  if (value instanceof Date) return `"${value.toISOString()}"`;
  if (typeof value === "string") return quote(value);
  if (value === null) return '""';
  throw new Error(`The value "${String(value)}" cannot be converted to a date-time.`);
};

/** fast-json-stringify's error for a value of a type its schema does not list. */
export function mismatch(pointer: string): TypeError {
  return new TypeError(`The value of '${pointer}' does not match schema definition.`);
}

/** fast-json-stringify's test of each type of a `[type, "null"]` list, null aside. */
export const FITS: Record<string, (value: unknown) => boolean> = {
  string: (value) =>
    typeof value === "string" ||
    value instanceof Date ||
    value instanceof RegExp ||
    (typeof value === "object" &&
      typeof (value as object).toString === "function" &&
      (value as object).toString !== Object.prototype.toString),
  integer: (value) => Number.isInteger(value),
  number: (value) => typeof value === "number",
  boolean: (value) => typeof value === "boolean",
  object: (value) => typeof value === "object" && !Array.isArray(value),
  array: (value) => Array.isArray(value),
};
