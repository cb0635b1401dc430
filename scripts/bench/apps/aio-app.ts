// aio-lambda-api: the app as a user writes it, valibot schemas for the query, the body and the answers.

import * as v from "valibot";
import { type ApiOptions, createApi } from "../../../lib/index.js";

const Item = v.object({
  name: v.pipe(v.string(), v.minLength(1)),
  price: v.pipe(v.number(), v.minValue(0)),
});

/** The benchmark app; `options` switch the access log. */
export function itemsApi(options: ApiOptions = {}) {
  return createApi(options)
    .get("/items/{id}", ({ params, query }) => ({ id: params.id, q: query.q ?? null }), {
      query: v.object({ q: v.optional(v.string()) }),
      response: v.object({ id: v.string(), q: v.nullable(v.string()) }),
    })
    .post("/items", ({ body }) => ({ name: body.name, price: body.price }), {
      body: Item,
      response: Item,
      status: 201,
    });
}
