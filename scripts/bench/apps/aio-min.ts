// aio-lambda-api: the benchmark app as the peers write it, its body checked by hand (no schemas).

import { type ApiOptions, createApi, HTTPException } from "../../../lib/index.js";

type Json = Record<string, unknown>;

function isItem(value: unknown): value is { name: string; price: number } {
  if (typeof value !== "object" || value === null) return false;
  const { name, price } = value as Json;
  return typeof name === "string" && name.length > 0 && typeof price === "number" && price >= 0;
}

/** The minimal benchmark app; `options` switch the access log. */
export function minimalApi(options: ApiOptions = {}) {
  return createApi(options)
    .get("/items/{id}", ({ params, query }) => ({ id: params.id, q: query.q ?? null }))
    .post(
      "/items",
      ({ body }) => {
        if (!isItem(body)) throw new HTTPException(400, "Invalid item");
        return { name: body.name, price: body.price };
      },
      { status: 201 },
    );
}
