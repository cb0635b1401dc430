// Response schemas: the precompiled serializer when the bundle has one, else the schema's writer; undeclared keys dropped.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import * as v from "valibot";
import { createApi, JSONResponse } from "../lib/index.js";
import { schemaKey } from "../lib/schema-key.js";
import { planSerializer, serializerOf } from "../lib/serialize.js";
import { inject } from "../lib/testing/index.js";
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
    const res = await inject(api, { path: "/items/1" });
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "application/json");
    assert.equal(
      res.body,
      '{"id":"1","price":2.5,"tags":["a"],"owner":{"id":"o","name":"Ann"},"rating":null}',
    );
    assert.ok(!res.body.includes("secret"));
  });

  it("drops undeclared keys of every array item", async () => {
    const res = await inject(api, { path: "/list" });
    assert.deepEqual(res.json(), [
      { id: "1", price: 2.5, tags: ["a"], owner: { id: "o", name: "Ann" }, rating: null },
      { id: "2", price: 2.5, tags: ["a"], owner: { id: "o", name: "Ann" }, rating: 4 },
    ]);
  });

  it('sends every key with serializer: "json" (JSON.stringify, no filtering)', async () => {
    assert.deepEqual((await inject(api, { path: "/raw" })).json(), stored);
  });

  it("sends a returned Response as it is: the schema does not filter it", async () => {
    assert.deepEqual((await inject(api, { path: "/whole" })).json(), stored);
  });

  it("serializes with JSON.stringify on a route without a response schema", async () => {
    assert.equal((await inject(api, { path: "/plain" })).body, JSON.stringify(stored));
  });

  it("drops extra keys of a looseObject too, and keeps them for objectWithRest(…, v.unknown())", async () => {
    const extras = createApi({ accessLog: false })
      .get("/loose", () => ({ a: 1, b: 2 }), { response: v.looseObject({ a: v.number() }) })
      .get("/rest", () => ({ a: 1, b: { c: [2] } }), {
        response: v.objectWithRest({ a: v.number() }, v.unknown()),
      });
    assert.equal((await inject(extras, { path: "/loose" })).body, '{"a":1}');
    assert.equal((await inject(extras, { path: "/rest" })).body, '{"a":1,"b":{"c":[2]}}');
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
      (await inject(dated, { path: "/d" })).body,
      '{"at":"1970-01-01T00:00:00.000Z","n":3}',
    );
  });
});

