// The example API: the Python original's README examples, in aio-lambda-api.

import { setTimeout as sleep } from "node:timers/promises";
import * as v from "valibot";
import { createApi, HTTPException, Response } from "../lib/index.js";
import { withDocs } from "../lib/openapi/index.js";
import { StreamingResponse, streamingHandler as streaming } from "../lib/streaming/index.js";

const items: Record<string, string> = { foo: "The Foo Wrestlers" };

/** Three lines, 200 ms apart; stops early when the route's signal aborts. */
async function* ticks(signal: AbortSignal) {
  for (let i = 1; i <= 3; i++) {
    if (i > 1) await sleep(200, undefined, { signal });
    yield `tick ${i}\n`;
  }
}

const Item = v.object({
  name: v.pipe(v.string(), v.minLength(1)),
  price: v.pipe(v.number(), v.minValue(0)),
});

const routes = createApi()
  // Hello world.
  .get("/", () => ({ Hello: "World" }))
  // A path parameter, an optional query parameter, and HTTPException for a missing item.
  .get(
    "/items/{id}",
    ({ params, query }) => {
      const item = items[params.id];
      if (item === undefined) {
        throw new HTTPException(404, "Item not found", { errorDetail: `no item ${params.id}` });
      }
      return { id: params.id, item, q: query.q ?? null };
    },
    {
      query: v.object({ q: v.optional(v.string()) }),
      // The answer's schema: documented in /docs, and serialized by a compiled serializer
      // (`bundle` compiles it ahead of time) that drops any key it does not declare.
      response: v.object({ id: v.string(), item: v.string(), q: v.nullable(v.string()) }),
      errors: { 404: "Item not found" },
    },
  )
  // A validated JSON body and a custom status.
  .post("/items", ({ body }) => ({ created: body.name, price: body.price }), {
    body: Item,
    response: v.object({ created: v.string(), price: v.number() }),
    status: 201,
  })
  // Headers set through `response`.
  .get("/cached", ({ response }) => {
    response.headers["cache-control"] = "no-cache";
    return { Hello: "World" };
  })
  // A full Response with binary content (sent base64-encoded).
  .get(
    "/binary",
    () =>
      new Response(new TextEncoder().encode("helloworld"), {
        status: 202,
        mediaType: "application/octet-stream",
      }),
  )
  // Reading request headers (lowercase names).
  .get("/whoami", ({ request }) => ({ Hello: request.headers["user-agent"] ?? "unknown" }))
  // A streamed answer: each line leaves as it is made under `streamingHandler` (collected
  // into one result under `handler`).
  .get("/stream", ({ signal }) => new StreamingResponse(ticks(signal), { mediaType: "text/plain" }))
  // Returning nothing: 204.
  .delete("/items/{id}", () => undefined, { status: 204 })
  // An uncaught error: rethrown, so Lambda reports it; the client sees a bare 5xx.
  .get("/boom", () => {
    throw new Error("boom");
  });

/** The routes above, with their OpenAPI document (/openapi.json) and interactive docs (/docs). */
export const api = withDocs(routes, { title: "aio-lambda-api example", version: "1.0.0" });

/** The Lambda handler setting: `app.handler` (bundled: `index.handler`). */
export const handler = api.handler;

/** For a Function URL with response streaming: `app.streamingHandler` (bundled: `index.streamingHandler`). */
export const streamingHandler = streaming(api);
