// @middy/core with @middy/http-router: the app, its body checked by hand (as without a validator).

import middy from "@middy/core";
import httpRouterHandler from "@middy/http-router";

type Json = Record<string, unknown>;
interface Result {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_HEADERS = { "content-type": "application/json" };

function reply(statusCode: number, value: unknown): Result {
  return { statusCode, headers: JSON_HEADERS, body: JSON.stringify(value) };
}

function isItem(value: unknown): value is { name: string; price: number } {
  if (typeof value !== "object" || value === null) return false;
  const { name, price } = value as Json;
  return typeof name === "string" && name.length > 0 && typeof price === "number" && price >= 0;
}

const getItem = middy<Json, Result>().handler(async (event: Json) => {
  const params = event.pathParameters as Record<string, string>;
  const query = event.queryStringParameters as Record<string, string> | null | undefined;
  return reply(200, { id: params.id, q: query?.q ?? null });
});

const postItem = middy<Json, Result>().handler(async (event: Json) => {
  let body: unknown;
  try {
    body = JSON.parse(event.body as string);
  } catch {
    return reply(400, { message: "Malformed JSON body" });
  }
  if (!isItem(body)) return reply(400, { message: "Invalid item" });
  return reply(201, { name: body.name, price: body.price });
});

/** The router: two routes, a 404 answer for unknown paths (apps/middy-logger.ts wraps it too). */
export const router = httpRouterHandler({
  routes: [
    { method: "GET", path: "/items/{id}", handler: getItem },
    { method: "POST", path: "/items", handler: postItem },
  ],
  notFoundResponse: () => reply(404, { message: "Not Found" }),
} as unknown as Parameters<typeof httpRouterHandler>[0]);

/** The Lambda handler: middy around the router. */
export const handler = middy(router);
