// A request body's content by media type: multipart/form-data when the schema takes files, a form or JSON otherwise.

import type { AnySchema } from "../types.js";
import { isFileSchema, type JsonSchema, pipeRoot } from "./schemas.js";

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

/** The schema inside `optional`, `nullable`… and a pipe's root. */
function root(schema: Node): Node {
  let node = schema;
  while (node.wrapped) node = node.wrapped;
  return pipeRoot(node);
}

/** Whether a field's schema, an array's items or every option of a union, passes `test`. */
function takes(field: Node, test: (node: Node) => boolean): boolean {
  const node = root(field);
  if (node.type === "array") return takes(node.item!, test);
  if (node.type === "union") return node.options!.every((option) => takes(option, test));
  return test(node);
}

/**
 * The request body's `content`: `multipart/form-data` when a field takes files (JSON cannot carry
 * them); JSON and `application/x-www-form-urlencoded` when every field takes text, which is all a
 * form sends; JSON alone otherwise.
 */
export function bodyContent(
  schema: AnySchema,
  json: JsonSchema,
): Record<string, { schema: JsonSchema }> {
  const fields = Object.values(root(schema as Node).entries ?? {});
  const content = { schema: json };
  if (fields.some((field) => takes(field, isFileSchema))) {
    return { "multipart/form-data": content };
  }
  if (
    fields.length > 0 &&
    fields.every((field) => takes(field, (node) => node.type === "string"))
  ) {
    return { "application/json": content, "application/x-www-form-urlencoded": content };
  }
  return { "application/json": content };
}
