// schemaKey: equal response schemas share a key, different ones do not, unreadable ones have none.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { schemaKey } from "../lib/schema-key.js";
import type { AnySchema } from "../lib/types.js";

const item = () =>
  v.object({
    name: v.pipe(v.string(), v.minLength(1)),
    price: v.nullable(v.number()),
    tags: v.optional(v.array(v.string())),
  });

describe("schemaKey", () => {
  it("gives two separately built equal schemas the same key", () => {
    const key = schemaKey(item());
    assert.match(key ?? "", /^[0-9a-z]+\.\d+$/);
    assert.equal(schemaKey(item()), key);
  });

  const variants: [string, AnySchema][] = [
    ["another key name", v.object({ title: v.pipe(v.string(), v.minLength(1)) })],
    ["another type", v.object({ name: v.number() })],
    ["nullable vs optional", v.object({ name: v.optional(v.string()) })],
    ["nullable", v.object({ name: v.nullable(v.string()) })],
    ["a literal", v.object({ name: v.literal("a") })],
    ["another literal", v.object({ name: v.literal("b") })],
    ["a bigint literal", v.object({ name: v.literal(1n) })],
    ["another bigint literal", v.object({ name: v.literal(2n) })],
    ["a regex", v.object({ name: v.pipe(v.string(), v.regex(/^a/)) })],
    ["another regex", v.object({ name: v.pipe(v.string(), v.regex(/^b/)) })],
    ["an array", v.array(v.string())],
    ["a default", v.object({ name: v.optional(v.string(), "x") })],
    ["another default", v.object({ name: v.optional(v.string(), "y") })],
  ];

  it("gives every different schema a different key", () => {
    const keys = new Map<string, string>();
    for (const [name, schema] of [["item", item()] as [string, AnySchema], ...variants]) {
      const key = schemaKey(schema);
      assert.ok(key, `${name} has a key`);
      assert.ok(!keys.has(key), `${name} has the key of ${keys.get(key)}`);
      keys.set(key, name);
    }
  });

  it("keys a schema whose validation is a function (v.check): validations never change output", () => {
    assert.ok(
      schemaKey(
        v.object({
          a: v.pipe(
            v.string(),
            v.check((s) => s !== ""),
          ),
        }),
      ),
    );
  });

  const unreadable: [string, AnySchema][] = [
    ["v.lazy", v.object({ a: v.lazy(() => v.string()) })],
    [
      "a transformation",
      v.object({
        a: v.pipe(
          v.string(),
          v.transform((s) => s.length),
        ),
      }),
    ],
    ["a function default", v.object({ a: v.optional(v.string(), () => "x") })],
    ["a date default", v.object({ a: v.optional(v.date(), new Date(0)) })],
  ];

  for (const [name, schema] of unreadable) {
    it(`has no key for a schema with ${name}, so it is converted as before`, () => {
      assert.equal(schemaKey(schema), undefined);
    });
  }
});
