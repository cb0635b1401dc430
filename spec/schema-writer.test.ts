// The run-time writer writes what the precompiled serializer (fast-json-stringify on the same schema) writes: a table of both tiers.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fastJson from "fast-json-stringify";
import * as v from "valibot";
import { responseJsonSchema } from "../lib/cli/response-schema.js";
import { schemaWriter } from "../lib/schema-writer.js";

/** What a serializer did with a value: its text, or the message it threw. */
type Outcome = string | { throws: string };

function outcome(serialize: (value: unknown) => string, value: unknown): Outcome {
  try {
    return serialize(value);
  } catch (error) {
    return { throws: (error as Error).message };
  }
}

/** Tier 1, as `bundle` and the esbuild plugin compile it (standalone code is the same code). */
function precompiled(schema: v.GenericSchema): (value: unknown) => string {
  return fastJson(responseJsonSchema(schema) as unknown as Parameters<typeof fastJson>[0]);
}

const Owner = v.object({ id: v.string(), name: v.string() });
const Item = v.object({
  id: v.string(),
  price: v.number(),
  tags: v.array(v.string()),
  owner: Owner,
  rating: v.nullable(v.number()),
  note: v.optional(v.string()),
});
const item = {
  id: "1",
  price: 2.5,
  tags: ["a", 'q"uo\\te', "line\nbreak", "\u2028", "é"],
  owner: { id: "o", name: "Ann", passwordHash: "secret" },
  rating: null,
  secret: "do-not-send",
};

// [name, schema, value, the JSON both tiers write]
const fitting: [string, v.GenericSchema, unknown, string][] = [
  [
    "nested objects and arrays, undeclared keys dropped",
    Item,
    item,
    '{"id":"1","price":2.5,"tags":["a","q\\"uo\\\\te","line\\nbreak","\u2028","é"],"owner":{"id":"o","name":"Ann"},"rating":null}',
  ],
  [
    "required keys first, then optional ones, each in the schema's order",
    v.object({ a: v.optional(v.string()), b: v.string(), c: v.nullish(v.number()), d: v.number() }),
    { d: 4, c: 3, b: "b", a: "a" },
    '{"b":"b","d":4,"a":"a","c":3}',
  ],
  [
    "undefined optional keys left out, null for nullable ones",
    v.object({
      a: v.optional(v.string()),
      b: v.nullable(v.string()),
      c: v.nullish(v.string()),
      d: v.exactOptional(v.string()),
      e: v.undefinedable(v.string()),
      f: v.unknown(),
    }),
    { a: undefined, b: null, c: null, e: undefined },
    '{"b":null,"c":null}',
  ],
  [
    "a static default in place of an undefined key",
    v.object({ a: v.optional(v.string(), "x"), b: v.nullable(v.number(), 0) }),
    {},
    '{"b":0,"a":"x"}',
  ],
  [
    "a date as its ISO string",
    v.object({ at: v.date() }),
    { at: new Date(0) },
    '{"at":"1970-01-01T00:00:00.000Z"}',
  ],
  ["an integer", v.object({ n: v.pipe(v.number(), v.integer()) }), { n: -3 }, '{"n":-3}'],
  ["numbers as JSON writes them", v.array(v.number()), [0.1, -0, 1e21, 5e-7], "[0.1,0,1e+21,5e-7]"],
  ["a boolean", v.object({ b: v.boolean() }), { b: false }, '{"b":false}'],
  [
    "a literal and a picklist",
    v.object({ l: v.literal("x"), p: v.picklist(["a", "b"]) }),
    { l: "x", p: "b" },
    '{"l":"x","p":"b"}',
  ],
  [
    "an enum of strings and numbers",
    v.object({ e: v.enum({ A: "a", B: 1 }) }),
    { e: 1 },
    '{"e":1}',
  ],
  [
    "any and unknown as they are",
    v.object({ a: v.any(), u: v.unknown() }),
    { a: { x: [1, { y: null }] }, u: "u" },
    '{"a":{"x":[1,{"y":null}]},"u":"u"}',
  ],
  [
    "a looseObject's extra keys dropped",
    v.looseObject({ a: v.number() }),
    { a: 1, b: 2 },
    '{"a":1}',
  ],
  [
    "a strictObject's extra keys dropped",
    v.strictObject({ a: v.number() }),
    { a: 1, b: 2 },
    '{"a":1}',
  ],
  [
    "objectWithRest: extra keys after the declared ones, through the rest schema",
    v.objectWithRest({ a: v.number() }, Owner),
    { x: { id: "i", name: "n", pw: 1 }, a: 1, u: undefined },
    '{"a":1,"x":{"id":"i","name":"n"}}',
  ],
  [
    "a record's values through the value schema",
    v.record(v.string(), Owner),
    { k: { id: "i", name: "n", pw: 1 }, u: undefined },
    '{"k":{"id":"i","name":"n"}}',
  ],
  [
    "a top-level array of objects",
    v.array(Owner),
    [{ id: "1", name: "a", pw: 1 }],
    '[{"id":"1","name":"a"}]',
  ],
  ["an array of nullable numbers", v.array(v.nullable(v.number())), [1, null], "[1,null]"],
  ["a nullable object given null", v.object({ o: v.nullable(Owner) }), { o: null }, '{"o":null}'],
  [
    "an intersection of objects, merged",
    v.intersect([
      v.object({ a: v.optional(v.string()), c: v.string() }),
      v.object({ b: v.number() }),
    ]),
    { a: "1", b: 2, c: "3", d: 4 },
    '{"c":"3","b":2,"a":"1"}',
  ],
  [
    "a union of objects: the first option that fits, its keys only",
    v.union([v.object({ a: v.string() }), v.object({ b: v.number() })]),
    { b: 1, c: 2 },
    '{"b":1}',
  ],
  [
    "a variant: the option of its discriminator",
    v.variant("k", [
      v.object({ k: v.literal("a"), a: v.string() }),
      v.object({ k: v.literal("b") }),
    ]),
    { k: "b", a: "x" },
    '{"k":"b"}',
  ],
  [
    "a union of strings and numbers",
    v.object({ u: v.union([v.string(), v.number()]) }),
    { u: 1 },
    '{"u":1}',
  ],
  [
    "a v.lazy schema",
    v.object({ a: v.lazy(() => Owner) }),
    { a: { id: "1", name: "n", pw: 1 } },
    '{"a":{"id":"1","name":"n"}}',
  ],
  [
    "a pipe: its first schema",
    v.pipe(
      v.object({ a: v.string() }),
      v.check(() => true),
    ),
    { a: "x", b: 1 },
    '{"a":"x"}',
  ],
  [
    "a value's toJSON first",
    Owner,
    { toJSON: () => ({ id: "j", name: "n", pw: 1 }) },
    '{"id":"j","name":"n"}',
  ],
  [
    "a numeric key in the schema's order",
    v.object({ b: v.string(), 1: v.optional(v.string()) }),
    { b: "x", 1: "y" },
    '{"b":"x","1":"y"}',
  ],
  ["a tuple", v.tuple([v.string(), v.number()]), ["a", 1], '["a",1]'],
];

