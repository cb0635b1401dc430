// Component names and $refs: the allowed names, the reserved ones, and merging same-titled twins.

import type { JsonSchema } from "./schemas.js";

/** Component names: what OpenAPI 3.1 allows as a key of `components/schemas`. */
export const COMPONENT_NAME = /^[A-Za-z0-9._-]+$/;

/** Names the document itself uses; a user schema titled so gets a suffix. */
export const RESERVED = ["HTTPError", "HTTPValidationError", "ValidationError"] as const;

/** The `$ref` of a component. */
export function componentRef(name: string): string {
  return `#/components/schemas/${name}`;
}

/** JSON text with sorted keys: equal for equal schemas whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`).join(",")}}`;
}

/** Replaces every `$ref` found in `aliases` (in place), anywhere in `node`. */
export function rewriteRefs(node: unknown, aliases: ReadonlyMap<string, string>): void {
  if (aliases.size === 0 || typeof node !== "object" || node === null) return;
  if (Array.isArray(node)) {
    for (const item of node) rewriteRefs(item, aliases);
    return;
  }
  const record = node as Record<string, unknown>;
  for (const key in record) {
    const value = record[key];
    if (key === "$ref" && typeof value === "string") {
      const target = aliases.get(value.slice(componentRef("").length));
      if (value.startsWith(componentRef("")) && target !== undefined) {
        record[key] = componentRef(target);
      }
    } else rewriteRefs(value, aliases);
  }
}

/**
 * Merges `Item_2` into `Item` when both came from the title "Item" and their JSON Schemas are
 * identical (the same schema written twice, `v.pipe(Base, v.title("Item"))` in two routes),
 * repeating until nothing merges, since merging one can make its users identical.
 */
export function mergeSameTitled(
  written: Record<string, JsonSchema>,
  baseOf: ReadonlyMap<string, string>,
): { schemas: Record<string, JsonSchema>; aliases: Map<string, string> } {
  const schemas: Record<string, JsonSchema> = structuredClone(written);
  const aliases = new Map<string, string>();
  for (let merged = true; merged; ) {
    merged = false;
    const firstOf = new Map<string, string>();
    const round = new Map<string, string>();
    for (const name of Object.keys(schemas).sort(byNumber)) {
      const base = baseOf.get(name);
      if (base === undefined) continue;
      const key = `${base}\u0000${canonical(schemas[name])}`;
      const first = firstOf.get(key);
      if (first === undefined) firstOf.set(key, name);
      else round.set(name, first);
    }
    for (const [from, to] of round) {
      delete schemas[from];
      aliases.set(from, to);
      for (const [k, v] of aliases) if (v === from) aliases.set(k, to);
      merged = true;
    }
    rewriteRefs(schemas, round);
  }
  // Close the gaps merging left: `Item`, `Item_3` become `Item`, `Item_2`.
  const groups = new Map<string, string[]>();
  for (const name of Object.keys(schemas).sort(byNumber)) {
    const base = baseOf.get(name);
    if (base !== undefined) groups.set(base, [...(groups.get(base) ?? []), name]);
  }
  const renames = new Map<string, string>();
  for (const [base, names] of groups) {
    const wanted = names.map((_, i) => (i === 0 ? base : `${base}_${i + 1}`));
    // Only when no other schema holds one of the names (a title "Item_2", a built-in one).
    const held = (name: string) =>
      name in schemas || (RESERVED as readonly string[]).includes(name);
    if (wanted.some((name) => held(name) && !names.includes(name))) continue;
    names.forEach((name, i) => {
      if (name !== wanted[i]) renames.set(name, wanted[i]!);
    });
  }
  const moved = Object.entries(schemas).filter(([name]) => renames.has(name));
  for (const [name] of moved) delete schemas[name];
  for (const [name, schema] of moved) schemas[renames.get(name)!] = schema;
  rewriteRefs(schemas, renames);
  for (const [from, to] of aliases) aliases.set(from, renames.get(to) ?? to);
  for (const [from, to] of renames) aliases.set(from, to);
  return { schemas, aliases };
}

/** `Item` before `Item_2` before `Item_10`. */
function byNumber(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}
