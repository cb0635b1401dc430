// Type-level tests, compiled by tsc in `npm test`: security schemes and the `security` route option.

import { createApi } from "../../lib/index.js";
import { openapi, type SecuritySchemeObject } from "../../lib/openapi/index.js";

const schemes = {
  bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
  apiKey: { type: "apiKey", name: "x-api-key", in: "header" },
  sigv4: {
    type: "apiKey",
    name: "Authorization",
    in: "header",
    "x-amazon-apigateway-authtype": "awsSigv4",
  },
} satisfies Record<string, SecuritySchemeObject>;

const api = createApi()
  .get("/a", () => 1, { security: [{ bearerAuth: [] }, { apiKey: [], sigv4: [] }] })
  .get("/b", () => 1, { security: [] })
  // @ts-expect-error a requirement maps scheme names to scope lists
  .get("/c", () => 1, { security: [{ bearerAuth: "read" }] });

openapi(api, {
  title: "T",
  version: "1",
  securitySchemes: schemes,
  security: [{ bearerAuth: [] }],
});

// @ts-expect-error an http scheme needs its `scheme`
const noScheme: SecuritySchemeObject = { type: "http" };
// @ts-expect-error an apiKey is sent in a header, the query or a cookie
const badIn: SecuritySchemeObject = { type: "apiKey", name: "k", in: "body" };
// @ts-expect-error "basic" is an http scheme, not a type
const badType: SecuritySchemeObject = { type: "basic" };
void [noScheme, badIn, badType];