describe("schemaWriter: the same JSON as the precompiled serializer", () => {
  for (const [name, schema, value, text] of fitting) {
    it(`writes ${name}`, () => {
      assert.deepEqual(
        {
          written: outcome(schemaWriter(schema), value),
          precompiled: outcome(precompiled(schema), value),
        },
        { written: text, precompiled: text },
      );
    });
  }
});

// [name, schema, value, what the precompiled serializer does, what the run-time writer does]
const misfits: [string, v.GenericSchema, unknown, Outcome, Outcome][] = [
  ...(
    [
      [
        "a missing required key",
        v.object({ name: v.string() }),
        { x: 1 },
        { throws: '"name" is required!' },
      ],
      [
        "a string where a number is declared",
        v.object({ n: v.number() }),
        { n: "abc" },
        { throws: 'The value "abc" cannot be converted to a number.' },
      ],
      [
        "NaN",
        v.object({ n: v.number() }),
        { n: Number.NaN },
        { throws: 'The value "NaN" cannot be converted to a number.' },
      ],
      [
        "a numeric string where a number is declared (coerced)",
        v.object({ n: v.number() }),
        { n: "5" },
        '{"n":5}',
      ],
      [
        "Infinity (null, as JSON)",
        v.object({ n: v.number() }),
        { n: Number.POSITIVE_INFINITY },
        '{"n":null}',
      ],
      [
        "a fraction where an integer is declared (truncated)",
        v.object({ n: v.pipe(v.number(), v.integer()) }),
        { n: 3.7 },
        '{"n":3}',
      ],
      [
        "a number where a string is declared (coerced)",
        v.object({ s: v.string() }),
        { s: 5 },
        '{"s":"5"}',
      ],
      ["null where a string is declared", v.object({ s: v.string() }), { s: null }, '{"s":""}'],
      [
        "a number where a boolean is declared (truthiness)",
        v.object({ b: v.boolean() }),
        { b: 1 },
        '{"b":true}',
      ],
      [
        "a number where a nullable string is declared",
        v.object({ s: v.nullable(v.string()) }),
        { s: 5 },
        { throws: "The value of '#/properties/s' does not match schema definition." },
      ],
      [
        "an array where a nullable object is declared",
        v.object({ o: v.nullable(Owner) }),
        { o: [] },
        { throws: "The value of '#/properties/o' does not match schema definition." },
      ],
      ["null where an object is declared", v.object({ o: Owner }), { o: null }, '{"o":{}}'],
      [
        "a string where an object is declared",
        v.object({ o: Owner }),
        { o: "abc" },
        { throws: '"id" is required!' },
      ],
      ["an array where an object is declared", Owner, ["x"], { throws: '"id" is required!' }],
      [
        "null where an array is declared",
        v.object({ t: v.array(v.string()) }),
        { t: null },
        '{"t":[]}',
      ],
      [
        "an object where an array is declared",
        v.object({ t: v.array(v.string()) }),
        { t: { a: 1 } },
        { throws: "The value of '#/properties/t' does not match schema definition." },
      ],
      [
        "a number where a date is declared",
        v.object({ at: v.date() }),
        { at: 5 },
        { throws: 'The value "5" cannot be converted to a date-time.' },
      ],
      [
        "another value where a literal is declared (the literal)",
        v.object({ l: v.literal("x") }),
        { l: "y" },
        '{"l":"x"}',
      ],
      ["a value where null is declared (null)", v.object({ n: v.null() }), { n: 5 }, '{"n":null}'],
      [
        "a value no option of a union of objects fits",
        v.union([v.object({ a: v.string() }), v.object({ b: v.number() })]),
        { c: 2 },
        { throws: "The value of '#' does not match schema definition." },
      ],
    ] as [string, v.GenericSchema, unknown, Outcome][]
  ).map(([name, schema, value, both]): [string, v.GenericSchema, unknown, Outcome, Outcome] => [
    name,
    schema,
    value,
    both,
    both,
  ]),
  // Tuples and unions are never precompiled (lib/cli/precompile.ts): these rows show why.
  [
    "a tuple's extra items (never precompiled)",
    v.tuple([v.string()]),
    ["a", "b"],
    { throws: "Item at 1 does not match schema definition." },
    '["a"]',
  ],
  [
    "a tuple of literals (never precompiled)",
    v.tuple([v.literal("a")]),
    ["a"],
    { throws: "Item at 0 does not match schema definition." },
    '["a"]',
  ],
  [
    "tupleWithRest's rest items (never precompiled)",
    v.tupleWithRest([v.string()], Owner),
    ["a", { id: "1", name: "n", pw: 1 }],
    '["a",{"id":"1","name":"n","pw":1}]',
    '["a",{"id":"1","name":"n"}]',
  ],
  [
    "a value no option of a union of leaves fits (never precompiled)",
    v.object({ u: v.union([v.string(), v.number()]) }),
    { u: true },
    { throws: "The value of '#/properties/u' does not match schema definition." },
    '{"u":true}',
  ],
];

