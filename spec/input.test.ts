// Route inputs: valibot schemas per part, coercion, repeated query keys, and the 400 / 415 / 422 answers.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { type AnySchema, type Api, createApi } from "../lib/index.js";
import { arrayKeys, checkParams } from "../lib/input-plan.js";
import { type FixtureKind, fakeContext, fixture } from "./helpers/fixtures.js";
import { captureLogs } from "./helpers/log.js";
import { inject } from "../lib/testing/index.js";
import { multipart } from "../lib/forms/index.js";

const Item = v.object({
  name: v.pipe(v.string(), v.minLength(1)),
  price: v.pipe(v.number(), v.minValue(0)),
});

const echo = ({ body, query, params, headers }: Record<string, unknown>) => ({
  body,
  query,
  params,
  headers,
});

/** Runs one request through `inject` and returns its status and parsed body. */
async function call(api: Api, request: Parameters<typeof inject>[1]) {
  const res = await inject(api, request);
  return { status: res.status, json: res.json<Record<string, unknown>>() };
}

const post = (api: Api, path: string, body?: unknown, headers?: Record<string, string>) =>
  call(api, { method: "POST", path, body, headers });

const issue = (loc: (string | number)[], msg: string, type: string) => ({ loc, msg, type });
const missing = (part: string, key: string) =>
  issue([part, key], `Invalid key: Expected "${key}" but received undefined`, "object");

/** Sends a real AWS event to `api.handler` and returns the status and parsed body. */
async function handle(api: Api, kind: FixtureKind, name: string) {
  const result = (await api.handler(fixture(kind, name), fakeContext())) as Record<string, unknown>;
  return {
    status: result.statusCode,
    json: JSON.parse(String(result.body)) as Record<string, unknown>,
  };
}

describe("input: arrayKeys", () => {
  const S = v.string();
  const A = v.array(S);
  const table: [string, v.GenericSchema | v.GenericSchemaAsync, Record<string, boolean>][] = [
    ["array and scalar entries", v.object({ tag: A, q: S }), { tag: true, q: false, x: false }],
    [
      "optional, nullish and fallback wrappers",
      v.object({ a: v.optional(A), b: v.nullish(A), c: v.optional(A, []) }),
      { a: true, b: true, c: true },
    ],
    [
      "a pipe around the array, and around an optional array",
      v.object({ a: v.pipe(A, v.minLength(1)), b: v.optional(v.pipe(A, v.maxLength(3))) }),
      { a: true, b: true },
    ],
    [
      "a tuple, and a union with an array option",
      v.object({ t: v.tuple([S, S]), u: v.union([S, A]) }),
      { t: true, u: true },
    ],
    ["an optional, piped root", v.optional(v.pipe(v.object({ t: A }), v.readonly())), { t: true }],
    [
      "an intersection",
      v.intersect([v.object({ a: A }), v.object({ b: S })]),
      { a: true, b: false },
    ],
    ["a record of arrays", v.record(S, A), { any: true, other: true }],
    ["an object with an array rest", v.objectWithRest({ q: S }, A), { q: false, other: true }],
    ["an async object", v.objectAsync({ t: v.arrayAsync(S), q: S }), { t: true, q: false }],
    ["a schema that is not an object", S, { tag: false }],
  ];
  for (const [name, schema, expected] of table) {
    it(`finds the array keys of ${name}`, () => {
      const keys = arrayKeys(schema);
      for (const [key, isArray] of Object.entries(expected))
        assert.equal(keys.has(key), isArray, key);
    });
  }
});

