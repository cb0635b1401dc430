// Request bodies by media type: multipart with binary parts for file fields, a form for text fields, JSON otherwise.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { createApi } from "../../lib/index.js";
import { openapi } from "../../lib/openapi/index.js";
import { assertValidOpenApi } from "./validate.js";

const quiet = () => createApi({ accessLog: false });
const info = { title: "Test", version: "1.0.0" };
const binary = { type: "string", format: "binary", contentMediaType: "application/octet-stream" };

const contentOf = (body: v.GenericSchema) => {
  const doc = openapi(
    quiet().post("/x", () => null, { body }),
    info,
  );
  return { doc, content: doc.paths["/x"]?.post?.requestBody?.content };
};

describe("openapi request bodies", () => {
  const files: [string, v.GenericSchema][] = [
    ["v.instance(File)", v.instance(File)],
    ["v.file()", v.file()],
    ["v.blob()", v.blob()],
    ["v.instance(Blob)", v.instance(Blob)],
  ];
  for (const [name, file] of files) {
    it(`describes a ${name} field as a binary part of multipart/form-data`, async () => {
      const { doc, content } = contentOf(v.object({ title: v.string(), photo: file }));
      assert.deepEqual(Object.keys(content ?? {}), ["multipart/form-data"]);
      assert.deepEqual(content?.["multipart/form-data"]?.schema, {
        type: "object",
        properties: { title: { type: "string" }, photo: binary },
        required: ["title", "photo"],
      });
      await assertValidOpenApi(doc);
    });
  }

  it("describes optional files and lists of files as binary parts", () => {
    const { content } = contentOf(
      v.object({ cover: v.optional(v.instance(File)), pages: v.array(v.instance(File)) }),
    );
    const schema = content?.["multipart/form-data"]?.schema as {
      properties: Record<string, unknown>;
    };
    assert.deepEqual(schema.properties, { cover: binary, pages: { type: "array", items: binary } });
  });

  it("describes a body of text fields as JSON and as a urlencoded form", () => {
    const { content } = contentOf(
      v.object({
        name: v.string(),
        tags: v.array(v.string()),
        n: v.pipe(v.string(), v.toNumber()),
      }),
    );
    assert.deepEqual(Object.keys(content ?? {}), [
      "application/json",
      "application/x-www-form-urlencoded",
    ]);
  });

  const jsonOnly: [string, v.GenericSchema][] = [
    ["a number field", v.object({ price: v.number() })],
    ["a nested object", v.object({ item: v.object({ name: v.string() }) })],
    ["an array body", v.array(v.string())],
    ["an empty object", v.object({})],
  ];
  for (const [what, body] of jsonOnly) {
    it(`describes a body with ${what} as JSON only`, () => {
      assert.deepEqual(Object.keys(contentOf(body).content ?? {}), ["application/json"]);
    });
  }
});
