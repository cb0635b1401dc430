// Tests of the OpenAPI document: paths, operations, parameters, bodies, responses, validity.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { api as exampleApi } from "../../examples/app.js";
import { createApi } from "../../lib/index.js";
import { type OpenApiDocument, type OperationObject, openapi } from "../../lib/openapi/index.js";
import { largeApi, largeSchemas } from "./large-app.js";
import { assertValidOpenApi, refsIn } from "./validate.js";

const quiet = () => createApi({ accessLog: false });
const info = { title: "Test", version: "1.0.0" };

function operation(doc: OpenApiDocument, method: string, path: string): OperationObject {
  const op = doc.paths[path]?.[method];
  assert.ok(op, `${method} ${path} is in the document`);
  return op;
}

/** Every `$ref` of the document names a component it has. */
function assertRefsResolve(doc: OpenApiDocument): void {
  const names = Object.keys(doc.components?.schemas ?? {});
  for (const ref of refsIn(doc)) {
    assert.ok(ref.startsWith("#/components/schemas/"), ref);
    assert.ok(names.includes(ref.slice("#/components/schemas/".length)), `${ref} resolves`);
  }
}

describe("openapi: the example app", () => {
  const doc = openapi(exampleApi, info);

  it("validates against the OpenAPI 3.1 schema", async () => {
    await assertValidOpenApi(doc);
    assertRefsResolve(doc);
  });

  it("lists every route of the example app, by path and method, with derived operationIds", () => {
    const listed = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(
        ([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`,
      ),
    );
    assert.deepEqual(listed, [
      "GET / getRoot",
      "GET /items/{id} getItemsById",
      "DELETE /items/{id} deleteItemsById",
      "POST /items postItems",
      "GET /cached getCached",
      "GET /binary getBinary",
      "GET /whoami getWhoami",
      "GET /stream getStream",
      "GET /boom getBoom",
    ]);
    // The example serves its own docs: those two routes are hidden, so not listed.
    assert.equal(exampleApi.routes.filter((r) => !r.options.hidden).length, listed.length);
  });

  it("writes info and the 3.1 version, and no servers unless given", () => {
    assert.equal(doc.openapi, "3.1.0");
    assert.deepEqual(doc.info, { title: "Test", version: "1.0.0" });
    assert.equal("servers" in doc, false);
    const withServers = openapi(exampleApi, {
      ...info,
      description: "The **example**.",
      servers: [{ url: "https://api.example.com/prod" }],
    });
    assert.deepEqual(withServers.servers, [{ url: "https://api.example.com/prod" }]);
    assert.equal(withServers.info.description, "The **example**.");
  });
});

describe("openapi: the large app", () => {
  const doc = openapi(largeApi, { ...info, schemas: largeSchemas, tags: [{ name: "items" }] });

  it("validates against the OpenAPI 3.1 schema, every $ref resolving", async () => {
    await assertValidOpenApi(doc);
    assertRefsResolve(doc);
  });

  it("writes query keys as parameters: required from the object, arrays exploded, descriptions lifted", () => {
    const params = operation(doc, "get", "/items").parameters ?? [];
    const rows = params.map((p) => [p.name, p.in, p.required, p.style ?? "-", p.explode ?? "-"]);
    assert.deepEqual(rows, [
      ["q", "query", false, "-", "-"],
      ["tag", "query", false, "form", true],
      ["limit", "query", false, "-", "-"],
      ["sort", "query", true, "-", "-"],
    ]);
    assert.equal(params[0]?.description, "Full-text search");
    assert.deepEqual(params[1]?.schema, { type: "array", items: { type: "string" } });
    // The client sends the input: the string before `transform(Number)`.
    assert.deepEqual(params[2]?.schema, { type: "string" });
    assert.deepEqual(params[3]?.schema, { type: "string", enum: ["name", "price"] });
  });

  it("writes path parameters from the template, typed by the params schema, then headers", () => {
    const params = operation(doc, "get", "/items/{id}").parameters ?? [];
    assert.deepEqual(params, [
      {
        name: "id",
        in: "path",
        description: "The item's id",
        required: true,
        schema: { type: "string", format: "uuid", description: "The item's id" },
      },
      { name: "x-tenant", in: "header", required: true, schema: { type: "string" } },
      { name: "if-none-match", in: "header", required: false, schema: { type: "string" } },
    ]);
    const untyped = operation(doc, "patch", "/items/{id}").parameters;
    assert.deepEqual(untyped, [
      { name: "id", in: "path", required: true, schema: { type: "string" } },
    ]);
  });

  it("writes a greedy parameter as a plain OpenAPI parameter that takes the rest of the path", () => {
    assert.equal("/files/{path+}" in doc.paths, false);
    const [path, query] = operation(doc, "get", "/files/{path}").parameters ?? [];
    assert.equal(path?.name, "path");
    assert.match(path?.description ?? "", /rest of the path/);
    // A record query: one free-form object, exploded into its pairs.
    assert.equal(query?.in, "query");
    assert.equal(query?.style, "form");
    assert.equal(query?.explode, true);
    assert.equal(query?.schema.type, "object");
  });

  it("merges the keys of an intersected query", () => {
    const params = operation(doc, "post", "/categories").parameters ?? [];
    assert.deepEqual(
      params.map((p) => [p.name, p.required]),
      [
        ["a", true],
        ["b", false],
      ],
    );
  });

  it("documents HEAD and OPTIONS routes that are registered, HEAD without a body", () => {
    assert.deepEqual(Object.keys(doc.paths["/files/{path}"] ?? {}), ["get", "head", "options"]);
    const head = operation(doc, "head", "/files/{path}");
    assert.deepEqual(head.responses["200"], { description: "Successful Response" });
  });

  it("writes the body schema as a JSON requestBody, required unless the schema is optional", () => {
    const post = operation(doc, "post", "/items").requestBody;
    assert.equal(post?.required, true);
    assert.deepEqual(post?.content, {
      "application/json": { schema: { $ref: "#/components/schemas/NewItem" } },
    });
    assert.equal(operation(doc, "patch", "/items/{id}").requestBody?.required, false);
    assert.equal(operation(doc, "get", "/items").requestBody, undefined);
  });

  it("documents the success status with the response schema, or without content when there is none", () => {
    const created = operation(doc, "post", "/items").responses;
    assert.deepEqual(created["201"], {
      description: "Successful Response",
      content: { "application/json": { schema: { $ref: "#/components/schemas/NewItem" } } },
    });
    assert.equal(created["200"], undefined);
    assert.deepEqual(operation(doc, "get", "/").responses, {
      "200": { description: "Successful Response" },
    });
    assert.deepEqual(operation(doc, "delete", "/items/{id}").responses["204"], {
      description: "No Content",
    });
    assert.deepEqual(operation(doc, "get", "/items").responses["200"]?.content, {
      "application/json": { schema: { $ref: "#/components/schemas/Page" } },
    });
  });

  it("refers every validating route, and only those, to the shared 422 schema", () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const route = largeApi.routes.find(
          (r) => r.method === method.toUpperCase() && r.parsed.template.replace("+", "") === path,
        );
        assert.ok(route, `${method} ${path} comes from a route`);
        const has = op.responses["422"] !== undefined;
        assert.equal(has, route.validates, `${method} ${path}: 422 iff the route validates`);
      }
    }
    assert.deepEqual(operation(doc, "get", "/items").responses["422"], {
      description: "Validation Error",
      content: {
        "application/json": { schema: { $ref: "#/components/schemas/HTTPValidationError" } },
      },
    });
    const schemas = doc.components?.schemas ?? {};
    assert.deepEqual(
      (schemas.HTTPValidationError?.properties as Record<string, unknown> | undefined)?.detail,
      {
        type: "array",
        title: "Detail",
        items: { $ref: "#/components/schemas/ValidationError" },
      },
    );
    assert.deepEqual(schemas.ValidationError?.required, ["loc", "msg", "type"]);
  });

  it("documents declared errors with the detail schema, and both schemas for a declared 422", () => {
    const read = operation(doc, "get", "/items/{id}").responses;
    const detail = { "application/json": { schema: { $ref: "#/components/schemas/HTTPError" } } };
    assert.deepEqual(read["404"], { description: "Item not found", content: detail });
    assert.deepEqual(read["403"], { description: "Not your tenant", content: detail });
    assert.deepEqual(Object.keys(read), ["200", "403", "404", "422"]);
    const put = operation(doc, "put", "/items/{id}").responses;
    assert.deepEqual(put["422"], {
      description: "The name is taken",
      content: {
        "application/json": {
          schema: {
            anyOf: [
              { $ref: "#/components/schemas/HTTPValidationError" },
              { $ref: "#/components/schemas/HTTPError" },
            ],
          },
        },
      },
    });
    assert.deepEqual(doc.components?.schemas.HTTPError?.required, ["detail"]);
  });

  it("writes summary, description, tags, deprecated and a declared operationId as given", () => {
    const read = operation(doc, "get", "/items/{id}");
    assert.equal(read.operationId, "readItem");
    assert.equal(read.deprecated, true);
    assert.deepEqual(read.tags, ["items"]);
    const list = operation(doc, "get", "/items");
    assert.equal(list.description, "Lists items, **filtered**.");
    assert.equal(list.deprecated, undefined);
    assert.equal(operation(doc, "get", "/").summary, "Hello");
    assert.deepEqual(doc.tags, [{ name: "items" }]);
  });

  it("keeps operationIds unique: a derived id already taken gets a number", () => {
    assert.equal(operation(doc, "get", "/a-b").operationId, "getAB");
    assert.equal(operation(doc, "get", "/a/b").operationId, "getAB2");
    const ids = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).map((op) => op.operationId),
    );
    assert.equal(new Set(ids).size, ids.length);
  });

  it("leaves hidden routes out, their operationIds included", () => {
    assert.equal(doc.paths["/internal"], undefined);
    assert.equal(operation(doc, "get", "/items").operationId, "getItems");
  });

  it("documents a schema with an action JSON Schema cannot express without that action", () => {
    const body = operation(doc, "post", "/checked").requestBody?.content["application/json"];
    assert.deepEqual(body?.schema, {
      type: "object",
      properties: { a: { type: "number" }, b: { type: "number" } },
      required: ["a", "b"],
    });
  });
});

describe("openapi: errors", () => {
  it("throws naming both routes when two declare one operationId", () => {
    const api = quiet()
      .get("/a", () => 1, { operationId: "same" })
      .post("/b", () => 1, { operationId: "same" });
    assert.throws(() => openapi(api, info), {
      name: "TypeError",
      message:
        'operationId "same" is declared by both GET /a and POST /b; operationIds must be unique',
    });
  });

  it("accepts a declared operationId that equals another route's derived one, renumbering the derived", () => {
    const doc = openapi(
      quiet()
        .get("/a", () => 1)
        .get("/b", () => 1, { operationId: "getA" }),
      info,
    );
    assert.equal(operation(doc, "get", "/b").operationId, "getA");
    assert.equal(operation(doc, "get", "/a").operationId, "getA2");
  });

  const badInfo: [string, unknown, string][] = [
    ["no title", { version: "1" }, "openapi: title must be a non-empty string, got undefined"],
    [
      "an empty title",
      { title: "", version: "1" },
      'openapi: title must be a non-empty string, got ""',
    ],
    [
      "a numeric version",
      { title: "T", version: 1 },
      "openapi: version must be a non-empty string, got 1",
    ],
    [
      "servers not an array",
      { ...info, servers: { url: "/" } },
      "openapi: servers must be an array of { url }, got an object",
    ],
  ];
  for (const [what, options, message] of badInfo) {
    it(`throws for ${what}`, () => {
      assert.throws(() => openapi(quiet(), options as never), { name: "TypeError", message });
    });
  }

  it("throws naming the route and part with strict when a schema has no JSON Schema form", () => {
    const api = quiet().post("/x", () => 1, { body: v.object({ at: v.custom(() => true) }) });
    assert.throws(() => openapi(api, { ...info, strict: true }), {
      name: "TypeError",
      message:
        /^openapi: the POST \/x body schema has no JSON Schema form \(The "custom" schema cannot be converted to JSON Schema\.\)/,
    });
    const loose = openapi(api, info);
    const schema = operation(loose, "post", "/x").requestBody?.content["application/json"]?.schema;
    assert.deepEqual(schema, { type: "object", properties: { at: {} }, required: ["at"] });
  });

  it("throws naming both routes when a greedy and a plain parameter give one OpenAPI path", () => {
    const api = quiet()
      .get("/f/{p}", () => 1)
      .get("/f/{p+}", () => 1);
    assert.throws(() => openapi(api, info), {
      message:
        "GET /f/{p} and GET /f/{p+} are both GET /f/{p} in OpenAPI; rename the parameter of one",
    });
  });

  const badErrors: [string, unknown, string][] = [
    [
      "a success status",
      { 200: "OK" },
      'GET /e: errors must map statuses from 400 to 599 to descriptions, got "200": "OK"',
    ],
    [
      "a status out of range",
      { 600: "x" },
      'GET /e: errors must map statuses from 400 to 599 to descriptions, got "600": "x"',
    ],
    [
      "a non-numeric key",
      { nope: "x" },
      'GET /e: errors must map statuses from 400 to 599 to descriptions, got "nope": "x"',
    ],
    [
      "a description that is no string",
      { 404: 1 },
      'GET /e: errors must map statuses from 400 to 599 to descriptions, got "404": 1',
    ],
  ];
  for (const [what, errors, message] of badErrors) {
    it(`refuses the errors option with ${what} when the route is registered`, () => {
      assert.throws(() => quiet().get("/e", () => 1, { errors: errors as never }), {
        name: "RangeError",
        message,
      });
    });
  }

  it("returns a new document each call, sharing nothing with the last", () => {
    const first = openapi(largeApi, info);
    const second = openapi(largeApi, info);
    assert.deepEqual(first, second);
    assert.notEqual(
      first.components?.schemas.ValidationError,
      second.components?.schemas.ValidationError,
    );
  });
});
