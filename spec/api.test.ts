// Tests of the immutable builder: new frozen Apis, the inspectable route map, and build-time errors.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { type Api, createApi } from "../lib/api.js";
import { inject } from "../lib/testing/index.js";

const quiet = () => createApi({ accessLog: false });

describe("createApi", () => {
  const methods = ["get", "head", "post", "put", "patch", "delete", "options"] as const;

  for (const method of methods) {
    it(`returns a new frozen Api from ${method}() and leaves the old one unchanged`, async () => {
      const before = quiet().get("/old", () => "old");
      const after = before[method]("/new", () => "new");
      assert.notEqual(after, before);
      assert.ok(Object.isFrozen(after));
      assert.ok(Object.isFrozen(before));
      assert.equal(before.routes.length, 1);
      assert.equal(after.routes.length, 2);
      assert.equal(after.routes[1]?.name, `${method.toUpperCase()} /new`);
      const verb = method.toUpperCase();
      const old = await inject(before, { method: verb, path: "/new" });
      assert.equal(old.status, 404);
      assert.equal(old.body, verb === "HEAD" ? "" : '{"detail":"Not Found"}');
      const fresh = await inject(after, { method: verb, path: "/new" });
      assert.equal(fresh.status, 200);
    });
  }

  it("returns a new Api from provide() and leaves the old one unchanged", async () => {
    const before = quiet();
    const after = before.provide("db", () => ({ kind: "db" }));
    assert.notEqual(after, before);
    assert.ok(Object.isFrozen(after));
    const seen = await inject(
      after.get("/", ({ db }) => db),
      { path: "/" },
    );
    assert.deepEqual(seen.json(), { kind: "db" });
    const without = await inject(
      before.get("/", (input) => ("db" in input ? "has db" : "no db")),
      { path: "/" },
    );
    assert.deepEqual(without.json(), "no db");
  });

  it("keeps a frozen, inspectable route map", () => {
    const api = quiet()
      .get("/items/{id}", () => null, { status: 202, summary: "Read an item" })
      .post("/items", () => null);
    assert.ok(Object.isFrozen(api.routes));
    assert.throws(() => (api.routes as unknown[]).push({}), TypeError);
    const [read, create] = api.routes;
    assert.ok(read && create);
    assert.ok(Object.isFrozen(read));
    assert.equal(read.method, "GET");
    assert.equal(read.name, "GET /items/{id}");
    assert.equal(read.parsed.template, "/items/{id}");
    assert.deepEqual(read.parsed.paramNames, ["id"]);
    assert.equal(read.status, 202);
    assert.equal(read.options.summary, "Read an item");
    assert.ok(Object.isFrozen(read.options));
    assert.equal(create.name, "POST /items");
    assert.equal(create.status, undefined);
  });

  it("keeps an Api usable after a later registration fails", async () => {
    const api = quiet().get("/items/{id}", () => "one");
    assert.throws(() => api.get("/items/{id}", () => "two"));
    assert.equal(api.routes.length, 1);
    assert.equal((await inject(api, { path: "/items/1" })).json(), "one");
  });

  it("lets two branches grow from one Api independently", () => {
    const base = quiet().get("/", () => "root");
    const left = base.get("/left", () => "l");
    const right = base.get("/right", () => "r");
    assert.deepEqual(
      left.routes.map((r) => r.name),
      ["GET /", "GET /left"],
    );
    assert.deepEqual(
      right.routes.map((r) => r.name),
      ["GET /", "GET /right"],
    );
  });

  const clashes: [register: (api: Api) => Api, message: string][] = [
    [(api) => api.get("/items/{id}", () => 2), "GET /items/{id} is already registered"],
    [(api) => api.get("/items/{id}/", () => 2), "GET /items/{id} is already registered"],
    [
      (api) => api.get("/items/{name}", () => 2),
      "GET /items/{name} clashes with GET /items/{id}, already registered",
    ],
    [(api) => api.get("/", () => 2), "GET / is already registered"],
  ];
  for (const [register, message] of clashes) {
    it(`throws "${message}" at build time`, () => {
      const api = quiet()
        .get("/", () => 1)
        .get("/items/{id}", () => 1);
      assert.throws(() => register(api), { name: "TypeError", message });
    });
  }

  it("accepts the same path under another method and another shape", () => {
    const api = quiet()
      .get("/items/{id}", () => 1)
      .put("/items/{id}", () => 1)
      .get("/items/{id+}", () => 1)
      .get("/items/new", () => 1);
    assert.equal(api.routes.length, 4);
  });

  const badTemplates: [template: string, message: string][] = [
    ["items", 'Path template must start with "/", got "items"'],
    ["/a//b", 'Invalid path template "/a//b": empty segment (two slashes in a row)'],
    ["/{}", 'Invalid path template "/{}": empty parameter name in segment "{}"'],
    ["/{a+}/b", 'Invalid path template "/{a+}/b": greedy parameter {a+} must be the last segment'],
    ["/{a}/{a}", 'Invalid path template "/{a}/{a}": parameter {a} appears twice'],
    [
      "/v{n}",
      'Invalid path template "/v{n}": segment "v{n}" mixes text and braces; a parameter is a whole segment',
    ],
    [
      "/{__proto__}",
      'Invalid path template "/{__proto__}": parameter name "__proto__" is reserved',
    ],
    ["/a/{b", 'Invalid path template "/a/{b": unclosed brace in segment "{b"'],
    [
      "/users/:id",
      'Invalid path template "/users/:id": ":id" is another framework\'s parameter syntax; API Gateway\'s is "/users/{id}"',
    ],
    [
      "/a/*",
      'Invalid path template "/a/*": "*" is another framework\'s wildcard syntax; API Gateway\'s is "/a/{proxy+}"',
    ],
    [
      "/a?x=1",
      'Invalid path template "/a?x=1": a query string is not part of a path template; register "/a" and declare the query with the query option',
    ],
  ];
  for (const [template, message] of badTemplates) {
    it(`throws at build time for the template ${JSON.stringify(template)}`, () => {
      assert.throws(() => quiet().get(template, () => 1), { name: "TypeError", message });
    });
  }

  it("refuses a params schema that names a key the path template lacks, naming both", () => {
    assert.throws(
      () =>
        quiet().get("/items/{id}/", () => 1, {
          // @ts-expect-error the types refuse it too
          params: v.object({ itemId: v.string() }),
        }),
      {
        name: "TypeError",
        message:
          'GET /items/{id}: the params schema names "itemId", which is not a parameter of the path template (it has "id")',
      },
    );
  });

  it("accepts a params schema of the template's parameters and a colon inside a segment", () => {
    const api = quiet()
      .get("/items/{id}", () => 1, { params: v.object({ id: v.string() }) })
      .post("/v1/items:batchGet", () => 1);
    assert.deepEqual(
      api.routes.map((route) => route.name),
      ["GET /items/{id}", "POST /v1/items:batchGet"],
    );
  });

  const badOptions: [options: Record<string, unknown>, name: string, message: string][] = [
    [{ status: 99 }, "RangeError", "GET /x: status must be an integer from 100 to 599, got 99"],
    [{ status: 600 }, "RangeError", "GET /x: status must be an integer from 100 to 599, got 600"],
    [
      { status: 200.5 },
      "RangeError",
      "GET /x: status must be an integer from 100 to 599, got 200.5",
    ],
    [
      { status: "200" },
      "RangeError",
      'GET /x: status must be an integer from 100 to 599, got "200"',
    ],
    [{ timeoutMs: 0 }, "RangeError", "GET /x: timeoutMs must be a positive number, got 0"],
    [{ timeoutMs: -5 }, "RangeError", "GET /x: timeoutMs must be a positive number, got -5"],
    [
      { timeoutMs: Number.NaN },
      "RangeError",
      "GET /x: timeoutMs must be a positive number, got NaN",
    ],
  ];
  for (const [options, name, message] of badOptions) {
    it(`throws ${name} for the route options ${JSON.stringify(options)}`, () => {
      assert.throws(() => quiet().get("/x", () => 1, options as { status?: number }), {
        name,
        message,
      });
    });
  }

  it("throws when the route function is not a function", () => {
    assert.throws(() => quiet().get("/x", "nope" as unknown as () => 1), {
      name: "TypeError",
      message: 'GET /x: the route function must be a function, got "nope"',
    });
  });

  const badBasePaths: [basePath: string, message: string][] = [
    ["x", 'basePath must start with "/", got "x"'],
    ["", 'basePath must start with "/", got ""'],
  ];
  for (const [basePath, message] of badBasePaths) {
    it(`refuses the basePath ${JSON.stringify(basePath)}`, () => {
      assert.throws(() => createApi({ basePath }), { name: "TypeError", message });
    });
  }

  const badProvideNames: [name: string, shown: string][] = [
    ["", '""'],
    ["body", '"body"'],
    ["request", '"request"'],
    ["signal", '"signal"'],
  ];
  for (const [name, shown] of badProvideNames) {
    it(`refuses to provide the name ${shown}`, () => {
      assert.throws(() => quiet().provide(name, () => 1), {
        name: "TypeError",
        message: `provide: the name must be a non-empty string that is not a route input key, got ${shown}`,
      });
    });
  }

  it("makes the handler once per Api and keeps it across calls", () => {
    const api = quiet().get("/", () => 1);
    assert.equal(api.handler, api.handler);
    assert.equal(typeof api.handler, "function");
  });
});

describe("createApi timeouts", () => {
  const rows: [string, Record<string, number>, string][] = [
    [
      "NaN timeoutMs",
      { timeoutMs: Number.NaN },
      "timeoutMs must be a positive number of ms, got NaN",
    ],
    ["negative timeoutMs", { timeoutMs: -5 }, "timeoutMs must be a positive number of ms, got -5"],
    ["zero timeoutMs", { timeoutMs: 0 }, "timeoutMs must be a positive number of ms, got 0"],
    [
      "negative margin",
      { timeoutMarginMs: -1 },
      "timeoutMarginMs must be a number of ms >= 0, got -1",
    ],
    [
      "infinite margin",
      { timeoutMarginMs: Number.POSITIVE_INFINITY },
      "timeoutMarginMs must be a number of ms >= 0, got Infinity",
    ],
  ];
  for (const [name, options, message] of rows) {
    it(`refuses ${name} at creation`, () => {
      assert.throws(() => createApi(options), { name: "RangeError", message });
    });
  }

  it("accepts a zero margin and a positive timeout", () => {
    assert.equal(createApi({ timeoutMs: 10, timeoutMarginMs: 0 }).routes.length, 0);
  });
});
