// Tests of schema naming: titled and listed schemas become components, written once, referenced by $ref.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { createApi } from "../../lib/index.js";
import { type OpenApiDocument, openapi } from "../../lib/openapi/index.js";
import { assertValidOpenApi, refsIn } from "./validate.js";

const quiet = () => createApi({ accessLog: false });
const info = { title: "Test", version: "1.0.0" };

const bodyOf = (doc: OpenApiDocument, path: string, method = "post") =>
  doc.paths[path]?.[method]?.requestBody?.content["application/json"]?.schema;
const responseOf = (doc: OpenApiDocument, path: string, method = "get", status = "200") =>
  doc.paths[path]?.[method]?.responses[status]?.content?.["application/json"]?.schema;
const componentNames = (doc: OpenApiDocument) =>
  Object.keys(doc.components?.schemas ?? {}).filter(
    (n) => !/^(HTTP)?(Validation)?Error$|^HTTPValidationError$/.test(n),
  );

describe("openapi schemas", () => {
  it("writes a titled schema used by several routes once, referenced from each", async () => {
    const Item = v.pipe(v.object({ name: v.string() }), v.title("Item"));
    const doc = openapi(
      quiet()
        .get("/items", () => [], { response: v.array(Item) })
        .post("/items", () => ({ name: "a" }), { body: Item, response: Item }),
      info,
    );
    assert.deepEqual(componentNames(doc), ["Item"]);
    assert.deepEqual(doc.components?.schemas.Item, {
      type: "object",
      properties: { name: { type: "string" } },
      required: ["name"],
      title: "Item",
    });
    const ref = { $ref: "#/components/schemas/Item" };
    assert.deepEqual(responseOf(doc, "/items"), { type: "array", items: ref });
    assert.deepEqual(bodyOf(doc, "/items"), ref);
    assert.deepEqual(responseOf(doc, "/items", "post"), ref);
    // The body's twice: its only field is text, so it is described as a form too.
    assert.equal(refsIn(doc).filter((r) => r === ref.$ref).length, 4);
    await assertValidOpenApi(doc);
  });

  it("names a schema by v.metadata({ title }) as by v.title()", () => {
    const Tag = v.pipe(
      v.object({ tag: v.string() }),
      v.metadata({ title: "Tag", "x-kind": "label" }),
    );
    const doc = openapi(
      quiet().post("/t", () => 1, { body: Tag }),
      info,
    );
    assert.deepEqual(bodyOf(doc, "/t"), { $ref: "#/components/schemas/Tag" });
    assert.equal(doc.components?.schemas.Tag?.["x-kind"], "label");
  });

  it("names schemas listed in the schemas option, the listed name winning over a title", () => {
    const Plain = v.object({ a: v.string() });
    const Titled = v.pipe(v.object({ b: v.string() }), v.title("Titled"));
    const doc = openapi(
      quiet()
        .post("/a", () => 1, { body: Plain })
        .post("/b", () => 1, { body: Titled }),
      { ...info, schemas: { Plain, Renamed: Titled } },
    );
    assert.deepEqual(componentNames(doc), ["Plain", "Renamed"]);
    assert.deepEqual(bodyOf(doc, "/b"), { $ref: "#/components/schemas/Renamed" });
  });

  it("inlines an untitled schema wherever it is used", () => {
    const Plain = v.object({ a: v.string() });
    const doc = openapi(
      quiet()
        .post("/a", () => 1, { body: Plain })
        .post("/b", () => 1, { body: Plain }),
      info,
    );
    assert.deepEqual(componentNames(doc), []);
    assert.deepEqual(bodyOf(doc, "/a"), bodyOf(doc, "/b"));
    assert.equal(bodyOf(doc, "/a")?.type, "object");
  });

  it("makes a title OpenAPI accepts as a component name, keeping the title itself", () => {
    const S = v.pipe(v.object({ a: v.string() }), v.title("Email address (v2)"));
    const doc = openapi(
      quiet().post("/a", () => 1, { body: S }),
      info,
    );
    assert.deepEqual(componentNames(doc), ["Email_address_v2"]);
    assert.equal(doc.components?.schemas.Email_address_v2?.title, "Email address (v2)");
  });

  it("numbers different schemas that share a title, and merges identical ones", async () => {
    const make = () => v.pipe(v.object({ a: v.string() }), v.title("Thing"));
    const other = v.pipe(v.object({ b: v.number() }), v.title("Thing"));
    const doc = openapi(
      quiet()
        .post("/one", () => 1, { body: make() })
        .post("/two", () => 1, { body: make() })
        .post("/three", () => 1, { body: other }),
      info,
    );
    assert.deepEqual(componentNames(doc), ["Thing", "Thing_2"]);
    assert.deepEqual(bodyOf(doc, "/one"), { $ref: "#/components/schemas/Thing" });
    assert.deepEqual(bodyOf(doc, "/two"), { $ref: "#/components/schemas/Thing" });
    assert.deepEqual(bodyOf(doc, "/three"), { $ref: "#/components/schemas/Thing_2" });
    assert.deepEqual(doc.components?.schemas.Thing_2?.required, ["b"]);
    await assertValidOpenApi(doc);
  });

  it("merges same-titled schemas that become identical once their own parts are merged", () => {
    const tag = () => v.pipe(v.object({ t: v.string() }), v.title("Tag"));
    const item = () => v.pipe(v.object({ tag: tag() }), v.title("Item"));
    const doc = openapi(
      quiet()
        .post("/a", () => 1, { body: item() })
        .post("/b", () => 1, { body: item() }),
      info,
    );
    assert.deepEqual(componentNames(doc), ["Item", "Tag"]);
    assert.deepEqual(bodyOf(doc, "/b"), { $ref: "#/components/schemas/Item" });
    assert.deepEqual(doc.components?.schemas.Item?.properties, {
      tag: { $ref: "#/components/schemas/Tag" },
    });
  });

  it("gives a user schema titled like a built-in component a suffix", () => {
    const Mine = v.pipe(v.object({ code: v.number() }), v.title("HTTPError"));
    const doc = openapi(
      quiet().post("/a", () => 1, { body: Mine, errors: { 404: "Nope" } }),
      info,
    );
    assert.deepEqual(bodyOf(doc, "/a"), { $ref: "#/components/schemas/HTTPError_2" });
    assert.deepEqual(doc.components?.schemas.HTTPError?.required, ["detail"]);
  });

  const badNames: [string, string][] = [
    ["a space", "My Item"],
    ["a slash", "a/b"],
    ["a reserved name", "HTTPValidationError"],
    ["an empty name", ""],
  ];
  for (const [what, name] of badNames) {
    it(`throws for a listed schema name with ${what}`, () => {
      assert.throws(() => openapi(quiet(), { ...info, schemas: { [name]: v.string() } }), {
        name: "TypeError",
        message: `openapi: schema name ${JSON.stringify(name)} is not allowed; expected letters, digits, ".", "-" or "_", and none of HTTPError, HTTPValidationError, ValidationError`,
      });
    });
  }

  it("writes a recursive schema once, pointing at itself; untitled ones as Schema1", async () => {
    interface Node {
      children: Node[];
    }
    const Tree: v.GenericSchema<Node> = v.object({ children: v.array(v.lazy(() => Tree)) });
    const doc = openapi(
      quiet()
        .post("/a", () => 1, { body: Tree })
        .post("/b", () => 1, { body: v.object({ root: Tree }) }),
      info,
    );
    assert.deepEqual(componentNames(doc), ["Schema1"]);
    assert.deepEqual(doc.components?.schemas.Schema1, {
      type: "object",
      properties: { children: { type: "array", items: { $ref: "#/components/schemas/Schema1" } } },
      required: ["children"],
    });
    await assertValidOpenApi(doc);
  });

  it("documents what the client sends: the input before a transform, dates as date-time strings", () => {
    const doc = openapi(
      quiet().post("/a", () => 1, {
        body: v.object({
          n: v.pipe(v.string(), v.transform(Number), v.number()),
          at: v.date(),
          tuple: v.tuple([v.string(), v.number()]),
          maybe: v.nullable(v.string()),
        }),
      }),
      info,
    );
    assert.deepEqual(bodyOf(doc, "/a")?.properties, {
      n: { type: "string" },
      at: { type: "string", format: "date-time" },
      tuple: { type: "array", prefixItems: [{ type: "string" }, { type: "number" }], minItems: 2 },
      maybe: { anyOf: [{ type: "string" }, { type: "null" }] },
    });
  });
});
