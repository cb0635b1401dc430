// Response schemas: JSON Schema at build time, fast-json-stringify on first call, undeclared keys dropped.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import * as v from "valibot";
import { createApi, JSONResponse } from "../lib/index.js";
import { planSerializer, serializerOf } from "../lib/serialize.js";
import { captureLogs } from "./helpers/log.js";

const Owner = v.object({ id: v.string(), name: v.string() });
const Item = v.object({
  id: v.string(),
  price: v.number(),
  tags: v.array(v.string()),
  owner: Owner,
  rating: v.nullable(v.number()),
  note: v.optional(v.string()),
});

const stored = {
  id: "1",
  price: 2.5,
  tags: ["a"],
  owner: { id: "o", name: "Ann", passwordHash: "secret-hash" },
  rating: null,
  secret: "do-not-send",
};

describe("serialize: response schemas", () => {
  const api = createApi({ accessLog: false })
    .get("/items/{id}", () => stored, { response: Item })
    .get("/list", () => [stored, { ...stored, id: "2", rating: 4 }], { response: v.array(Item) })
    .get("/raw", () => stored, { response: Item, serializer: "json" })
    .get("/whole", () => new JSONResponse(stored), { response: Item })
    .get("/plain", () => stored);

  it("drops keys the schema does not declare, nested ones too", async () => {
    const res = await api.inject({ path: "/items/1" });
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "application/json");
    assert.equal(
      res.body,
      '{"id":"1","price":2.5,"tags":["a"],"owner":{"id":"o","name":"Ann"},"rating":null}',
    );
    assert.ok(!res.body.includes("secret"));
  });

  it("drops undeclared keys of every array item", async () => {
    const res = await api.inject({ path: "/list" });
    assert.deepEqual(res.json(), [
      { id: "1", price: 2.5, tags: ["a"], owner: { id: "o", name: "Ann" }, rating: null },
      { id: "2", price: 2.5, tags: ["a"], owner: { id: "o", name: "Ann" }, rating: 4 },
    ]);
  });

  it('sends every key with serializer: "json" (JSON.stringify, no filtering)', async () => {
    assert.deepEqual((await api.inject({ path: "/raw" })).json(), stored);
  });

  it("sends a returned Response as it is: the schema does not filter it", async () => {
    assert.deepEqual((await api.inject({ path: "/whole" })).json(), stored);
  });

  it("serializes with JSON.stringify on a route without a response schema", async () => {
    assert.equal((await api.inject({ path: "/plain" })).body, JSON.stringify(stored));
  });

  it("drops extra keys of a looseObject too, and keeps them for objectWithRest(…, v.unknown())", async () => {
    const extras = createApi({ accessLog: false })
      .get("/loose", () => ({ a: 1, b: 2 }), { response: v.looseObject({ a: v.number() }) })
      .get("/rest", () => ({ a: 1, b: { c: [2] } }), {
        response: v.objectWithRest({ a: v.number() }, v.unknown()),
      });
    assert.equal((await extras.inject({ path: "/loose" })).body, '{"a":1}');
    assert.equal((await extras.inject({ path: "/rest" })).body, '{"a":1,"b":{"c":[2]}}');
  });

  it("writes a v.date() as its ISO string and ignores checks JSON Schema cannot express", async () => {
    const dated = createApi({ accessLog: false }).get(
      "/d",
      () => ({ at: new Date(0), n: 3, extra: 1 }),
      {
        response: v.object({
          at: v.date(),
          n: v.pipe(
            v.number(),
            v.check((n) => n > 0),
          ),
        }),
      },
    );
    assert.equal(
      (await dated.inject({ path: "/d" })).body,
      '{"at":"1970-01-01T00:00:00.000Z","n":3}',
    );
  });
});

