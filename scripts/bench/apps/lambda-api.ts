// lambda-api: the app, its body (parsed by lambda-api) checked by hand.

import lambdaApi, { type Request, type Response } from "lambda-api";

type Json = Record<string, unknown>;

function isItem(value: unknown): value is { name: string; price: number } {
  if (typeof value !== "object" || value === null) return false;
  const { name, price } = value as Json;
  return typeof name === "string" && name.length > 0 && typeof price === "number" && price >= 0;
}

// The package's types declare a CommonJS module; its ESM build's default export is the factory.
const createAPI = lambdaApi as unknown as typeof lambdaApi.default;
const api = createAPI();

api.get("/items/:id", async (req: Request) => ({ id: req.params.id, q: req.query.q ?? null }));

api.post("/items", async (req: Request, res: Response) => {
  const body: unknown = req.body;
  if (!isItem(body)) return res.status(400).json({ message: "Invalid item" });
  return res.status(201).json({ name: body.name, price: body.price });
});

/** The Lambda handler. */
export const handler = (event: unknown, context: unknown) =>
  api.run(event as Parameters<typeof api.run>[0], context as Parameters<typeof api.run>[1]);
