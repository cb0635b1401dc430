// Response schema → a JSON writer: the valibot schema walked once, at registration, into small functions that write only the keys it declares.
//
// This is the serializer of every response schema the bundler did not compile ahead of time
// (plain Node, tests, `dev`, a bundle made without our plugin). It writes the same JSON text as
// fast-json-stringify does with the schema's JSON Schema (lib/cli/response-schema.ts), so a value
// answers alike in both: required keys first, then optional ones, each in the schema's order;
// undefined keys left out, a static default written in their place; numbers, strings, booleans
// and dates coerced as fast-json-stringify coerces them, with its error messages.

import { is } from "valibot";
import type { AnySchema } from "./types.js";
import {
  asAny,
  asBoolean,
  asDateTime,
  asInteger,
  asNull,
  asNumber,
  asString,
  FITS,
  mismatch,
  type Field,
  objectWriter,
  arrayWriter,
  tupleWriter,
  type Write,
} from "./util/json-text.js";

/** The parts of a valibot schema the walk reads. */
interface Node {
  readonly type: string;
  readonly async?: boolean;
  readonly pipe?: readonly Node[];
  readonly wrapped?: Node;
  readonly default?: unknown;
  readonly entries?: Readonly<Record<string, Node>>;
  readonly rest?: Node;
  readonly item?: Node;
  readonly items?: readonly Node[];
  readonly options?: readonly unknown[];
  readonly value?: Node;
  readonly getter?: (input: unknown) => Node;
}

/** Schemas whose values JSON cannot carry: refused at registration. */
const REFUSED = new Set(["bigint", "blob", "file", "function", "map", "promise", "set", "symbol"]);
/** Entries that may be left out (also of the JSON Schema's `required`, lib/cli/response-schema.ts). */
export const NOT_REQUIRED = new Set([
  "optional",
  "exact_optional",
  "nullish",
  "undefinedable",
  "any",
  "unknown",
]);
/** Wrappers whose `default` JSON Schema writes (and so fast-json-stringify writes for undefined). */
const WITH_DEFAULT = new Set([
  "optional",
  "exact_optional",
  "undefinedable",
  "nullable",
  "nullish",
]);
const OBJECTS = new Set(["object", "loose_object", "strict_object", "object_with_rest"]);
const TUPLES = new Set(["tuple", "loose_tuple", "strict_tuple", "tuple_with_rest"]);

/** A schema's base: the first schema of its pipe (the input side of any transformation). */
function base(node: Node): Node {
  let at = node;
  while (at.pipe?.[0]) at = at.pipe[0];
  return at;
}

function hasAction(node: Node, types: readonly string[]): boolean {
  return (node.pipe ?? []).some((item) => types.includes(item.type) || hasAction(item, types));
}

/** What JSON Schema `type` the node converts to, when one: the nullable check reads it. */
function jsonType(node: Node): string | undefined {
  const root = base(node);
  if (root.type === "string" || root.type === "date") return "string";
  if (root.type === "number")
    return hasAction(node, ["integer", "safe_integer"]) ? "integer" : "number";
  if (root.type === "boolean") return "boolean";
  if (root.type === "record" || OBJECTS.has(root.type)) return "object";
  if (root.type === "array" || TUPLES.has(root.type)) return "array";
  if (root.type === "picklist" || root.type === "enum") {
    const options = root.options ?? [];
    if (options.every((o) => typeof o === "string")) return "string";
    if (options.every((o) => typeof o === "number")) return "number";
  }
  return undefined;
}

// --- the walk ---

/** The default a wrapper gives an undefined value, as JSON; the outermost one wins, as in JSON Schema. */
function fallbackOf(entry: Node): Field["fallback"] {
  for (let node = base(entry); WITH_DEFAULT.has(node.type); node = base(node.wrapped!)) {
    const given = node.default;
    if (given === undefined) continue;
    if (typeof given === "function") return () => JSON.stringify((given as () => unknown)());
    const text = JSON.stringify(given);
    return () => text;
  }
  return undefined;
}

/** Required keys first, each group in the schema's order: fast-json-stringify's order. */
function requiredFirst(fields: readonly Field[]): Field[] {
  return [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)];
}

function fieldsOf(entries: Readonly<Record<string, Node>>, pointer: string, at: string): Field[] {
  return Object.entries(entries).map(([key, entry]) => ({
    key,
    prefix: `${JSON.stringify(key)}:`,
    write: walk(entry, `${pointer}/properties/${key}`, at ? `${at}.${key}` : key),
    required: !NOT_REQUIRED.has(base(entry).type),
    fallback: fallbackOf(entry),
  }));
}

/**
 * Walks a schema into its writer.
 * @param pointer where the node sits in the JSON Schema (`#/properties/tags`), for fast-json-stringify's messages.
 * @param at where the node sits in the value (`owner.tags[]`), for registration errors.
 */
