// Valibot schemas → JSON Schema 2020-12 for OpenAPI 3.1, named schemas written once under components.

import { type ConversionConfig, toJsonSchema } from "@valibot/to-json-schema";
import type { AnySchema } from "../types.js";
import { quote } from "../util/describe.js";
import { COMPONENT_NAME, componentRef, mergeSameTitled, RESERVED } from "./refs.js";

/** A JSON Schema (2020-12, the dialect of OpenAPI 3.1) as plain data. */
export type JsonSchema = Record<string, unknown>;

/** The parts of a valibot schema (or pipe item) that naming and walking read. */
interface Node {
  readonly kind?: string;
  readonly type?: string;
  readonly pipe?: readonly Node[];
  readonly wrapped?: Node;
  readonly entries?: Readonly<Record<string, Node>>;
  readonly item?: Node;
  readonly items?: readonly Node[];
  readonly rest?: Node;
  readonly options?: readonly Node[];
  readonly key?: Node;
  readonly value?: Node;
  readonly getter?: (input: unknown) => Node;
  readonly title?: unknown;
  readonly metadata?: { readonly title?: unknown };
}

function flatPipe(pipe: readonly Node[]): Node[] {
  return pipe.flatMap((item) => (item.pipe ? flatPipe(item.pipe) : [item]));
}

/** A binary part as OpenAPI 3.1 writes it (`format: binary` for tools that read 3.0). */
export const BINARY: JsonSchema = Object.freeze({
  type: "string",
  format: "binary",
  contentMediaType: "application/octet-stream",
});

/** Whether a valibot schema is a file: `v.file()`, `v.blob()`, `v.instance(File)` or `v.instance(Blob)`. */
export const isFileSchema = (schema: {
  readonly type?: string;
  readonly class?: unknown;
}): boolean =>
  schema.type === "file" ||
  schema.type === "blob" ||
  (schema.type === "instance" && (schema.class === Blob || schema.class === File));

/** The root schema of a pipe (its first item), else the schema itself. */
export function pipeRoot(schema: Node): Node {
  return schema.pipe ? (flatPipe(schema.pipe)[0] ?? schema) : schema;
}

/** The title a schema gives itself with `v.title()` or `v.metadata({ title })`, the last one. */
function titleOf(schema: Node): string | undefined {
  if (!schema.pipe) return undefined;
  let title: string | undefined;
  for (const item of flatPipe(schema.pipe)) {
    if (item.kind !== "metadata") continue;
    if (item.type === "title" && typeof item.title === "string") title = item.title;
    if (item.type === "metadata" && typeof item.metadata?.title === "string") {
      title = item.metadata.title;
    }
  }
  return title;
}

/** The schemas directly inside `schema`, in the order the converter visits them. */
function children(schema: Node): Node[] {
  const root = pipeRoot(schema);
  switch (root.type) {
    case "object":
    case "loose_object":
    case "strict_object":
    case "object_with_rest":
      return [...Object.values(root.entries ?? {}), ...(root.rest ? [root.rest] : [])];
    case "array":
      return root.item ? [root.item] : [];
    case "tuple":
    case "loose_tuple":
    case "strict_tuple":
    case "tuple_with_rest":
      return [...(root.items ?? []), ...(root.rest ? [root.rest] : [])];
    case "union":
    case "variant":
    case "intersect":
      return [...(root.options ?? [])];
    case "record":
      return [root.key, root.value].filter((node): node is Node => node !== undefined);
    case "lazy":
      try {
        return root.getter ? [root.getter(undefined)] : [];
      } catch {
        // The converter calls the getter the same way; it reports the failure itself.
        return [];
      }
    default:
      return root.wrapped ? [root.wrapped] : [];
  }
}

/** Every schema reachable from `schema` (itself first), each once. */
function reachable(schema: Node, seen = new Set<Node>()): Set<Node> {
  if (seen.has(schema)) return seen;
  seen.add(schema);
  for (const child of children(schema)) reachable(child, seen);
  return seen;
}

/** A name OpenAPI accepts for a title: runs of other characters become `_`. */
function sanitize(title: string): string {
  return title.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^_+|_+$/g, "") || "Schema";
}

/** Options of {@link createRegistry}. */
export interface RegistryOptions {
  /** Explicit names: `{ Item }` writes the schema `Item` as the component `Item`. */
  readonly named?: Readonly<Record<string, AnySchema>>;
  /** Throw when a schema or action has no JSON Schema form, instead of leaving it out. */
  readonly strict?: boolean;
}

