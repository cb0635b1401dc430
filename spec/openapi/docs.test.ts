// Tests of withDocs: the JSON document route (made once) and the explorer page route.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import * as v from "valibot";
import { createApi } from "../../lib/index.js";
import {
  DEFAULT_ASSETS,
  docsPaths,
  type OpenApiDocument,
  SCALAR_VERSION,
  SWAGGER_UI_VERSION,
  withDocs,
} from "../../lib/openapi/index.js";
import { inject } from "../../lib/testing/index.js";
import { assertValidOpenApi } from "./validate.js";

const quiet = () => createApi({ accessLog: false });
const info = { title: "Items API", version: "2.0.0" };
const base = () =>
  quiet()
    .get("/items/{id}", () => ({}), { query: v.object({ q: v.optional(v.string()) }) })
    .post("/items", () => ({}), { body: v.object({ name: v.string() }), status: 201 });

async function documentOf(api: ReturnType<typeof quiet>, path = "/openapi.json") {
  const res = await inject(api, { path });
  assert.equal(res.status, 200);
  assert.equal(res.headers["content-type"], "application/json");
  return res.json() as OpenApiDocument;
}

describe("withDocs", () => {
  it("serves a valid OpenAPI document at /openapi.json, without the docs routes in it", async () => {
    const doc = await documentOf(withDocs(base(), info));
    await assertValidOpenApi(doc);
    assert.deepEqual(doc.info, { title: "Items API", version: "2.0.0" });
    assert.deepEqual(Object.keys(doc.paths), ["/items/{id}", "/items"]);
  });

  it("points the document's server at its own folder, so stage and base-path prefixes hold", async () => {
    const rows: [string, string][] = [
      ["/openapi.json", "."],
      ["/spec/openapi.json", ".."],
      ["/a/b/spec.json", "../.."],
    ];
    for (const [specPath, url] of rows) {
      const doc = await documentOf(withDocs(base(), { ...info, specPath }), specPath);
      assert.deepEqual(
        doc.servers,
        [{ url, description: "The API serving this document" }],
        specPath,
      );
    }
    const given = [{ url: "https://api.example.com/prod", description: "Production" }];
    const doc = await documentOf(withDocs(base(), { ...info, servers: given }));
    assert.deepEqual(doc.servers, given);
  });

  it("describes the routes registered after withDocs() too, each Api its own", async () => {
    const documented = withDocs(base(), info);
    const later = documented.get("/late", () => "late", { summary: "Late" });
    assert.deepEqual(Object.keys((await documentOf(documented)).paths), ["/items/{id}", "/items"]);
    const doc = await documentOf(later);
    assert.deepEqual(Object.keys(doc.paths), ["/items/{id}", "/items", "/late"]);
    assert.equal(doc.paths["/late"]?.get?.summary, "Late");
  });

  it("builds the document on the first request only, and answers the same text after", async () => {
    let getterCalls = 0;
    interface Node {
      next: Node[];
    }
    const NodeSchema: v.GenericSchema<Node> = v.object({
      next: v.array(
        v.lazy(() => {
          getterCalls += 1;
          return NodeSchema;
        }),
      ),
    });
    const api = withDocs(
      quiet().post("/nodes", () => 1, { body: NodeSchema }),
      info,
    );
    assert.equal(getterCalls, 0, "nothing is built before the first request");
    const first = await inject(api, { path: "/openapi.json" });
    const afterFirst = getterCalls;
    assert.ok(afterFirst > 0, "the first request converts the schemas");
    const second = await inject(api, { path: "/openapi.json" });
    assert.equal(getterCalls, afterFirst, "the second request converts nothing");
    assert.equal(second.body, first.body);
  });

  it("serves the Swagger UI page at /docs, loading it from the CDN release it names", async () => {
    const res = await inject(withDocs(base(), info), { path: "/docs" });
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "text/html; charset=utf-8");
    const html = res.body;
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /<title>Items API<\/title>/);
    assert.ok(
      html.includes(
        `"assets":"https://cdn.jsdelivr.net/npm/swagger-ui-dist@${SWAGGER_UI_VERSION}"`,
      ),
    );
    assert.ok(html.includes('"css":"swagger-ui.css","js":"swagger-ui-bundle.js"'));
    assert.ok(html.includes('"path":"/docs","specPath":"/openapi.json"'));
    assert.match(html, /SwaggerUIBundle\(\{ url: spec, dom_id: "#docs"/);
  });

  it("serves the Scalar page when asked, with Scalar's CDN release", async () => {
    const html = (await inject(withDocs(base(), { ...info, ui: "scalar" }), { path: "/docs" }))
      .body;
    assert.ok(
      html.includes(
        `"assets":"https://cdn.jsdelivr.net/npm/@scalar/api-reference@${SCALAR_VERSION}/dist/browser"`,
      ),
    );
    assert.ok(html.includes('"css":"","js":"standalone.js"'));
    assert.match(html, /Scalar\.createApiReference\("#docs"/);
    assert.ok(html.includes('"hasServers":false,"selfHosted":false'));
    const own = (
      await inject(withDocs(base(), { ...info, ui: "scalar", assetsUrl: "/scalar" }), {
        path: "/docs",
      })
    ).body;
    assert.ok(own.includes('"selfHosted":true'), "self-hosted Scalar loads no fonts from its site");
  });

  it("loads the explorer from assetsUrl, at the paths given, trailing slash dropped", async () => {
    const api = withDocs(base(), {
      ...info,
      path: "/api-docs/",
      specPath: "/spec.json",
      assetsUrl: "/static/swagger/",
    });
    const html = (await inject(api, { path: "/api-docs" })).body;
    assert.ok(
      html.includes('"path":"/api-docs","specPath":"/spec.json","assets":"/static/swagger"'),
    );
    assert.equal((await inject(api, { path: "/docs" })).status, 404);
    assert.equal((await inject(api, { path: "/spec.json" })).status, 200);
  });

  it("escapes the title in HTML and the settings inside the script", async () => {
    const title = `</title><script>alert("x")</script>`;
    const html = (
      await inject(withDocs(base(), { ...info, title, assetsUrl: "https://x/</script>" }), {
        path: "/docs",
      })
    ).body;
    assert.ok(
      html.includes(
        "<title>&lt;/title&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</title>",
      ),
    );
    assert.ok(html.includes('"assets":"https://x/\\u003c/script>"'));
    assert.equal(html.match(/<\/script>/g)?.length, 1, "only the page's own script closes");
  });

  it("answers HEAD on the docs routes without a body", async () => {
    const res = await inject(withDocs(base(), info), { method: "HEAD", path: "/docs" });
    assert.equal(res.status, 200);
    assert.equal(res.body, "");
  });

  it("creates no provided resource for the docs routes", async () => {
    let created = 0;
    const api = withDocs(
      quiet()
        .provide("db", () => {
          created += 1;
          return {};
        })
        .get("/", ({ db }) => db),
      info,
    );
    assert.equal((await inject(api, { path: "/openapi.json" })).status, 200);
    assert.equal((await inject(api, { path: "/docs" })).status, 200);
    assert.equal(created, 0);
  });

  it("fails the document request, naming both routes, when two declare one operationId", async () => {
    const api = withDocs(
      quiet()
        .get("/a", () => 1, { operationId: "dup" })
        .get("/b", () => 1, { operationId: "dup" }),
      info,
    );
    await assert.rejects(inject(api, { path: "/openapi.json" }), {
      message:
        'operationId "dup" is declared by both GET /a and GET /b; operationIds must be unique',
    });
    const answering = withDocs(
      createApi({ accessLog: false, uncaughtErrors: "respond" })
        .get("/a", () => 1, { operationId: "dup" })
        .get("/b", () => 1, { operationId: "dup" }),
      info,
    );
    const res = await inject(answering, { path: "/openapi.json" });
    assert.equal(res.status, 500);
    assert.deepEqual(res.json(), { detail: "Internal Server Error" });
    assert.equal((await inject(answering, { path: "/docs" })).status, 200);
  });

  const badOptions: [string, unknown, string][] = [
    ["no options", undefined, "withDocs: title and version must be strings, got [null,null]"],
    ["no version", { title: "T" }, 'withDocs: title and version must be strings, got ["T",null]'],
    [
      "an unknown ui",
      { ...info, ui: "redoc" },
      'withDocs: ui must be "swagger" or "scalar", got "redoc"',
    ],
  ];
  for (const [what, options, message] of badOptions) {
    it(`throws at once for ${what}`, () => {
      assert.throws(() => withDocs(base(), options as never), { name: "TypeError", message });
    });
  }

  const notApis: [string, unknown, string][] = [
    ["undefined", undefined, "undefined"],
    ["null", null, "null"],
    ["a plain object with routes", { routes: [] }, "an object"],
    ["a function", () => {}, "a function"],
  ];
  for (const [what, value, got] of notApis) {
    it(`throws a TypeError naming withDocs when given ${what} instead of an Api`, () => {
      assert.throws(() => withDocs(value as never, info), {
        name: "TypeError",
        message: `withDocs: expected an Api made by createApi(), got ${got}`,
      });
    });
  }

  it("throws at registration when a docs route clashes with another route", () => {
    assert.throws(
      () =>
        withDocs(
          quiet().get("/docs", () => 1),
          info,
        ),
      {
        message: "GET /docs is already registered",
      },
    );
    assert.throws(() => withDocs(quiet(), info).get("/openapi.json", () => 1), {
      message: "GET /openapi.json is already registered",
    });
    assert.throws(() => withDocs(quiet(), { ...info, path: "/same", specPath: "/same" }), {
      message: "GET /same is already registered",
    });
    assert.throws(() => withDocs(quiet(), { ...info, path: "docs" }), {
      message: 'Path template must start with "/", got "docs"',
    });
  });

  it("lists its routes in api.routes as hidden, findable by docsPaths()", () => {
    const api = withDocs(base(), { ...info, path: "/reference" });
    const names = api.routes.map((r) => `${r.name} ${r.options.hidden === true}`);
    assert.deepEqual(names.slice(-2), ["GET /openapi.json true", "GET /reference true"]);
    assert.deepEqual(docsPaths(api), { page: "/reference", document: "/openapi.json" });
    assert.equal(docsPaths(base()), undefined);
    for (const value of [undefined, null, 1, {}, { routes: "no" }])
      assert.equal(docsPaths(value), undefined);
  });

  it("names by default the swagger-ui-dist release the browser test runs", () => {
    const installed = JSON.parse(
      readFileSync(
        new URL("../../node_modules/swagger-ui-dist/package.json", import.meta.url),
        "utf8",
      ),
    ) as { version: string };
    assert.equal(
      SWAGGER_UI_VERSION,
      installed.version,
      "update SWAGGER_UI_VERSION in lib/openapi/html.ts",
    );
    assert.equal(
      DEFAULT_ASSETS.swagger,
      `https://cdn.jsdelivr.net/npm/swagger-ui-dist@${installed.version}`,
    );
  });
});