function walk(schema: Node, pointer: string, at: string): Write {
  const node = base(schema);
  if (REFUSED.has(node.type)) {
    throw new TypeError(
      `its response schema has a "${node.type}" schema${at ? ` at ${at}` : ""}, which JSON cannot carry`,
    );
  }
  switch (node.type) {
    case "string":
      return asString;
    case "number":
      return hasAction(schema, ["integer", "safe_integer"]) ? asInteger : asNumber;
    case "boolean":
      return asBoolean;
    case "null":
      return asNull;
    case "date":
      return asDateTime;
    case "picklist":
    case "enum": {
      const type = jsonType(node);
      return type === "string" ? asString : type === "number" ? asNumber : asAny;
    }
    case "optional":
    case "exact_optional":
    case "undefinedable": {
      const inner = walk(node.wrapped!, pointer, at);
      const fallback = fallbackOf(node);
      return (value) => (value === undefined ? fallback?.() : inner(value));
    }
    case "nullable":
    case "nullish": {
      const inner = walk(node.wrapped!, pointer, at);
      const type = jsonType(node.wrapped!);
      const fits = type === undefined ? undefined : FITS[type];
      return (value) => {
        if (value === null) return "null";
        if (fits && !fits(value)) throw mismatch(pointer);
        return inner(value);
      };
    }
    case "non_optional":
    case "non_nullable":
    case "non_nullish":
      return walk(node.wrapped!, pointer, at);
    case "object":
    case "loose_object":
    case "strict_object":
      return objectWriter(requiredFirst(fieldsOf(node.entries!, pointer, at)), undefined);
    case "object_with_rest":
      return objectWriter(
        requiredFirst(fieldsOf(node.entries!, pointer, at)),
        base(node.rest!).type === "never"
          ? undefined
          : walk(node.rest!, `${pointer}/additionalProperties`, `${at}[*]`),
      );
    case "record":
      return objectWriter([], walk(node.value!, `${pointer}/additionalProperties`, `${at}[*]`));
    case "array":
      return arrayWriter(pointer, walk(node.item!, `${pointer}/items`, `${at}[]`));
    case "tuple":
    case "strict_tuple":
    case "loose_tuple":
    case "tuple_with_rest": {
      const items = node.items!.map((item, i) =>
        walk(item, `${pointer}/items/${i}`, `${at}[${i}]`),
      );
      const rest =
        node.type === "tuple_with_rest"
          ? walk(node.rest!, `${pointer}/additionalItems`, `${at}[]`)
          : node.type === "loose_tuple"
            ? asAny
            : "drop";
      return tupleWriter(pointer, items, rest);
    }
    case "union":
    case "variant":
      return unionWriter(node, pointer, at);
    case "intersect":
      return intersectWriter(node, pointer, at);
    case "lazy": {
      // Walked on first use of each schema the getter gives (a recursive schema: once a depth).
      const getter = node.getter!;
      const writers = new WeakMap<Node, Write>();
      return (value) => {
        const inner = getter(value);
        let write = writers.get(inner);
        if (!write) writers.set(inner, (write = walk(inner, pointer, at)));
        return write(value);
      };
    }
    case "literal": {
      // The literal itself, whatever the value, as fast-json-stringify writes a `const`.
      const literal = (node as { literal?: unknown }).literal;
      if (typeof literal === "bigint" || typeof literal === "symbol") return asAny;
      const text = JSON.stringify(literal);
      return () => text;
    }
    default:
      // any, unknown, custom, instance…: written as they are.
      return asAny;
  }
}

/** Whether the node's writer can write a value otherwise than JSON.stringify (drops keys). */
function filters(schema: Node): boolean {
  const node = base(schema);
  if (OBJECTS.has(node.type) || node.type === "lazy" || node.type === "intersect") return true;
  if (node.wrapped) return filters(node.wrapped);
  const inside = [node.item, node.value, node.rest, ...(node.items ?? [])];
  if (node.type === "union" || node.type === "variant") inside.push(...(node.options as Node[]));
  return inside.some((child) => child !== undefined && filters(child));
}

/**
 * The first option the value fits (valibot's own check) writes it, as fast-json-stringify picks
 * the first option its validator accepts; options that never drop a key are written as they are.
 */
function unionWriter(node: Node, pointer: string, at: string): Write {
  const options = node.options as Node[];
  if (!options.some(filters) || options.some((option) => option.async)) return asAny;
  const word = node.type === "union" ? "anyOf" : "oneOf";
  const writers = options.map((option, i) => walk(option, `${pointer}/${word}/${i}`, at));
  return (value) => {
    for (let i = 0; i < options.length; i++) {
      if (is(options[i] as AnySchema as Parameters<typeof is>[0], value)) return writers[i]!(value);
    }
    throw mismatch(pointer);
  };
}

/** Objects intersected: one object of every option's keys, as fast-json-stringify merges allOf. */
function intersectWriter(node: Node, pointer: string, at: string): Write {
  const options = (node.options as Node[]).map(base);
  if (!options.every((option) => OBJECTS.has(option.type))) return asAny;
  const byKey = new Map<string, Field>();
  for (const option of options) {
    for (const field of fieldsOf(option.entries!, pointer, at)) {
      const seen = byKey.get(field.key);
      byKey.set(field.key, seen ? { ...seen, required: seen.required || field.required } : field);
    }
  }
  return objectWriter(requiredFirst([...byKey.values()]), undefined);
}

/**
 * The writer of a response schema: JSON text of the keys it declares, in fast-json-stringify's
 * order. Walks the schema now, so a schema JSON cannot carry fails at registration.
 * @throws TypeError when part of the schema has no JSON form (bigint, Map, Set, function…).
 */
export function schemaWriter(schema: AnySchema): (value: unknown) => string {
  const write = walk(schema as unknown as Node, "#", "");
  return (value) => write(value) ?? "null";
}
