// Response schema → a serializer: compiled ahead of time by `bundle`, else JSON Schema at build time → fast-json-stringify on first use.

import { type ConversionConfig, toJsonSchema } from "@valibot/to-json-schema";
import { schemaKey } from "./schema-key.js";
import type { AnySchema } from "./types.js";

/** A JSON-text serializer. */
export type Serializer = (value: unknown) => string;

/** How a route turns its return value into JSON. */
export interface SerializerPlan {
  /** The route's name (`GET /items/{id}`), for the error a value that does not fit throws. */
  readonly route: string;
  /** The JSON Schema of the response, when the route has one and uses the compiled serializer. */
  readonly jsonSchema: Record<string, unknown> | undefined;
  /** Made on first use and kept; `JSON.stringify` when there is no schema. */
  compiled: Serializer | undefined;
}

const plain: Serializer = (value) => JSON.stringify(value);

/**
 * How a response schema becomes JSON Schema for fast-json-stringify. The serializer needs only
 * the shape, so a validation action JSON Schema cannot express (`v.check`, a `v.minValue` on a
 * date) is left out rather than refused, and `v.date()` is a `date-time` string, which
 * fast-json-stringify writes with `toISOString()` as `JSON.stringify` does.
 */
const CONVERSION: ConversionConfig = {
  errorMode: "throw",
  typeMode: "input",
  overrideAction: ({ valibotAction, jsonSchema, errors }) =>
    errors && valibotAction.kind === "validation" ? jsonSchema : undefined,
  overrideSchema: ({ valibotSchema, jsonSchema }) =>
    valibotSchema.type === "date"
      ? { ...jsonSchema, type: "string", format: "date-time" }
      : undefined,
};

/** Keywords whose value is data, not a schema: left as they are. */
const DATA = new Set(["const", "enum", "default", "examples"]);

/**
 * Turns `anyOf: [X, {type: "null"}]` (valibot's `nullable`) into `type: [X.type, "null"]`:
 * fast-json-stringify serializes the second natively, while `anyOf` makes it compile an ajv
 * validator on first use (about 12 ms) and run it on every call.
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
 * Serializers compiled ahead of time by the `bundle` command, keyed by lib/schema-key.ts. The
 * bundle installs the table before the app's own code runs (lib/cli/precompile.ts).
 */
const PRECOMPILED = Symbol.for("aio-lambda-api.precompiled-serializers");
/**
 * Set by the `bundle` command while it imports the app to learn its response schemas: each
 * schema's key (null when it has none) and JSON Schema.
 */
const COLLECT = Symbol.for("aio-lambda-api.collect-serializers");

type Global = {
  [PRECOMPILED]?: ReadonlyMap<string, Serializer>;
  [COLLECT]?: [string | null, Record<string, unknown>][];
};

function convert(route: string, schema: AnySchema): Record<string, unknown> {
  try {
    const json = toJsonSchema(schema as Parameters<typeof toJsonSchema>[0], CONVERSION);
    return simplify(json) as Record<string, unknown>;
  } catch (error) {
    throw new TypeError(
      `${route}: its response schema cannot be expressed as JSON Schema (${
        error instanceof Error ? error.message : String(error)
      }); pass the route option { serializer: "json" } to use JSON.stringify instead`,
      { cause: error },
    );
  }
}

/**
 * Plans a route's serializer. In a bundle made by `aio-lambda-api bundle`, a schema whose
 * serializer was compiled ahead of time uses it as it is. Otherwise the JSON Schema conversion
 * runs now, at build time (about 0.5 ms for ten fields), so a schema JSON Schema cannot express
 * fails at once, naming the route, and compiling waits for the route's first call
 * (docs/validation.md, docs/deploy.md). `fallback` uses `JSON.stringify` instead (no filtering
 * of undeclared keys then).
 * @throws TypeError naming the route when the schema cannot be converted.
 */
export function planSerializer(
  route: string,
  schema: AnySchema | undefined,
  fallback: boolean,
): SerializerPlan {
  if (!schema || fallback) return { route, jsonSchema: undefined, compiled: plain };
  const global = globalThis as Global;
  const table = global[PRECOMPILED];
  const collect = global[COLLECT];
  const key = table || collect ? schemaKey(schema) : undefined;
  const ready = key === undefined ? undefined : table?.get(key);
  if (ready) return { route, jsonSchema: undefined, compiled: guarded(route, ready) };
  const jsonSchema = convert(route, schema);
  collect?.push([key ?? null, jsonSchema]);
  return { route, jsonSchema, compiled: undefined };
}

type Build = (schema: Record<string, unknown>) => Serializer;
let build: Promise<Build> | undefined;

/** Loads fast-json-stringify (and its ajv) on first need: a plain import never pays for it. */
function loadBuilder(): Promise<Build> {
  build ??= import("fast-json-stringify").then((mod) => {
    const fjs = (mod.default ?? mod) as unknown as (schema: unknown) => Serializer;
    return (schema) => fjs(schema);
  });
  return build;
}

/**
 * Wraps a compiled serializer so a value that does not fit the schema (a required key missing,
 * `"abc"` for a number) throws an error naming the route: the pipeline treats it as any uncaught
 * error, so nothing of it reaches the client.
 */
function guarded(route: string, serialize: Serializer): Serializer {
  return (value) => {
    try {
      return serialize(value);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new TypeError(
        `${route}: the returned value does not fit the response schema (${reason.slice(0, 200)})`,
        { cause: error },
      );
    }
  };
}

/** The route's serializer: compiled from its JSON Schema on first call, then reused. */
export function serializerOf(plan: SerializerPlan): Serializer | Promise<Serializer> {
  if (plan.compiled) return plan.compiled;
  const schema = plan.jsonSchema!;
  return loadBuilder().then((builder) => {
    plan.compiled ??= guarded(plan.route, builder(schema));
    return plan.compiled;
  });
}
