// responseJsonSchema: the JSON Schema the bundler compiles, shaped for fast-json-stringify (no anyOf for nullable, dates as strings).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { responseJsonSchema } from "../../lib/cli/response-schema.js";

const Owner = v.object({ id: v.string(), name: v.string() });

type Properties = { properties: Record<string, Record<string, unknown>>; required: string[] };

describe("responseJsonSchema", () => {
  it("writes nullable as a type list, not anyOf (no ajv validator per call)", () => {
    const json = responseJsonSchema(
      v.object({ rating: v.nullable(v.number()), o: v.nullable(Owner) }),
    ) as Properties;
    assert.deepEqual(json.properties.rating, { type: ["number", "null"] });
    assert.deepEqual(json.properties.o?.type, ["object", "null"]);
    assert.deepEqual(json.properties.o?.required, ["id", "name"]);
  });

  it("keeps anyOf unions that are not a type and null", () => {
    const json = responseJsonSchema(
      v.object({ u: v.union([v.string(), v.number()]) }),
    ) as Properties;
    assert.deepEqual(json.properties.u, { anyOf: [{ type: "string" }, { type: "number" }] });
  });

  it("writes a date as a date-time string and leaves out checks JSON Schema cannot express", () => {
    const json = responseJsonSchema(
      v.object({
        at: v.date(),
        n: v.pipe(
          v.number(),
          v.check((n) => n > 0),
        ),
      }),
    ) as Properties;
    assert.deepEqual(json.properties.at, { type: "string", format: "date-time" });
    assert.deepEqual(json.properties.n, { type: "number" });
  });

  it("requires no key that may be undefined (undefinedable, unknown, any, optional, nullish)", () => {
    const json = responseJsonSchema(
      v.object({
        a: v.string(),
        b: v.undefinedable(v.string()),
        c: v.unknown(),
        d: v.any(),
        e: v.optional(v.string()),
        f: v.nullish(v.string()),
        g: v.nullable(v.string()),
        h: v.pipe(
          v.undefinedable(v.string()),
          v.check(() => true),
        ),
      }),
    ) as Properties;
    assert.deepEqual(json.required, ["a", "g"]);
  });

  const inexpressible: [string, v.GenericSchema][] = [
    ["custom", v.object({ c: v.custom<string>((x) => typeof x === "string") })],
    ["non_nullable", v.object({ n: v.nonNullable(v.nullable(v.string())) })],
    ["bigint", v.object({ n: v.bigint() })],
  ];
  for (const [name, schema] of inexpressible) {
    it(`throws for a ${name} schema (its route keeps the run-time writer)`, () => {
      assert.throws(() => responseJsonSchema(schema), {
        message: `The "${name}" schema cannot be converted to JSON Schema.`,
      });
    });
  }
});
