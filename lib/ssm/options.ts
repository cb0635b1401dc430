// The options of the SSM helper, the result types they imply, and their checked defaults.

import type { GenericSchema, GenericSchemaAsync, InferOutput } from "valibot";
import { describeValue } from "../util/describe.js";

/** A valibot schema a parameter's value is checked with, synchronous or not. */
export type ParameterSchema = GenericSchema | GenericSchemaAsync;

/** How values are fetched and cached. */
export interface FetchOptions {
  /**
   * Asks SSM to decrypt `SecureString` values (`WithDecryption`); SSM ignores it for other
   * types. Cached apart: a value read with decryption is never served to a call without.
   * @default true
   */
  readonly decrypt?: boolean;
  /**
   * How old, in seconds, a cached value may be to be served without asking SSM. `0` always
   * asks (a call already under way for the same name is still shared); `Infinity` asks once.
   * @default 300
   */
  readonly maxAge?: number;
  /**
   * How long, in seconds past `maxAge`, a cached value may still be served when asking SSM
   * again fails with a server fault (5xx, throttling), a timeout or a network error, as
   * HTTP's `stale-if-error`. Not found, access denied and other client faults always throw.
   * @default 0
   */
  readonly staleIfError?: number;
}

/** How one parameter's value is returned. */
export interface ValueOptions extends FetchOptions {
  /**
   * Splits the value on commas and returns `string[]`: a `StringList`, or a list kept in a
   * `String`/`SecureString` (SSM has no secure list type).
   * @default false
   */
  readonly list?: boolean;
  /**
   * Parses the value as JSON (or, with `list`, takes the list) and checks it with this valibot
   * schema; the result is the schema's output.
   */
  readonly schema?: ParameterSchema;
}

/** The options of a call that asks for a plain string. */
export interface StringValueOptions extends FetchOptions {
  readonly list?: false;
  readonly schema?: undefined;
}

// `list: true` → string[]; absent, false or `{}` (L is unknown) → string; a boolean → either.
type ListValue<O> = O extends { readonly list?: infer L }
  ? [L] extends [true]
    ? string[]
    : unknown extends L
      ? string
      : true extends L
        ? string | string[]
        : string
  : string;

/** The value type a call's options imply: the schema's output, `string[]` or `string`. */
export type ParameterValue<O> = O extends { readonly schema: infer S extends ParameterSchema }
  ? InferOutput<S>
  : ListValue<O>;

/** Options of `getParameters`: those of one value, and what to do with missing names. */
export interface ManyOptions extends ValueOptions {
  /**
   * Leaves names SSM does not have out of the result instead of throwing a `ParameterError`
   * that names them (and carries the values found).
   * @default false
   */
  readonly allowMissing?: boolean;
}

/** The result of `getParameters`: a value for every name, or for some with `allowMissing`. */
export type ParametersResult<N extends string, O> = O extends { readonly allowMissing: true }
  ? Partial<Record<N, ParameterValue<O>>>
  : Record<N, ParameterValue<O>>;

/** Options of `getParametersByPath`. */
export interface PathOptions extends FetchOptions {
  /**
   * Includes every level below the path, not only its direct children.
   * @default false
   */
  readonly recursive?: boolean;
}

/** Fetch options with their defaults applied and checked. */
export interface Resolved {
  readonly decrypt: boolean;
  readonly maxAgeMs: number;
  readonly staleMs: number;
}

function seconds(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback * 1000;
  if (typeof value !== "number" || Number.isNaN(value) || value < 0) {
    throw new RangeError(`${name} must be a number of seconds >= 0, got ${describeValue(value)}`);
  }
  return value * 1000;
}

/** Applies the defaults (call options over instance options) and checks the numbers. */
export function resolve(call: FetchOptions | undefined, base: FetchOptions): Resolved {
  return {
    decrypt: call?.decrypt ?? base.decrypt ?? true,
    maxAgeMs: seconds("maxAge", call?.maxAge ?? base.maxAge, 300),
    staleMs: seconds("staleIfError", call?.staleIfError ?? base.staleIfError, 0),
  };
}

/** Checks a parameter name or path given by the caller. */
export function checkName(kind: "name" | "path", value: unknown): string {
  const ok =
    typeof value === "string" && value !== "" && (kind === "name" || value.startsWith("/"));
  if (!ok) {
    const expected =
      kind === "name" ? "a non-empty string" : 'a string starting with "/" (e.g. "/app/prod/")';
    throw new TypeError(`SSM parameter ${kind} must be ${expected}, got ${describeValue(value)}`);
  }
  return value;
}
