// Response schema → JSON Schema at build time → fast-json-stringify, compiled once on first use.

import { toJsonSchema } from "@valibot/to-json-schema";
import type { AnySchema } from "./types.js";

/** A JSON-text serializer. */
export type Serializer = (value: unknown) => string;

/** How a route turns its return value into JSON. */
export interface SerializerPlan {
  /** The JSON Schema of the response, when the route has one and uses the compiled serializer. */
  readonly jsonSchema: Record<string, unknown> | undefined;
  /** Made on first use and kept; `JSON.stringify` when there is no schema. */
  compiled: Serializer | undefined;
}

const plain: Serializer = (value) => JSON.stringify(value);

/**
 * Plans a route's serializer. The JSON Schema conversion runs now, at build time, so a schema
 * JSON Schema cannot express fails at once, naming the route; `fallback` uses `JSON.stringify`
 * instead (no filtering of undeclared keys then).
 * @throws TypeError naming the route when the schema cannot be converted.
 */
export function planSerializer(
  routeName: string,
  schema: AnySchema | undefined,
  fallback: boolean,
): SerializerPlan {
  if (!schema || fallback) return { jsonSchema: undefined, compiled: plain };
  try {
    const json = toJsonSchema(schema as Parameters<typeof toJsonSchema>[0], {
      errorMode: "throw",
      typeMode: "input",
    }) as Record<string, unknown>;
    return { jsonSchema: json, compiled: undefined };
  } catch (error) {
    throw new TypeError(
      `${routeName}: its response schema cannot be expressed as JSON Schema (${
        error instanceof Error ? error.message : String(error)
      }); pass the route option { serializer: "json" } to use JSON.stringify instead`,
      { cause: error },
    );
  }
}

let build: Promise<(schema: Record<string, unknown>) => Serializer> | undefined;

/** Loads fast-json-stringify on first need: a plain import of the library never pays for it. */
function loadBuilder(): Promise<(schema: Record<string, unknown>) => Serializer> {
  build ??= import("fast-json-stringify").then((mod) => {
    const fjs = (mod.default ?? mod) as unknown as (schema: unknown) => Serializer;
    return (schema) => fjs(schema);
  });
  return build;
}

/** The route's serializer: compiled from its JSON Schema on first call, then reused. */
export function serializerOf(plan: SerializerPlan): Serializer | Promise<Serializer> {
  if (plan.compiled) return plan.compiled;
  const schema = plan.jsonSchema!;
  return loadBuilder().then((builder) => {
    plan.compiled ??= builder(schema);
    return plan.compiled;
  });
}
