// Response schema → the JSON Schema fast-json-stringify compiles at bundle time, and the program that collects an app's schemas.
//
// Runs only at bundle time, in the child process lib/cli/precompile.ts starts: never part of an
// app's bundle, so @valibot/to-json-schema stays out of it.

import { writeFileSync } from "node:fs";
import { type ConversionConfig, toJsonSchema } from "@valibot/to-json-schema";
import { NOT_REQUIRED } from "../schema-writer.js";
import type { AnySchema } from "../types.js";

/** A JSON Schema as plain data. */
export type JsonSchema = Record<string, unknown>;

/** What the collector writes: each schema's key and JSON Schema, or why it has none. */
export interface Collected {
  readonly schemas?: readonly {
    readonly key: string | null;
    readonly schema?: JsonSchema;
    readonly error?: string;
  }[];
  /** Why importing the app failed. */
  readonly error?: string;
}

/** Set by lib/serialize.ts's collector: each registered response schema with its key. */
const COLLECT = Symbol.for("aio-lambda-api.collect-serializers");

/**
 * How a response schema becomes JSON Schema for fast-json-stringify. The serializer needs only
 * the shape, so a validation action JSON Schema cannot express (`v.check`, a `v.minValue` on a
 * date) is left out rather than refused, and `v.date()` is a `date-time` string, which
 * fast-json-stringify writes with `toISOString()` as `JSON.stringify` does. An entry that may be
 * undefined (`v.undefinedable`, `v.unknown`) is not required: JSON leaves it out, as the run-time
 * writer does (lib/schema-writer.ts), instead of failing with "is required!".
 */
const CONVERSION: ConversionConfig = {
  errorMode: "throw",
  typeMode: "input",
  overrideAction: ({ valibotAction, jsonSchema, errors }) =>
    errors && valibotAction.kind === "validation" ? jsonSchema : undefined,
  overrideSchema: ({ valibotSchema, jsonSchema }) => {
    if (valibotSchema.type === "date")
      return { ...jsonSchema, type: "string", format: "date-time" };
    const entries = (valibotSchema as { entries?: Record<string, AnySchema> }).entries;
    if (entries && Array.isArray(jsonSchema.required)) {
      const required = jsonSchema.required.filter(
        (key) => !NOT_REQUIRED.has(rootType(entries[key as string])),
      );
      return { ...jsonSchema, required };
    }
    return undefined;
  },
};

/** The type of a schema's base (the first schema of its pipe). */
function rootType(schema: AnySchema | undefined): string {
  let at = schema as { type?: string; pipe?: unknown[] } | undefined;
  while (at?.pipe?.[0]) at = at.pipe[0] as typeof at;
  return at?.type ?? "";
}

/** Keywords whose value is data, not a schema: left as they are. */
const DATA = new Set(["const", "enum", "default", "examples"]);

/**
 * Turns `anyOf: [X, {type: "null"}]` (valibot's `nullable`) into `type: [X.type, "null"]`:
 * fast-json-stringify serializes the second natively, while `anyOf` makes it validate with ajv.
 */
function simplify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(simplify);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const key in node) {
    const value = (node as Record<string, unknown>)[key];
    out[key] = DATA.has(key) ? value : simplify(value);
  }
  const anyOf = out.anyOf;
  if (Array.isArray(anyOf) && anyOf.length === 2) {
    const nullAt = anyOf.findIndex((s) => isOnly(s, { type: "null" }));
    const other = anyOf[1 - nullAt] as Record<string, unknown> | undefined;
    if (nullAt !== -1 && other && typeof other.type === "string" && !("anyOf" in other)) {
      delete out.anyOf;
      return { ...out, ...other, type: [other.type, "null"] };
    }
  }
  return out;
}

function isOnly(value: unknown, expected: Record<string, unknown>): boolean {
  if (typeof value !== "object" || value === null) return false;
  const keys = Object.keys(value);
  return (
    keys.length === Object.keys(expected).length &&
    keys.every((k) => (value as Record<string, unknown>)[k] === expected[k])
  );
}

/**
 * The JSON Schema fast-json-stringify compiles for a response schema.
 * @throws Error (from @valibot/to-json-schema) when part of the schema has no JSON Schema form
 * (`v.custom`, `v.nonNullable`…); its route then keeps the run-time writer.
 */
export function responseJsonSchema(schema: AnySchema): JsonSchema {
  const json = toJsonSchema(schema as Parameters<typeof toJsonSchema>[0], CONVERSION);
  return simplify(json) as JsonSchema;
}

/**
 * The collector's program, run in a child process: installs the collector lib/serialize.ts
 * fills, imports the app at `appUrl`, converts each schema it registered and writes
 * {@link Collected} as JSON to `out`.
 */
export async function collectResponseSchemas(appUrl: string, out: string): Promise<void> {
  const seen: [string | null, AnySchema][] = [];
  (globalThis as Record<symbol, unknown>)[COLLECT] = seen;
  let collected: Collected;
  try {
    await import(appUrl);
    collected = {
      schemas: seen.map(([key, schema]) => {
        if (key === null) return { key };
        try {
          return { key, schema: responseJsonSchema(schema) };
        } catch (error) {
          return { key, error: (error as Error).message };
        }
      }),
    };
  } catch (error) {
    collected = { error: String((error as Error)?.message ?? error).slice(0, 500) };
  }
  writeFileSync(out, JSON.stringify(collected));
}
