// Powertools for AWS Lambda's event-handler HTTP router: the app, its body checked by hand.

import { BadRequestError, Router } from "@aws-lambda-powertools/event-handler/http";

type Json = Record<string, unknown>;

function isItem(value: unknown): value is { name: string; price: number } {
  if (typeof value !== "object" || value === null) return false;
  const { name, price } = value as Json;
  return typeof name === "string" && name.length > 0 && typeof price === "number" && price >= 0;
}

const app = new Router();

app.get("/items/:id", async ({ params, req }) => ({
  id: params.id,
  q: new URL(req.url).searchParams.get("q"),
}));

app.post("/items", async ({ req }) => {
  const body: unknown = await req.json().catch(() => undefined);
  if (!isItem(body)) throw new BadRequestError("Invalid item");
  return new Response(JSON.stringify({ name: body.name, price: body.price }), {
    status: 201,
    headers: { "content-type": "application/json" },
  });
});

/** The Lambda handler. */
export const handler = (event: unknown, context: Parameters<Router["resolve"]>[1]) =>
  app.resolve(event, context);
