// A request body's content by media type: multipart/form-data when the schema takes files, a form or JSON otherwise.

import type { AnySchema } from "../types.js";
import { pipeRoot } from "./schemas.js";
import type { JsonSchema } from "./schemas.js";

/** The parts of a valibot schema this file reads. */
interface Node {
  readonly type?: string;
  readonly class?: unknown;
  readonly wrapped?: Node;
  readonly pipe?: readonly Node[];
  readonly entries?: Readonly<Record<string, Node>>;
  readonly item?: Node;
  readonly options?: readonly Node[];
}

const JSON_TYPE = "application/json";
const FORM_TYPE = "application/x-www-form-urlencoded";
const MULTIPART_TYPE = "multipart/form-data";

/** A binary part as OpenAPI 3.1 writes it (`format: binary` for tools that read 3.0). */
export const BINARY: JsonSchema = Object.freeze({
  type: "string",
  format: "binary",
  contentMediaType: "application/octet-stream",
});

/** Whether a valibot schema is a file: `v.file()`, `v.blob()`, `v.instance(File)` or `v.instance(Blob)`. */
export function isFileSchema(schema: {
  readonly type?: string;
  readonly class?: unknown;
}): boolean {
  if (schema.type === "file" || schema.type === "blob") return true;
  return (
    schema.type === "instance" &&
    typeof globalThis.Blob === "function" &&
    (schema.class === globalThis.Blob || schema.class === globalThis.File)
  );
}

/** The schema inside `optional`, `nullable`… and a pipe's root. */
function root(schema: Node | undefined): Node | undefined {
  let node = schema;
  while (node?.wrapped) node = node.wrapped;
  return node ? pipeRoot(node) : undefined;
}

/** The fields of an object schema (of each option of a union), or undefined when it is not one. */
function fields(schema: AnySchema): Node[] | undefined {
  const node = root(schema as Node);
  if (node?.entries) return Object.values(node.entries);
  if (node?.options) {
    const all = node.options.map((option) => fields(option as AnySchema));
    return all.every((f) => f !== undefined) ? all.flat() : undefined;
  }
  return undefined;
}

const takesFile = (field: Node): boolean => {
  const node = root(field);
  if (!node) return false;
  if (isFileSchema(node)) return true;
  if (node.type === "array" && node.item) return takesFile(node.item);
  return (node.options ?? []).some(takesFile);
};

/** A form sends strings: a field a form can fill is a string (or strings) at its root. */
const takesText = (field: Node): boolean => {
  const node = root(field);
  if (!node) return false;
  if (node.type === "string") return true;
  if (node.type === "array" && node.item) return takesText(node.item);
  return node.type === "union" && (node.options ?? []).every(takesText);
};

/**
 * The request body's `content`: `multipart/form-data` when a field takes files (JSON cannot carry
 * them); JSON and `application/x-www-form-urlencoded` when every field takes text, which is all a
 * form sends; JSON alone otherwise.
 */
export function bodyContent(
  schema: AnySchema,
  json: JsonSchema,
): Record<string, { schema: JsonSchema }> {
  const parts = fields(schema);
  if (parts?.some(takesFile)) return { [MULTIPART_TYPE]: { schema: json } };
  if (parts && parts.length > 0 && parts.every(takesText)) {
    return { [JSON_TYPE]: { schema: json }, [FORM_TYPE]: { schema: json } };
  }
  return { [JSON_TYPE]: { schema: json } };
}
