// Security schemes in the document: declared once, required per route, derived from `claims`, checked against the declared names.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { createApi } from "../../lib/index.js";
import {
  type OpenApiDocument,
  openapi,
  type SecuritySchemeObject,
  withDocs,
} from "../../lib/openapi/index.js";
import { inject } from "../../lib/testing/index.js";
import { assertValidOpenApi } from "./validate.js";

const quiet = () => createApi({ accessLog: false });

const securitySchemes: Record<string, SecuritySchemeObject> = {
  bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
  apiKey: { type: "apiKey", name: "x-api-key", in: "header" },
  sigv4: {
    type: "apiKey",
    name: "Authorization",
    in: "header",
    "x-amazon-apigateway-authtype": "awsSigv4",
  },
};
const info = { title: "Test", version: "1.0.0", securitySchemes };

const Claims = v.object({ sub: v.string() });

describe("openapi security", () => {
  const api = quiet()
    .get("/me", ({ claims }) => claims.sub, { claims: Claims })
    .get("/keyed", () => "ok", { security: [{ apiKey: [] }] })
    .get("/signed", () => "ok", { security: [{ sigv4: [] }, { bearerAuth: ["items/read"] }] })
    .get("/public", () => "ok", { security: [] })
    .get("/plain", () => "ok");
  const doc = openapi(api, { ...info, security: [{ apiKey: [] }] });

  it("writes the schemes under components/securitySchemes, extensions kept", async () => {
    assert.deepEqual(doc.components?.securitySchemes, securitySchemes);
    await assertValidOpenApi(doc);
  });

  it("writes each route's own requirement, [] for a public one", () => {
    assert.deepEqual(doc.paths["/keyed"]?.get?.security, [{ apiKey: [] }]);
    assert.deepEqual(doc.paths["/signed"]?.get?.security, [
      { sigv4: [] },
      { bearerAuth: ["items/read"] },
    ]);
    assert.deepEqual(doc.paths["/public"]?.get?.security, []);
  });

  it("requires the bearer schemes of a route with claims, and documents its 401 and 403", () => {
    const me = doc.paths["/me"]?.get;
    assert.deepEqual(me?.security, [{ bearerAuth: [] }]);
    assert.equal(me?.responses["401"]?.description, "Unauthorized");
    assert.equal(me?.responses["403"]?.description, "Forbidden");
    assert.equal(me?.responses["422"], undefined);
  });

  it("leaves a route without a requirement to the document's", () => {
    assert.equal("security" in (doc.paths["/plain"]?.get ?? {}), false);
    assert.deepEqual(doc.security, [{ apiKey: [] }]);
  });

  it("writes no securitySchemes, and no security on a claims route, without schemes", () => {
    const plain = openapi(
      quiet().get("/me", ({ claims }) => claims, { claims: Claims }),
      {
        title: "T",
        version: "1",
      },
    );
    assert.equal(plain.components?.securitySchemes, undefined);
    assert.equal(plain.paths["/me"]?.get?.security, undefined);
  });

  const bad: [string, () => unknown, string][] = [
    [
      "a route naming an undeclared scheme",
      () =>
        openapi(
          quiet().get("/x", () => 1, { security: [{ oauth: [] }] }),
          info,
        ),
      'openapi: GET /x names security scheme "oauth", which is not declared (securitySchemes has "bearerAuth", "apiKey", "sigv4")',
    ],
    [
      "the document naming an undeclared scheme",
      () => openapi(quiet(), { title: "T", version: "1", security: [{ jwt: [] }] }),
      `openapi: the document's security names security scheme "jwt", which is not declared (securitySchemes has none)`,
    ],
  ];
  for (const [what, build, message] of bad) {
    it(`throws for ${what}`, () => {
      assert.throws(build, { name: "TypeError", message });
    });
  }

  it("is served by withDocs, with a Swagger UI page that keeps the token across reloads", async () => {
    const docs = withDocs(api, info);
    const doc = (await inject(docs, { path: "/openapi.json" })).json() as OpenApiDocument;
    assert.deepEqual(doc.components?.securitySchemes, securitySchemes);
    assert.deepEqual(doc.paths["/me"]?.get?.security, [{ bearerAuth: [] }]);
    await assertValidOpenApi(doc);
    const page = await inject(docs, { path: "/docs" });
    assert.match(page.body, /persistAuthorization: true/);
  });
});