describe("input: checkParams", () => {
  const S = v.string();
  const refused: [what: string, paramNames: string[], schema: AnySchema, message: string][] = [
    [
      "a key the template lacks",
      ["id"],
      v.object({ itemId: S }),
      'GET /t: the params schema names "itemId", which is not a parameter of the path template (it has "id")',
    ],
    [
      "an optional key the template lacks",
      ["id"],
      v.object({ id: S, extra: v.optional(S) }),
      'GET /t: the params schema names "extra", which is not a parameter of the path template (it has "id")',
    ],
    [
      "two keys the template lacks",
      ["id", "rest"],
      v.object({ a: S, b: S }),
      'GET /t: the params schema names "a", "b", which are not parameters of the path template (it has "id", "rest")',
    ],
    [
      "a key when the template has no parameter",
      [],
      v.object({ id: S }),
      'GET /t: the params schema names "id", which is not a parameter of the path template (it has none)',
    ],
    [
      "a key in a pipe's object",
      ["id"],
      v.pipe(
        v.object({ idx: S }),
        v.transform((p) => p.idx),
      ),
      'GET /t: the params schema names "idx", which is not a parameter of the path template (it has "id")',
    ],
    [
      "a key in one option of a union",
      ["id"],
      v.union([v.object({ id: S }), v.object({ other: S })]),
      'GET /t: the params schema names "other", which is not a parameter of the path template (it has "id")',
    ],
    [
      "a loose object's entry",
      ["id"],
      v.looseObject({ x: S }),
      'GET /t: the params schema names "x", which is not a parameter of the path template (it has "id")',
    ],
    [
      "an async object's entry",
      ["id"],
      v.objectAsync({ x: S }),
      'GET /t: the params schema names "x", which is not a parameter of the path template (it has "id")',
    ],
    [
      "a strict object without a parameter",
      ["x", "id"],
      v.strictObject({ id: S }),
      'GET /t: the params schema is a strict object that lacks "x", a parameter of the path template, so every request would answer 422',
    ],
    [
      "a piped strict object without two parameters",
      ["x", "y"],
      v.pipe(v.strictObject({}), v.readonly()),
      'GET /t: the params schema is a strict object that lacks "x", "y", parameters of the path template, so every request would answer 422',
    ],
    [
      "a string schema",
      ["id"],
      S,
      'GET /t: the params schema must take an object (path parameters are an object of strings), got a schema of type "string"',
    ],
    [
      "an optional array",
      ["id"],
      v.optional(v.array(S)),
      'GET /t: the params schema must take an object (path parameters are an object of strings), got a schema of type "array"',
    ],
    [
      "a union of scalars",
      ["id"],
      v.union([S, v.number()]),
      'GET /t: the params schema must take an object (path parameters are an object of strings), got a schema of type "union"',
    ],
  ];
  for (const [what, paramNames, schema, message] of refused) {
    it(`refuses ${what}, naming the route`, () => {
      assert.throws(() => checkParams("GET /t", paramNames, schema), {
        name: "TypeError",
        message,
      });
    });
  }

  const accepted: [what: string, paramNames: string[], schema: AnySchema | undefined][] = [
    ["no schema", ["id"], undefined],
    ["every parameter", ["id", "rest"], v.object({ id: S, rest: S })],
    ["fewer keys than parameters", ["id", "slug"], v.object({ id: S })],
    ["a strict object with every parameter", ["id"], v.strictObject({ id: S })],
    ["a record", ["id"], v.record(S, S)],
    ["a loose object of parameters", ["id", "x"], v.looseObject({ id: S })],
    ["an object with a rest", ["id", "x"], v.objectWithRest({ id: S }, S)],
    ["an optional, piped object", ["id"], v.optional(v.pipe(v.object({ id: S }), v.readonly()))],
    ["a variant", ["kind", "id"], v.variant("kind", [v.object({ kind: v.literal("a"), id: S })])],
    ["an intersection", ["a", "b"], v.intersect([v.object({ a: S }), v.object({ b: S })])],
    ["a union with one object option", ["id"], v.union([S, v.object({ id: S })])],
    ["a schema it cannot see into (custom)", ["id"], v.custom(() => true)],
    ["a schema it cannot see into (lazy)", ["id"], v.lazy(() => v.object({ q: S }))],
    ["an unknown", ["id"], v.unknown()],
  ];
  for (const [what, paramNames, schema] of accepted) {
    it(`accepts ${what}`, () => {
      assert.doesNotThrow(() => checkParams("GET /t", paramNames, schema));
    });
  }
});