describe("serialize: planning", () => {
  const TABLE = Symbol.for("aio-lambda-api.precompiled-serializers");
  const COLLECT = Symbol.for("aio-lambda-api.collect-serializers");
  const globals = globalThis as Record<symbol, unknown>;

  it("walks the schema into its writer at registration, and serializes synchronously", () => {
    const plan = planSerializer("GET /x", Item, false);
    assert.equal(plan.tier, "schema");
    assert.equal(serializerOf(plan), plan.serialize);
    assert.equal(
      plan.serialize(stored),
      '{"id":"1","price":2.5,"tags":["a"],"owner":{"id":"o","name":"Ann"},"rating":null}',
    );
  });

  it("uses JSON.stringify without a schema or with serializer json", () => {
    for (const plan of [
      planSerializer("GET /a", undefined, false),
      planSerializer("GET /b", Item, true),
    ]) {
      assert.equal(plan.tier, "json");
      assert.equal(plan.serialize({ a: 1, b: [2] }), '{"a":1,"b":[2]}');
    }
  });

  it("uses the serializer the bundle compiled for the schema's key, wrapped to name the route", () => {
    const key = schemaKey(Item)!;
    globals[TABLE] = new Map([
      [
        key,
        (value: unknown) => {
          if ((value as { id?: unknown }).id === undefined) throw new Error('"id" is required!');
          return "precompiled";
        },
      ],
    ]);
    try {
      const plan = planSerializer("GET /x", Item, false);
      assert.equal(plan.tier, "precompiled");
      assert.equal(plan.serialize(stored), "precompiled");
      assert.throws(() => plan.serialize({}), {
        name: "TypeError",
        message: 'GET /x: the returned value does not fit the response schema ("id" is required!)',
      });
      // A schema the bundle did not compile keeps its own writer.
      const other = planSerializer("GET /y", Owner, false);
      assert.equal(other.tier, "schema");
      assert.equal(other.serialize({ id: "o", name: "Ann", x: 1 }), '{"id":"o","name":"Ann"}');
    } finally {
      delete globals[TABLE];
    }
  });

  it("hands each response schema and its key to the bundler's collector", () => {
    const seen: [string | null, unknown][] = [];
    globals[COLLECT] = seen;
    try {
      const lazy = v.object({ a: v.lazy(() => v.string()) });
      createApi()
        .get("/item", () => stored, { response: Item })
        .get("/lazy", () => ({ a: "x" }), { response: lazy })
        .get("/plain", () => stored)
        .get("/raw", () => stored.owner, { response: Owner, serializer: "json" });
      assert.deepEqual(seen, [
        [schemaKey(Item), Item],
        [null, lazy],
      ]);
    } finally {
      delete globals[COLLECT];
    }
  });

  const noJson: [string, v.GenericSchema, string][] = [
    ["bigint", v.object({ n: v.bigint() }), '"bigint" schema at n'],
    ["map", v.object({ m: v.map(v.string(), v.string()) }), '"map" schema at m'],
    ["set", v.array(v.object({ s: v.set(v.string()) })), '"set" schema at [].s'],
    ["function", v.object({ f: v.optional(v.function()) }), '"function" schema at f'],
    ["symbol", v.symbol(), '"symbol" schema'],
  ];
  for (const [name, schema, where] of noJson) {
    it(`fails at registration, naming the route and the place, for a ${name} schema`, () => {
      assert.throws(
        () => createApi().get("/when/{id}", () => ({}), { response: schema }),
        (error: Error) =>
          error instanceof TypeError &&
          error.message ===
            `GET /when/{id}: its response schema has a ${where}, which JSON cannot carry; pass the route option { serializer: "json" } to use JSON.stringify instead`,
      );
    });
  }

  it("accepts a v.custom schema and writes its value as it is", async () => {
    const api = createApi({ accessLog: false }).get("/m", () => ({ f: { x: 1 }, g: 2 }), {
      response: v.object({ f: v.custom<{ x: number }>(() => true) }),
    });
    assert.equal((await inject(api, { path: "/m" })).body, '{"f":{"x":1}}');
  });

  it('accepts a schema JSON cannot carry with serializer: "json"', async () => {
    const api = createApi({ accessLog: false }).get("/m", () => ({ f: "x" }), {
      response: v.object({ f: v.map(v.string(), v.string()) }) as unknown as v.GenericSchema,
      serializer: "json",
    });
    assert.equal((await inject(api, { path: "/m" })).body, '{"f":"x"}');
  });

  it("never loads fast-json-stringify, ajv or @valibot/to-json-schema, not even to serialize", () => {
    const lib = fileURLToPath(new URL("../lib/index.ts", import.meta.url));
    const testing = fileURLToPath(new URL("../lib/testing/index.ts", import.meta.url));
    const script = `
      import { createRequire } from "node:module";
      import * as v from "valibot";
      const { createApi } = await import(${JSON.stringify(lib)});
      const { inject } = await import(${JSON.stringify(testing)});
      const require = createRequire(import.meta.url);
      const loaded = () => Object.keys(require.cache).some((k) => /[\\/](ajv|fast-json-stringify|to-json-schema)[\\/]/.test(k));
      const api = createApi({ accessLog: false }).get("/", () => ({ a: 1, b: 2 }), { response: v.object({ a: v.number() }) });
      const before = loaded();
      const body = (await inject(api, { path: "/" })).body;
      console.log(JSON.stringify({ before, after: loaded(), body }));
    `;
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "--eval", script],
      { encoding: "utf8", cwd: fileURLToPath(new URL("..", import.meta.url)) },
    );
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout.trim().split("\n").at(-1)!), {
      before: false,
      after: false,
      body: '{"a":1}',
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
      const res = await inject(api, { path: "/bad" });
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
    await assert.rejects(inject(api, { path: "/bad" }), {
      name: "TypeError",
      message:
        'GET /bad: the returned value does not fit the response schema ("name" is required!)',
    });
  });
});