describe("serialize: compiling", () => {
  it("converts to JSON Schema at build time and compiles on the first call only", async () => {
    const plan = planSerializer("GET /x", Item, false);
    assert.equal(plan.compiled, undefined);
    assert.equal((plan.jsonSchema as { type?: unknown }).type, "object");
    const first = await serializerOf(plan);
    const second = serializerOf(plan);
    assert.equal(typeof second, "function", "compiled once, then handed back synchronously");
    assert.equal(second, first);
    assert.equal(plan.compiled, first);
  });

  it("compiles once when first calls overlap", async () => {
    const plan = planSerializer("GET /x", Item, false);
    const [a, b] = await Promise.all([serializerOf(plan), serializerOf(plan)]);
    assert.equal(a, b);
  });

  it("uses JSON.stringify, with no JSON Schema, without a schema or with serializer json", () => {
    for (const plan of [
      planSerializer("GET /a", undefined, false),
      planSerializer("GET /b", Item, true),
    ]) {
      assert.equal(plan.jsonSchema, undefined);
      assert.equal(plan.compiled?.({ a: 1 }), '{"a":1}');
    }
  });

  it("writes nullable as a type list, not anyOf (no ajv validator per call)", () => {
    const plan = planSerializer("GET /x", Item, false);
    const properties = (plan.jsonSchema as { properties: Record<string, unknown> }).properties;
    assert.deepEqual(properties.rating, { type: ["number", "null"] });
    const nested = planSerializer("GET /y", v.object({ o: v.nullable(Owner) }), false);
    const o = (nested.jsonSchema as { properties: Record<string, Record<string, unknown>> })
      .properties.o!;
    assert.deepEqual(o.type, ["object", "null"]);
    assert.deepEqual(o.required, ["id", "name"]);
  });

  it("keeps anyOf unions that are not a type and null", () => {
    const plan = planSerializer(
      "GET /x",
      v.object({ u: v.union([v.string(), v.number()]) }),
      false,
    );
    const u = (plan.jsonSchema as { properties: Record<string, unknown> }).properties.u;
    assert.deepEqual(u, { anyOf: [{ type: "string" }, { type: "number" }] });
  });

  const inexpressible: [string, v.GenericSchema][] = [
    ["bigint", v.object({ n: v.bigint() })],
    ["map", v.object({ m: v.map(v.string(), v.string()) })],
    ["function", v.object({ f: v.function() })],
    ["custom", v.object({ c: v.custom<string>((x) => typeof x === "string") })],
  ];
  for (const [name, schema] of inexpressible) {
    it(`fails at build time, naming the route, for a ${name} schema`, () => {
      assert.throws(
        () => createApi().get("/when/{id}", () => ({}), { response: schema }),
        (error: Error) =>
          error instanceof TypeError &&
          error.message ===
            `GET /when/{id}: its response schema cannot be expressed as JSON Schema (The "${name}" schema cannot be converted to JSON Schema.); pass the route option { serializer: "json" } to use JSON.stringify instead`,
      );
    });
  }

  it('accepts an inexpressible schema with serializer: "json"', async () => {
    const api = createApi({ accessLog: false }).get("/m", () => ({ f: "x" }), {
      response: v.object({ f: v.custom<string>(() => true) }),
      serializer: "json",
    });
    assert.equal((await api.inject({ path: "/m" })).body, '{"f":"x"}');
  });

  it("never loads fast-json-stringify or ajv on import or build, only on the first call", () => {
    const lib = fileURLToPath(new URL("../lib/index.ts", import.meta.url));
    const script = `
      import { createRequire } from "node:module";
      import * as v from "valibot";
      const { createApi } = await import(${JSON.stringify(lib)});
      const require = createRequire(import.meta.url);
      const loaded = () => Object.keys(require.cache).some((k) => /[\\\\/](ajv|fast-json-stringify)[\\\\/]/.test(k));
      const api = createApi({ accessLog: false }).get("/", () => ({ a: 1 }), { response: v.object({ a: v.number() }) });
      const before = loaded();
      await api.inject({ path: "/" });
      console.log(JSON.stringify({ before, after: loaded() }));
    `;
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "--eval", script],
      { encoding: "utf8", cwd: fileURLToPath(new URL("..", import.meta.url)) },
    );
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout.trim().split("\n").at(-1)!), {
      before: false,
      after: true,
    });
  });
});

describe("serialize: a value that does not fit its schema", () => {
  const fits = v.object({ name: v.string(), price: v.number() });
  const table: [string, unknown, string][] = [
    ["a missing required key", { price: 1, secret: "s3cr3t" }, '"name" is required!'],
    [
      "a string where a number is declared",
      { name: "a", price: "s3cr3t" },
      'The value "s3cr3t" cannot be converted to a number.',
    ],
    ["an array where an object is declared", ["s3cr3t"], '"name" is required!'],
  ];
  for (const [name, value, reason] of table) {
    it(`answers 500 with nothing of it for ${name}, logging the route and reason`, async () => {
      const logs = captureLogs();
      const api = createApi({ logger: logs.logger, uncaughtErrors: "respond" }).get(
        "/bad",
        () => value as { name: string; price: number },
        { response: fits },
      );
      const res = await api.inject({ path: "/bad" });
      assert.equal(res.status, 500);
      assert.equal(res.body, '{"detail":"Internal Server Error"}');
      const line = logs.one();
      assert.equal(line.level, "CRITICAL");
      assert.match(
        String(line.error_detail),
        new RegExp(
          `^TypeError: GET /bad: the returned value does not fit the response schema \\(${reason.replace(/[()."!]/g, "\\$&")}\\)`,
        ),
      );
    });
  }

  it("rethrows by default, so Lambda reports it and the gateway shows a bare 5xx", async () => {
    const api = createApi({ logger: captureLogs().logger }).get(
      "/bad",
      () => ({ price: 1 }) as unknown as { name: string; price: number },
      { response: fits },
    );
    await assert.rejects(api.inject({ path: "/bad" }), {
      name: "TypeError",
      message:
        'GET /bad: the returned value does not fit the response schema ("name" is required!)',
    });
  });
});
