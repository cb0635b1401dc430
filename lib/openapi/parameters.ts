// A route's path template and its params / query / headers schemas → OpenAPI parameter objects.

import type { RouteRecord } from "../route.js";
import type { AnySchema } from "../types.js";
import { type JsonSchema, pipeRoot, type SchemaRegistry } from "./schemas.js";

/** An OpenAPI 3.1 Parameter Object, as this generator writes it. */
export interface ParameterObject {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  description?: string;
  style?: "form";
  explode?: boolean;
  schema: JsonSchema;
}

interface Shape {
  readonly type?: string;
  readonly entries?: Readonly<Record<string, AnySchema>>;
  readonly options?: readonly AnySchema[];
}

const OBJECT_TYPES = new Set(["object", "loose_object", "strict_object", "object_with_rest"]);
/** The entry types an object may lack, as @valibot/to-json-schema counts them for `required`. */
const OPTIONAL_TYPES = new Set(["optional", "exact_optional", "nullish"]);

/**
 * The named entries of an object schema, through `pipe` and `intersect`; undefined when the
 * schema is no object (a record, a union): then its keys are not known one by one.
 */
export function objectEntries(schema: AnySchema): Record<string, AnySchema> | undefined {
  const root = pipeRoot(schema as Shape) as Shape;
  if (root.type && OBJECT_TYPES.has(root.type)) return { ...root.entries };
  if (root.type === "intersect") {
    const merged: Record<string, AnySchema> = {};
    for (const option of root.options ?? []) {
      const entries = objectEntries(option);
      if (!entries) return undefined;
      Object.assign(merged, entries);
    }
    return merged;
  }
  return undefined;
}

/** Whether an object may lack this entry. */
export function isOptional(schema: AnySchema): boolean {
  return OPTIONAL_TYPES.has((schema as Shape).type ?? "");
}

/** Copies a schema's description to the parameter, where explorers show it. */
function withDescription(parameter: ParameterObject): ParameterObject {
  const { name, in: where, schema, ...rest } = parameter;
  const description = schema.description;
  return typeof description === "string"
    ? { name, in: where, description, ...rest, schema }
    : parameter;
}

/**
 * The parameters of a route: its path parameters in template order (typed by the `params`
 * schema when it has the key, else strings), then the `query` keys (array keys exploded as the
 * router reads them: `?tag=a&tag=b`), then the `headers` keys.
 */
export function parametersOf(route: RouteRecord, registry: SchemaRegistry): ParameterObject[] {
  const out: ParameterObject[] = [];
  const { params, query, headers } = route.input;
  const paramEntries = params ? objectEntries(params) : undefined;
  for (const segment of route.parsed.segments) {
    if (segment.kind === "static") continue;
    const entry = paramEntries?.[segment.name];
    const parameter = withDescription({
      name: segment.name,
      in: "path",
      required: true,
      schema: entry
        ? registry.convert(entry, `${route.name} path parameter ${JSON.stringify(segment.name)}`)
        : { type: "string" },
    });
    if (segment.kind === "greedy" && parameter.description === undefined) {
      parameter.description = "The rest of the path: one or more segments, `/` included.";
    }
    out.push(parameter);
  }
  if (query) out.push(...partParameters(route, "query", query, registry));
  if (headers) out.push(...partParameters(route, "header", headers, registry));
  return out;
}

function partParameters(
  route: RouteRecord,
  where: "query" | "header",
  schema: AnySchema,
  registry: SchemaRegistry,
): ParameterObject[] {
  const entries = objectEntries(schema);
  if (!entries) {
    // A record or union of keys: OpenAPI's free-form object parameter, exploded into pairs.
    if (where === "header") return [];
    return [
      {
        name: "query",
        in: "query",
        required: false,
        style: "form",
        explode: true,
        schema: registry.convert(schema, `${route.name} query`),
      },
    ];
  }
  return Object.entries(entries).map(([name, entry]) => {
    const parameter: ParameterObject = withDescription({
      name,
      in: where,
      required: !isOptional(entry),
      schema: registry.convert(entry, `${route.name} ${where} ${JSON.stringify(name)}`),
    });
    if (where === "query" && route.input.queryArrays.has(name)) {
      parameter.style = "form";
      parameter.explode = true;
    }
    return parameter;
  });
}