/** Converts route schemas, collecting named schemas as components. */
export interface SchemaRegistry {
  /**
   * The JSON Schema of `schema`; named schemas inside it (or it, when named) are `$ref`s.
   * @param where names the schema in errors: `GET /items body`.
   */
  convert(schema: AnySchema, where: string): JsonSchema;
  /** The components written so far, by name, with identical same-titled copies merged. */
  components(): { schemas: Record<string, JsonSchema>; aliases: Map<string, string> };
}

/**
 * Plans component names for every schema reachable from `schemas`: explicit names first, then
 * titles in the order met. Two different schemas with one title get `Title`, `Title_2`…; when
 * their JSON Schemas turn out identical, {@link SchemaRegistry.components} merges them.
 * @throws TypeError for an explicit name OpenAPI does not allow, or one the document reserves.
 */
export function createRegistry(
  schemas: readonly AnySchema[],
  options: RegistryOptions = {},
): SchemaRegistry {
  const names = new Map<Node, string>();
  const baseOf = new Map<string, string>();
  const taken = new Set<string>(RESERVED);
  for (const [name, schema] of Object.entries(options.named ?? {})) {
    if (!COMPONENT_NAME.test(name) || taken.has(name)) {
      throw new TypeError(
        `openapi: schema name ${quote(name)} is not allowed; expected letters, digits, ".", "-" or "_", and none of ${RESERVED.join(", ")}`,
      );
    }
    names.set(schema as Node, name);
    taken.add(name);
  }
  const seen = new Set<Node>();
  for (const schema of schemas) reachable(schema as Node, seen);
  for (const node of seen) {
    const title = names.has(node) ? undefined : titleOf(node);
    if (title === undefined) continue;
    const base = sanitize(title);
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    names.set(node, name);
    baseOf.set(name, base);
    taken.add(name);
  }

  const written: Record<string, JsonSchema> = {};
  const unnamed = new Map<Node, string>();
  const nameFor = (node: Node): string => {
    let name = names.get(node) ?? unnamed.get(node);
    if (name === undefined) {
      // A lazy (recursive) schema without a title still needs a component to point at.
      let n = 1;
      while (taken.has(`Schema${n}`)) n++;
      name = `Schema${n}`;
      unnamed.set(node, name);
      taken.add(name);
    }
    return name;
  };

  const config = (definitions: Record<string, AnySchema>, auto: Map<string, string>) =>
    ({
      target: "draft-2020-12",
      typeMode: "input",
      errorMode: options.strict ? "throw" : "ignore",
      definitions,
      overrideRef: ({ referenceId, valibotSchema }) => {
        const name = nameFor(valibotSchema as Node);
        auto.set(referenceId, name);
        return componentRef(name);
      },
      overrideSchema: ({ valibotSchema, jsonSchema }) => {
        // As the serializer sends it (lib/serialize.ts): JSON has no dates.
        if (valibotSchema.type === "date")
          return { ...jsonSchema, type: "string", format: "date-time" };
        // A file field of a multipart body is a binary part, not the empty schema `{}`.
        return isFileSchema(valibotSchema as { type: string }) ? { ...BINARY } : null;
      },
    }) as ConversionConfig;

  return {
    convert(schema, where) {
      const definitions: Record<string, AnySchema> = {};
      for (const node of reachable(schema as Node)) {
        const name = names.get(node);
        if (name !== undefined) definitions[name] = node as AnySchema;
      }
      const auto = new Map<string, string>();
      let json: JsonSchema;
      try {
        json = toJsonSchema(
          schema as Parameters<typeof toJsonSchema>[0],
          config(definitions, auto),
        ) as JsonSchema;
      } catch (error) {
        throw new TypeError(
          `openapi: the ${where} schema has no JSON Schema form (${error instanceof Error ? error.message : String(error)}); leave strict off to document it without that part`,
          { cause: error },
        );
      }
      const { $schema: _, $defs, ...rest } = json;
      const defs = ($defs ?? {}) as Record<string, JsonSchema>;
      for (const [id, name] of auto) {
        const def = defs[id];
        if (def !== undefined && !(name in written)) written[name] = def;
      }
      return rest;
    },
    components() {
      return mergeSameTitled(written, baseOf);
    },
  };
}