describe("input: body", () => {
  const api = createApi({ accessLog: false, multipart: multipart() })
    .post("/items", ({ body }) => ({ body }), {
      body: v.object({ ...Item.entries, note: v.optional(v.pipe(v.string(), v.trim()), "none") }),
    })
    .post("/maybe", ({ body }) => ({ body: body ?? "absent" }), { body: v.optional(Item) })
    .post("/orders", ({ body }) => ({ body }), {
      body: v.object({
        items: v.array(Item),
        owner: v.object({ email: v.pipe(v.string(), v.email()) }),
      }),
    });

  it("passes the schema's output, transforms and defaults applied", async () => {
    const res = await post(api, "/items", { name: "a", price: 1, extra: "dropped" });
    assert.deepEqual(res, { status: 200, json: { body: { name: "a", price: 1, note: "none" } } });
    const trimmed = await post(api, "/items", { name: "a", price: 1, note: "  hi  " });
    assert.deepEqual(trimmed.json, { body: { name: "a", price: 1, note: "hi" } });
  });

  it("reports nested object paths and array indexes in loc", async () => {
    const items = [
      { name: "a", price: 1 },
      { name: "", price: -1 },
    ];
    const res = await post(api, "/orders", { items, owner: { email: "x" } });
    assert.deepEqual(res, {
      status: 422,
      json: {
        detail: [
          issue(
            ["body", "items", 1, "name"],
            "Invalid length: Expected >=1 but received 0",
            "min_length",
          ),
          issue(
            ["body", "items", 1, "price"],
            "Invalid value: Expected >=0 but received -1",
            "min_value",
          ),
          issue(["body", "owner", "email"], 'Invalid email: Received "x"', "email"),
        ],
      },
    });
  });

  it("names a missing key by its path", async () => {
    const res = await post(api, "/items", { price: 1 });
    assert.deepEqual(res.json, { detail: [missing("body", "name")] });
  });

  it("answers 422 with loc [body] when a required body is absent", async () => {
    const res = await post(api, "/items");
    const detail = [
      issue(["body"], "Invalid type: Expected Object but received undefined", "object"),
    ];
    assert.deepEqual(res, { status: 422, json: { detail } });
  });

  it("passes undefined when an optional body is absent", async () => {
    assert.deepEqual(await post(api, "/maybe"), { status: 200, json: { body: "absent" } });
  });

  const bad: [string, Record<string, string>, string, number, unknown][] = [
    ["malformed JSON", { "content-type": "application/json" }, "{bad", 400, "Malformed JSON body"],
    ["malformed JSON without a content type", {}, "{bad", 400, "Malformed JSON body"],
    [
      "text/plain",
      { "content-type": "text/plain" },
      "hi",
      415,
      'Content type "text/plain" is not supported; send JSON',
    ],
    [
      "application/xml",
      { "content-type": "application/xml; charset=utf-8" },
      "<a/>",
      415,
      'Content type "application/xml" is not supported; send JSON',
    ],
    [
      "a malformed multipart/form-data body (spec/form.test.ts has the rest)",
      { "content-type": "multipart/form-data; boundary=x" },
      "not multipart",
      400,
      "Malformed multipart body: it is not multipart/form-data that can be read (a missing or broken boundary, part header or closing boundary)",
    ],
  ];
  for (const [name, headers, body, status, detail] of bad) {
    it(`answers ${status} for a body schema and ${name}`, async () => {
      const res = await post(api, "/items", body, headers);
      assert.deepEqual(res, { status, json: { detail } });
    });
  }

  const good: [string, Record<string, string>][] = [
    ["application/json; charset=utf-8", { "content-type": "application/json; charset=utf-8" }],
    ["application/problem+json", { "content-type": "application/problem+json" }],
    ["no content type", {}],
  ];
  for (const [name, headers] of good) {
    it(`parses a JSON body sent as ${name}`, async () => {
      const res = await post(api, "/items", '{"name":"a","price":2}', headers);
      assert.deepEqual(res, { status: 200, json: { body: { name: "a", price: 2, note: "none" } } });
    });
  }

  it("checks an urlencoded form body, coercing strings and collecting array keys", async () => {
    const form = createApi({ accessLog: false }).post("/form", ({ body }) => ({ body }), {
      body: v.object({
        name: v.string(),
        price: v.pipe(v.string(), v.toNumber()),
        tag: v.array(v.string()),
      }),
    });
    const res = await post(form, "/form", "name=a+b&price=2.5&tag=x&tag=y", {
      "content-type": "application/x-www-form-urlencoded",
    });
    assert.deepEqual(res.json, { body: { name: "a b", price: 2.5, tag: ["x", "y"] } });
  });
});

