// JSON text of values, primitives and containers, coerced as fast-json-stringify coerces them (its lib/serializer.js), with its error messages.

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

/** One declared key of an object: how it is written, and what happens when it is undefined. */
export interface Field {
  readonly key: string;
  /** `"key":` */
  readonly prefix: string;
  readonly write: Write;
  readonly required: boolean;
  /** The default's JSON, written when the value is undefined. */
  readonly fallback: (() => string | undefined) | undefined;
}

const SKIPPED = new Set(["undefined", "function", "symbol"]);

/** An object of declared fields (and, with `rest`, its other keys), as fast-json-stringify writes it. */
export function objectWriter(fields: readonly Field[], rest: Write | undefined): Write {
  const declared = new Set(fields.map((field) => field.key));
  const count = fields.length;
  return (input) => {
    if (input === null) return "{}";
    const object = (
      typeof (input as { toJSON?: unknown })?.toJSON === "function"
        ? (input as { toJSON(): unknown }).toJSON()
        : input
    ) as Record<string, unknown>;
    let out = "";
    for (let i = 0; i < count; i++) {
      const field = fields[i]!;
      const value = object[field.key];
      let text: string | undefined;
      if (value !== undefined) text = field.write(value);
      else if (field.fallback) text = field.fallback();
      else if (field.required) throw new Error(`${JSON.stringify(field.key)} is required!`);
      if (text !== undefined) out += (out === "" ? "{" : ",") + field.prefix + text;
    }
    if (rest) {
      for (const key of Object.keys(object)) {
        const value = object[key];
        if (declared.has(key) || SKIPPED.has(typeof value)) continue;
        const text = rest(value);
        if (text !== undefined) out += `${out === "" ? "{" : ","}${quote(key)}:${text}`;
      }
    }
    return out === "" ? "{}" : `${out}}`;
  };
}

/** An array, each item by `item`. */
export function arrayWriter(pointer: string, item: Write): Write {
  return (input) => {
    if (input === null) return "[]";
    if (!Array.isArray(input)) throw mismatch(pointer);
    let out = "[";
    for (let i = 0; i < input.length; i++) out += (i === 0 ? "" : ",") + (item(input[i]) ?? "null");
    return `${out}]`;
  };
}

/** Declared items by their writers; extra ones by `rest`, as they are, or left out. */
export function tupleWriter(pointer: string, items: readonly Write[], rest: Write | "drop"): Write {
  return (input) => {
    if (input === null) return "[]";
    if (!Array.isArray(input)) throw mismatch(pointer);
    const end = rest === "drop" ? Math.min(input.length, items.length) : input.length;
    let out = "[";
    for (let i = 0; i < end; i++) {
      const write = (i < items.length ? items[i] : rest) as Write;
      out += (i === 0 ? "" : ",") + (write(input[i]) ?? "null");
    }
    return `${out}]`;
  };
}
