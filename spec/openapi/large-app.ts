// A test Api using every feature the OpenAPI generator documents: each route says which.

import * as v from "valibot";
import { createApi, HTTPException } from "../../lib/index.js";

/** Named by `v.title`: one component, referenced by several routes and by `Item`. */
export const Tag = v.pipe(
  v.object({
    name: v.pipe(v.string(), v.minLength(1)),
    color: v.optional(v.picklist(["red", "blue"])),
  }),
  v.title("Tag"),
);

/** Named by `v.metadata({ title })`, with a description and examples. */
export const Item = v.pipe(
  v.object({
    id: v.pipe(v.string(), v.uuid()),
    name: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
    price: v.pipe(v.number(), v.minValue(0)),
    tags: v.array(Tag),
    dimensions: v.optional(v.tuple([v.number(), v.number()])),
    note: v.nullable(v.string()),
    created: v.optional(v.date()),
  }),
  v.metadata({ title: "Item", description: "A thing for sale.", examples: [] }),
);

const NewItemFields = v.object({
  name: v.pipe(v.string(), v.minLength(1)),
  price: v.number(),
  tags: v.array(Tag),
});

/** A new schema object titled "NewItem" on each call: identical ones, merged into one component. */
const newItem = () => v.pipe(NewItemFields, v.title("NewItem"));

/** Recursive, titled: one component pointing at itself. */
interface Category {
  name: string;
  children: Category[];
}
export const CategorySchema: v.GenericSchema<Category> = v.pipe(
  v.object({ name: v.string(), children: v.array(v.lazy(() => CategorySchema)) }),
  v.title("Category"),
);

/** Named only through the `schemas` option of `openapi()`. */
export const Page = v.object({ total: v.pipe(v.number(), v.integer()), items: v.array(Item) });

const ItemId = v.object({ id: v.pipe(v.string(), v.uuid(), v.description("The item's id")) });

/** Every route of the large app, each with a comment naming the feature it exercises. */
export const largeApi = createApi({ accessLog: false })
  // Root path, no schemas: operationId getRoot, status without a body schema.
  .get("/", () => ({ Hello: "World" }), { summary: "Hello", tags: ["misc"] })
  // Query object: optional, required, array (exploded), transformed, described keys; a response.
  .get("/items", () => ({ total: 0, items: [] }), {
    query: v.object({
      q: v.optional(v.pipe(v.string(), v.description("Full-text search"))),
      tag: v.optional(v.array(v.string())),
      limit: v.optional(v.pipe(v.string(), v.transform(Number), v.number(), v.maxValue(100))),
      sort: v.picklist(["name", "price"]),
    }),
    response: Page,
    tags: ["items"],
    description: "Lists items, **filtered**.",
  })
  // Path params schema, header schema, declared errors, deprecated, explicit operationId.
  .get(
    "/items/{id}",
    ({ params }) => {
      throw new HTTPException(404, `no item ${params.id}`);
    },
    {
      params: ItemId,
      headers: v.object({ "x-tenant": v.string(), "if-none-match": v.optional(v.string()) }),
      response: Item,
      errors: { 404: "Item not found", 403: "Not your tenant" },
      operationId: "readItem",
      deprecated: true,
      tags: ["items"],
    },
  )
  // JSON body with a named schema written twice identically; 201.
  .post("/items", ({ body }) => body, { body: newItem(), response: newItem(), status: 201 })
  // Optional body; template parameter without a params schema.
  .patch("/items/{id}", () => undefined, {
    body: v.optional(v.partial(NewItemFields)),
    status: 204,
  })
  // 204 without a body.
  .delete("/items/{id}", () => undefined, { status: 204, errors: { 404: "Item not found" } })
  // A declared 422 on a validating route: both schemas.
  .put("/items/{id}", () => ({}), {
    body: v.object({ name: v.string() }),
    errors: { 422: "The name is taken", 409: "Conflict" },
  })
  // Greedy parameter, record query (free-form), HEAD and OPTIONS routes.
  .get("/files/{path+}", () => "file", { query: v.record(v.string(), v.string()) })
  .head("/files/{path+}", () => undefined)
  .options("/files/{path+}", () => undefined)
  // Recursive schema, intersected query, union body.
  .post("/categories", () => ({ name: "a", children: [] }), {
    body: CategorySchema,
    response: CategorySchema,
    query: v.intersect([v.object({ a: v.string() }), v.object({ b: v.optional(v.string()) })]),
  })
  .post("/search", () => [], {
    body: v.union([v.object({ text: v.string() }), v.object({ tags: v.array(Tag) })]),
    response: v.array(Item),
  })
  // A schema with no JSON Schema form for one part (v.check): documented without it.
  .post("/checked", () => ({}), {
    body: v.pipe(
      v.object({ a: v.number(), b: v.number() }),
      v.check((x) => x.a < x.b, "a must be less than b"),
    ),
  })
  // Derived operationId collision: /a-b and /a/b both derive getAB.
  .get("/a-b", () => 1)
  .get("/a/b", () => 2)
  // Hidden: not in the document.
  .get("/internal", () => "secret", { hidden: true, operationId: "getItems" });

/** The `schemas` option the large app is documented with. */
export const largeSchemas = { Page };