describe("schemaWriter: values that do not fit, each tier's answer", () => {
  for (const [name, schema, value, tier1, tier2] of misfits) {
    it(`answers ${name}`, () => {
      assert.deepEqual(
        {
          precompiled: outcome(precompiled(schema), value),
          written: outcome(schemaWriter(schema), value),
        },
        { precompiled: tier1, written: tier2 },
      );
    });
  }
});

describe("schemaWriter: planning", () => {
  it("walks the schema once: a later change to it does not change the writer", () => {
    const entries: Record<string, v.GenericSchema> = { a: v.string() };
    const write = schemaWriter(v.object(entries));
    entries.b = v.string();
    assert.equal(write({ a: "x", b: "y" }), '{"a":"x"}');
  });

  it("calls a function default on each use", () => {
    let n = 0;
    const write = schemaWriter(v.object({ a: v.optional(v.number(), () => ++n) }));
    assert.deepEqual([write({}), write({}), write({ a: 9 })], ['{"a":1}', '{"a":2}', '{"a":9}']);
  });

  it("follows a recursive v.lazy schema to the data's depth", () => {
    type Node = { name: string; children: Node[] };
    const Tree: v.GenericSchema<Node> = v.object({
      name: v.string(),
      children: v.array(v.lazy(() => Tree)),
    });
    const write = schemaWriter(Tree);
    const tree = {
      name: "a",
      x: 1,
      children: [{ name: "b", x: 2, children: [{ name: "c", children: [] }] }],
    };
    assert.equal(
      write(tree),
      '{"name":"a","children":[{"name":"b","children":[{"name":"c","children":[]}]}]}',
    );
  });

  it("refuses a schema JSON cannot carry, naming where it is", () => {
    assert.throws(() => schemaWriter(v.object({ a: v.array(v.object({ n: v.bigint() })) })), {
      name: "TypeError",
      message: 'its response schema has a "bigint" schema at a[].n, which JSON cannot carry',
    });
  });
});
