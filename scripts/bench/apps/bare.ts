// The floor: a hand-written handler for both API Gateway formats, no framework.

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

/** Serves GET /items/{id}?q=, POST /items and 404, from a REST (1.0) or HTTP API (2.0) event. */
export async function handler(event: Json): Promise<Result> {
  const v2 = event.version === "2.0";
  const http = v2 ? ((event.requestContext as Json).http as Json) : undefined;
  const method = (http ? http.method : event.httpMethod) as string;
  const path = (v2 ? event.rawPath : event.path) as string;
  if (method === "GET" && path.startsWith("/items/") && path.indexOf("/", 7) === -1) {
    const query = event.queryStringParameters as Record<string, string> | null | undefined;
    return reply(200, { id: decodeURIComponent(path.slice(7)), q: query?.q ?? null });
  }
  if (method === "POST" && path === "/items") {
    let body: unknown;
    try {
      body = JSON.parse(event.body as string);
    } catch {
      return reply(400, { message: "Malformed JSON body" });
    }
    if (!isItem(body)) return reply(400, { message: "Invalid item" });
    return reply(201, { name: body.name, price: body.price });
  }
  return reply(404, { message: "Not Found" });
}