describe("input: query, path and headers", () => {
  const api = createApi({ accessLog: false })
    .get("/items/{id}", echo, {
      params: v.object({ id: v.pipe(v.string(), v.toNumber(), v.integer()) }),
      query: v.object({
        limit: v.optional(v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(1)), "10"),
        tag: v.optional(v.array(v.string()), []),
        q: v.optional(v.string()),
      }),
      headers: v.object({ "x-api-key": v.pipe(v.string(), v.minLength(4)) }),
    })
    .get("/loose/{id}", echo);
  const key = { "x-api-key": "abcd" };

  it("coerces strings with v.toNumber and keeps the last value of a repeated scalar key", async () => {
    const res = await call(api, { path: "/items/7?limit=5&q=a&q=b", headers: key });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.params, { id: 7 });
    assert.deepEqual(res.json.query, { limit: 5, tag: [], q: "b" });
  });

  it("gives an array key every value of a repeated key, and one value as a one-item array", async () => {
    const many = await call(api, { path: "/items/1?tag=a&tag=b", headers: key });
    assert.deepEqual(many.json.query, { limit: 10, tag: ["a", "b"] });
    const one = await call(api, { path: "/items/1?tag=a", headers: key });
    assert.deepEqual(one.json.query, { limit: 10, tag: ["a"] });
  });

  it("strips headers the schema does not declare", async () => {
    const res = await call(api, { path: "/items/1", headers: { "X-Api-Key": "abcd", "x-o": "1" } });
    assert.deepEqual(res.json.headers, { "x-api-key": "abcd" });
  });

  it("reports every failing part together: query, path and header", async () => {
    const res = await call(api, { path: "/items/abc?limit=0&tag=a" });
    assert.deepEqual(res, {
      status: 422,
      json: {
        detail: [
          issue(["query", "limit"], "Invalid value: Expected >=1 but received 0", "min_value"),
          issue(["path", "id"], "Invalid number: Received NaN", "to_number"),
          missing("header", "x-api-key"),
        ],
      },
    });
  });

  it("reports body issues with the other parts", async () => {
    const all = createApi({ accessLog: false }).post("/x/{id}", echo, {
      body: Item,
      query: v.object({ n: v.pipe(v.string(), v.toNumber()) }),
      params: v.object({ id: v.pipe(v.string(), v.uuid()) }),
      headers: v.object({ "x-n": v.string() }),
    });
    const res = await post(all, "/x/1?n=z", { name: "a" });
    assert.equal(res.status, 422);
    assert.deepEqual(
      (res.json.detail as { loc: unknown[] }[]).map((issue) => issue.loc),
      [
        ["body", "price"],
        ["query", "n"],
        ["path", "id"],
        ["header", "x-n"],
      ],
    );
  });

  it("leaves a route without schemas unvalidated: string records and the raw body", async () => {
    assert.equal(api.routes.find((r) => r.name === "GET /loose/{id}")?.validates, false);
    assert.equal(api.routes.find((r) => r.name === "GET /items/{id}")?.validates, true);
    const res = await call(api, { path: "/loose/x?a=1&a=2", headers: { "x-y": "z" } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.params, { id: "x" });
    assert.deepEqual(res.json.query, { a: "2" });
    assert.equal((res.json.headers as Record<string, string>)["x-y"], "z");
  });
});

describe("input: async schemas", () => {
  const taken = new Set(["admin"]);
  const api = createApi({ accessLog: false }).post("/users", echo, {
    body: v.objectAsync({
      name: v.pipeAsync(
        v.string(),
        v.checkAsync(async (name) => !taken.has(name), "Name is taken"),
      ),
    }),
    query: v.objectAsync({
      invite: v.pipeAsync(
        v.string(),
        v.transformAsync(async (code) => code.toUpperCase()),
      ),
    }),
    headers: v.object({ "x-n": v.pipe(v.string(), v.toNumber()) }),
  });

  it("awaits async checks and transforms alongside sync ones", async () => {
    const res = await post(api, "/users?invite=abc", { name: "ann" }, { "x-n": "3" });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.body, { name: "ann" });
    assert.deepEqual(res.json.query, { invite: "ABC" });
    assert.deepEqual(res.json.headers, { "x-n": 3 });
  });

  it("reports async failures with the sync ones", async () => {
    const res = await post(api, "/users", { name: "admin" });
    assert.deepEqual(res, {
      status: 422,
      json: {
        detail: [
          issue(["body", "name"], "Name is taken", "check"),
          missing("query", "invite"),
          missing("header", "x-n"),
        ],
      },
    });
  });
});

describe("input: async schemas under the route's timeout", () => {
  it("answers 504 when an async check never settles", async () => {
    const hangs = createApi({ accessLog: false }).post("/slow", echo, {
      body: v.objectAsync({
        name: v.pipeAsync(
          v.string(),
          v.checkAsync(() => new Promise(() => {})),
        ),
      }),
      timeoutMs: 5,
    });
    assert.deepEqual(await post(hangs, "/slow", { name: "a" }), {
      status: 504,
      json: { detail: "Gateway Timeout" },
    });
  });
});

