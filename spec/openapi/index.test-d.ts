// Type-level tests, compiled by tsc in `npm test`: the errors option, withDocs and openapi().

import * as v from "valibot";
import { type Api, createApi } from "../../lib/index.js";
import {
  type OpenApiDocument,
  type OperationObject,
  openapi,
  withDocs,
} from "../../lib/openapi/index.js";

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

const api = createApi();

// errors: statuses to descriptions.
api.get("/items/{id}", () => 1, { errors: { 404: "Item not found", 409: "Conflict" } });
// @ts-expect-error a description must be a string
api.get("/items/{id}", () => 1, { errors: { 404: 1 } });

// withDocs() keeps the provided resources' types for the routes after it.
const documented = withDocs(
  api.provide("db", () => ({ query: (sql: string) => sql.length })),
  { title: "Items", version: "1.0.0", ui: "scalar", servers: [{ url: "/prod" }] },
);
documented.get("/count", ({ db }) => {
  type _db = Expect<Equal<typeof db, { query: (sql: string) => number }>>;
  return db.query("select 1");
});
type _docsApi = Expect<Equal<typeof documented, Api<{ db: { query: (sql: string) => number } }>>>;

// @ts-expect-error title and version are required
withDocs(api, { path: "/docs" });
// @ts-expect-error only the two explorers
withDocs(api, { title: "T", version: "1", ui: "redoc" });

// openapi(): a typed document, the schemas option taking valibot schemas.
const document = openapi(api, { title: "T", version: "1", schemas: { Item: v.object({}) } });
type _document = Expect<Equal<typeof document, OpenApiDocument>>;
const operation = document.paths["/"]?.get;
type _operation = Expect<Equal<typeof operation, OperationObject | undefined>>;
// @ts-expect-error the schemas option takes valibot schemas
openapi(api, { title: "T", version: "1", schemas: { Item: { type: "object" } } });
