// hono with its AWS Lambda adapter: the app, its body checked by hono's own validator.

import { Hono } from "hono";
import { handle } from "hono/aws-lambda";
import { validator } from "hono/validator";

type Json = Record<string, unknown>;

function isItem(value: unknown): value is { name: string; price: number } {
  if (typeof value !== "object" || value === null) return false;
  const { name, price } = value as Json;
  return typeof name === "string" && name.length > 0 && typeof price === "number" && price >= 0;
}

const app = new Hono()
  .get("/items/:id", (c) => c.json({ id: c.req.param("id"), q: c.req.query("q") ?? null }))
  .post(
    "/items",
    validator("json", (value, c) =>
      isItem(value)
        ? { name: value.name, price: value.price }
        : c.json({ message: "Invalid item" }, 400),
    ),
    (c) => c.json(c.req.valid("json"), 201),
  );

/** The Lambda handler. */
export const handler = handle(app);