describe("input: messages and the access log", () => {
  it("takes messages from valibot's config, so users can localize them", async () => {
    const api = createApi({ accessLog: false }).post("/items", echo, {
      body: v.object({ name: v.string(), price: v.number("Der Preis muss eine Zahl sein") }),
    });
    v.setGlobalConfig({ lang: "de" });
    v.setSpecificMessage(v.string, (issue) => `Text erwartet, erhalten: ${issue.received}`, "de");
    try {
      const res = await post(api, "/items", { name: 1, price: "x" });
      assert.deepEqual(res.json.detail, [
        issue(["body", "name"], "Text erwartet, erhalten: 1", "string"),
        issue(["body", "price"], "Der Preis muss eine Zahl sein", "number"),
      ]);
    } finally {
      v.deleteSpecificMessage(v.string, "de");
      v.deleteGlobalConfig();
    }
  });

  it("writes the issue list to error_detail at level warn", async () => {
    const logs = captureLogs();
    const api = createApi({ logger: logs.logger }).post("/items", echo, { body: Item });
    const res = await post(api, "/items", { name: "", price: 1 });
    const line = logs.one();
    assert.equal(line.level, "WARN");
    assert.equal(line.status_code, 422);
    assert.deepEqual(line.error_detail, res.json.detail);
  });
});

describe("input: real events", () => {
  const api = createApi({ accessLog: false })
    .post("/hello/world", echo, {
      query: v.object({ name: v.array(v.string()) }),
      headers: v.object({ headername: v.string() }),
      body: v.object({ a: v.number() }),
    })
    .post("/my/path", echo, {
      query: v.object({ parameter1: v.array(v.string()), parameter2: v.optional(v.string()) }),
      body: v.object({ message: v.string(), username: v.string() }),
    })
    .get("/todos", echo, {
      query: v.object({ parameter1: v.array(v.string()), parameter2: v.string() }),
    })
    .post("/todos", echo, {
      body: v.object({ title: v.string(), userId: v.number(), completed: v.boolean() }),
    });

  const table: [FixtureKind, string, string, Record<string, unknown>][] = [
    [
      "apigw-rest",
      "rust-proxy-multi-value-parameters",
      "REST multi-value query and header, JSON body with CRLF",
      {
        query: { name: ["me", "me2"] },
        headers: { headername: "headerValue, headerValue2" },
        body: { a: 1 },
      },
    ],
    [
      "apigw-http",
      "powertools-py-v2-jwt-post",
      "HTTP API repeated query key from rawQueryString",
      {
        query: { parameter1: ["value1", "value2"], parameter2: "value" },
        body: { message: "hello world", username: "tom" },
      },
    ],
    [
      "alb",
      "powertools-py-multi-value-query",
      "ALB multi-value query",
      { query: { parameter1: ["value1", "value2"], parameter2: "value" } },
    ],
    [
      "apigw-rest",
      "direct-minimal-post-body-no-headers",
      "direct invocation, JSON body with no content type",
      { body: { title: "foo", userId: 1, completed: false } },
    ],
  ];
  for (const [kind, name, what, expected] of table) {
    it(`validates ${kind}/${name}: ${what}`, async () => {
      const res = await handle(api, kind, name);
      assert.equal(res.status, 200, JSON.stringify(res.json));
      for (const [part, value] of Object.entries(expected)) {
        assert.deepEqual(res.json[part], value, part);
      }
    });
  }

  it("answers 422 to a real event whose body fails its schema", async () => {
    const strict = createApi({ accessLog: false }).post("/my/path", echo, {
      body: v.object({ message: v.number() }),
    });
    const msg = 'Invalid type: Expected number but received "hello world"';
    assert.deepEqual(await handle(strict, "apigw-http", "powertools-py-v2-jwt-post"), {
      status: 422,
      json: { detail: [issue(["body", "message"], msg, "number")] },
    });
  });

  for (const format of ["v1", "v2", "alb"] as const) {
    it(`answers the same 422 whatever the event format (${format})`, async () => {
      const api422 = createApi({ accessLog: false }).get("/q", echo, {
        query: v.object({ n: v.pipe(v.string(), v.toNumber()) }),
      });
      const res = await call(api422, { path: "/q?n=x", format });
      const detail = [issue(["query", "n"], "Invalid number: Received NaN", "to_number")];
      assert.deepEqual(res, { status: 422, json: { detail } });
    });
  }
});
