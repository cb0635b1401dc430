// A route's input schemas read once, at registration: the plan validation follows, the array keys, the params check.

import type { AnySchema } from "./types.js";
import type { ArrayKeys } from "./util/headers.js";

/** The schemas a route declares for its inputs. */
export interface InputSchemas {
  readonly body: AnySchema | undefined;
  readonly query: AnySchema | undefined;
  readonly params: AnySchema | undefined;
  readonly headers: AnySchema | undefined;
  /** Schema of the authorizer's claims (`request.auth`): 401 without claims, 403 when they fail. */
  readonly claims?: AnySchema | undefined;
}

/** What a route's schemas need, worked out once at build time. */
export interface InputPlan extends InputSchemas {
  /** Query keys whose schema is an array: they receive every value. */
  readonly queryArrays: ArrayKeys;
  /** Body keys (of a form body: urlencoded or multipart) whose schema is an array. */
  readonly bodyArrays: ArrayKeys;
}

/** The parts of a valibot schema object this file reads to find array-typed keys. */
interface SchemaShape {
  readonly type?: string;
  readonly wrapped?: SchemaShape;
  readonly options?: readonly SchemaShape[];
  readonly entries?: Readonly<Record<string, SchemaShape>>;
  readonly rest?: SchemaShape;
  readonly value?: SchemaShape;
}

/** Unwraps `optional`, `nullable`, `nullish`, `fallback`… (`pipe` keeps its root's fields). */
function unwrap(schema: SchemaShape | undefined): SchemaShape | undefined {
  let root = schema;
  while (root?.wrapped) root = root.wrapped;
  return root;
}

function isArrayLike(schema: SchemaShape | undefined): boolean {
  const root = unwrap(schema);
  if (root?.type === "array" || root?.type === "tuple") return true;
  // `v.union([v.string(), v.array(v.string())])` takes either, so give it every value.
  return root?.type === "union" && (root.options ?? []).some(isArrayLike);
}

function collect(schema: SchemaShape | undefined, named: Map<string, boolean>): boolean {
  const root = unwrap(schema);
  if (!root) return false;
  let rest = false;
  if (root.type === "union" || root.type === "variant" || root.type === "intersect") {
    for (const option of root.options ?? []) rest = collect(option, named) || rest;
    return rest;
  }
  for (const key in root.entries ?? {}) {
    named.set(key, (named.get(key) ?? false) || isArrayLike(root.entries![key]));
  }
  if (root.type === "object_with_rest") rest = isArrayLike(root.rest);
  if (root.type === "record") rest = isArrayLike(root.value);
  return rest;
}

const NONE: ArrayKeys = { has: () => false };

/**
 * The keys of an object schema (unwrapped through `optional`, `pipe`, unions and intersections)
 * whose schema is an array; with `v.record(…, v.array(…))` or an array `rest`, every key but the
 * scalar ones.
 */
export function arrayKeys(schema: AnySchema | undefined): ArrayKeys {
  if (!schema) return NONE;
  const named = new Map<string, boolean>();
  const rest = collect(schema as SchemaShape, named);
  const arrays = new Set([...named].filter(([, isArray]) => isArray).map(([key]) => key));
  if (rest) return { has: (name) => arrays.has(name) || !named.has(name) };
  return arrays.size > 0 ? arrays : NONE;
}

/** Schema types that never accept the object of strings a path gives: every request would fail. */
const NOT_AN_OBJECT = new Set([
  "string",
  "number",
  "bigint",
  "boolean",
  "symbol",
  "date",
  "array",
  "tuple",
  "loose_tuple",
  "strict_tuple",
  "tuple_with_rest",
  "null",
  "undefined",
  "void",
  "never",
  "literal",
  "picklist",
  "enum",
  "nan",
  "blob",
  "file",
  "function",
  "promise",
  "set",
  "map",
  "instance",
]);

function neverAnObject(schema: SchemaShape | undefined): boolean {
  const root = unwrap(schema);
  if (!root?.type) return false;
  if (root.type === "union" || root.type === "variant") {
    return (root.options ?? []).every(neverAnObject);
  }
  if (root.type === "intersect") return (root.options ?? []).some(neverAnObject);
  return NOT_AN_OBJECT.has(root.type);
}

const quoteAll = (names: readonly string[]) => names.map((n) => JSON.stringify(n)).join(", ");

/**
 * Checks a route's `params` schema against its path template, at build time: a schema that names
 * a key the template has no parameter for, a strict object that lacks one of its parameters, or
 * a schema that never takes an object would answer every request 422. Records, loose objects and
 * schemas this cannot see into (custom, lazy) pass.
 * @param name The route's name, `GET /items/{id}`, which starts the message.
 * @throws TypeError naming the route, the keys and the template's parameters.
 */
export function checkParams(
  name: string,
  paramNames: readonly string[],
  schema: AnySchema | undefined,
): void {
  if (!schema) return;
  const shape = schema as SchemaShape;
  const root = unwrap(shape);
  if (neverAnObject(shape)) {
    throw new TypeError(
      `${name}: the params schema must take an object (path parameters are an object of strings), got a schema of type ${JSON.stringify(root?.type)}`,
    );
  }
  const named = new Map<string, boolean>();
  collect(shape, named);
  const unknown = [...named.keys()].filter((key) => !paramNames.includes(key));
  const has = paramNames.length > 0 ? `it has ${quoteAll(paramNames)}` : "it has none";
  if (unknown.length === 1) {
    throw new TypeError(
      `${name}: the params schema names ${quoteAll(unknown)}, which is not a parameter of the path template (${has})`,
    );
  }
  if (unknown.length > 1) {
    throw new TypeError(
      `${name}: the params schema names ${quoteAll(unknown)}, which are not parameters of the path template (${has})`,
    );
  }
  const missing = paramNames.filter((key) => !named.has(key));
  if (root?.type === "strict_object" && missing.length > 0) {
    throw new TypeError(
      `${name}: the params schema is a strict object that lacks ${quoteAll(missing)}, ${missing.length === 1 ? "a parameter" : "parameters"} of the path template, so every request would answer 422`,
    );
  }
}

/** Plans a route's inputs, once, at build time. */
export function planInput(schemas: InputSchemas): InputPlan {
  return {
    ...schemas,
    queryArrays: arrayKeys(schemas.query),
    bodyArrays: arrayKeys(schemas.body),
  };
}
