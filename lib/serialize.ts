// Response schema → a serializer: the one compiled ahead of time when the bundle has it, else the schema's own writer.
//
// Two tiers, same JSON text. `aio-lambda-api bundle` and the esbuild plugin (lib/cli/precompile.ts)
// compile each response schema with fast-json-stringify's standalone mode and install the table
// before the app runs; without them (plain Node, tests, `dev`, a bundler without our plugin) a
// writer walked from the valibot schema (lib/schema-writer.ts) serializes. Neither brings
// fast-json-stringify's compiler, ajv or a JSON Schema converter into the app.

import { schemaKey } from "./schema-key.js";
import { schemaWriter } from "./schema-writer.js";
import type { AnySchema } from "./types.js";
import { errorReason } from "./util/describe.js";

/** A JSON-text serializer. */
export type Serializer = (value: unknown) => string;

/** How a route turns its return value into JSON. */
export interface SerializerPlan {
  /** The route's name (`GET /items/{id}`), for the error a value that does not fit throws. */
  readonly route: string;
  /**
   * `precompiled`: compiled ahead of time by the bundler; `schema`: the writer walked from the
   * schema; `json`: `JSON.stringify` (no schema, or `serializer: "json"`).
   */
  readonly tier: "precompiled" | "schema" | "json";
  readonly serialize: Serializer;
}

const plain: Serializer = (value) => JSON.stringify(value);

/**
 * Serializers compiled ahead of time by the bundler, keyed by lib/schema-key.ts. The bundle
 * installs the table before the app's own code runs (lib/cli/precompile.ts).
 */
const PRECOMPILED = Symbol.for("aio-lambda-api.precompiled-serializers");
/**
 * Set by the bundler while it imports the app to learn its response schemas: each schema's key
 * (null when it has none) and the schema itself, converted to JSON Schema by the bundler.
 */
const COLLECT = Symbol.for("aio-lambda-api.collect-serializers");

type Global = {
  [PRECOMPILED]?: ReadonlyMap<string, Serializer>;
  [COLLECT]?: [string | null, AnySchema][];
};

/**
 * Wraps a serializer so a value that does not fit the schema (a required key missing, `"abc"` for
 * a number) throws an error naming the route: the pipeline treats it as any uncaught error, so
 * nothing of it reaches the client.
 */
function guarded(route: string, serialize: Serializer): Serializer {
  return (value) => {
    try {
      return serialize(value);
    } catch (error) {
      throw new TypeError(
        `${route}: the returned value does not fit the response schema (${errorReason(error)})`,
        { cause: error },
      );
    }
  };
}

/**
 * Plans a route's serializer, at registration. A schema the bundle compiled ahead of time uses
 * that serializer; any other is walked now into its writer, so a schema JSON cannot carry fails
 * at once, naming the route. `fallback` uses `JSON.stringify` instead (no filtering of
 * undeclared keys then).
 * @throws TypeError naming the route when part of the schema has no JSON form (a bigint, a Map…).
 */
export function planSerializer(
  route: string,
  schema: AnySchema | undefined,
  fallback: boolean,
): SerializerPlan {
  if (!schema || fallback) return { route, tier: "json", serialize: plain };
  const global = globalThis as Global;
  const table = global[PRECOMPILED];
  const collect = global[COLLECT];
  const key = table || collect ? schemaKey(schema) : undefined;
  const ready = key === undefined ? undefined : table?.get(key);
  if (ready) return { route, tier: "precompiled", serialize: guarded(route, ready) };
  let write: Serializer;
  try {
    write = schemaWriter(schema);
  } catch (error) {
    throw new TypeError(
      `${route}: ${(error as Error).message}; pass the route option { serializer: "json" } to use JSON.stringify instead`,
      { cause: error },
    );
  }
  collect?.push([key ?? null, schema]);
  return { route, tier: "schema", serialize: guarded(route, write) };
}

/** The route's serializer. */
export function serializerOf(plan: SerializerPlan): Serializer {
  return plan.serialize;
}
