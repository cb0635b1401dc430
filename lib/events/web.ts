// The web-standard side of fetchHandler: a web Request → the normalized request, a reply → a web Response.

import type { Reply } from "../reply.js";
import type { IncomingRequest } from "./incoming.js";
import type { ReplyStream } from "../streaming/response.js";
import { parseQueryString } from "../util/headers.js";

const EMPTY = new Uint8Array(0);
// `ignoreBOM` keeps a leading BOM in the text, so the bytes the route reads back are exact.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Statuses a web Response refuses a body for. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** The body's bytes, or undefined as soon as it passes `limit` (the rest is never read). */
async function readBody(request: Request, limit: number): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get("content-length"));
  if (declared > limit) {
    await request.body?.cancel().catch(() => {});
    return undefined;
  }
  if (!request.body) return EMPTY;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/**
 * Normalizes a web Request (kind `web`): the path still percent-encoded as the URL has it, the
 * query from the URL, lowercase headers as the Headers object joins them, the body as text when
 * it is UTF-8 and base64 otherwise, so its bytes stay exact. A request carries no gateway
 * request id nor client address: the id is made up, `sourceIp` is undefined.
 * @returns undefined when the body is over `limit` bytes.
 */
export async function webRequest(
  request: Request,
  limit: number,
): Promise<IncomingRequest | undefined> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  for (const [name, value] of request.headers) headers[name] = value;
  const bytes = await readBody(request, limit);
  if (!bytes) return undefined;
  let body: string | undefined;
  let isBase64Encoded = false;
  if (bytes.byteLength > 0) {
    try {
      body = utf8.decode(bytes);
    } catch {
      body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
      isBase64Encoded = true;
    }
  }
  return {
    kind: "web",
    method: request.method.toUpperCase(),
    path: url.pathname,
    pathDecoded: false,
    headers,
    query: parseQueryString(url.search.slice(1)),
    cookies: undefined,
    body,
    isBase64Encoded,
    requestId: undefined,
    sourceIp: undefined,
    multiValueHeaders: false,
  };
}

/**
 * A streamed reply as a web ReadableStream, read only as fast as the client takes it. The
 * client going away (the stream cancelled, or `signal` aborted) aborts the route's `signal`; an
 * error after the first chunk ends the body early and goes to the log line.
 */
function readable(
  stream: ReplyStream,
  signal: AbortSignal | undefined,
): ReadableStream<Uint8Array> {
  const leave = () => stream.leave();
  signal?.addEventListener("abort", leave, { once: true });
  const finish = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    signal?.removeEventListener("abort", leave);
    try {
      controller.close();
    } catch {
      // Already cancelled by the client.
    }
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const chunk = await stream.read();
          if (chunk) {
            controller.enqueue(chunk);
            return;
          }
          stream.close();
        } catch (error) {
          stream.close({ error });
        }
        finish(controller);
      },
      cancel: leave,
    },
    { highWaterMark: 0 },
  );
}

/**
 * Turns a reply into a web Response: repeated headers (`set-cookie` included) appended one by
 * one, bytes and text as they are, a streamed body as a ReadableStream, no body for the
 * statuses that forbid one.
 */
export function webResponse(reply: Reply, signal?: AbortSignal): Response {
  const headers = new Headers();
  for (const name in reply.headers) {
    const value = reply.headers[name]!;
    if (typeof value === "string") headers.set(name, value);
    else for (const one of value) headers.append(name, one);
  }
  const empty = NULL_BODY.has(reply.status);
  let body: ReadableStream<Uint8Array> | string | Uint8Array | null = null;
  if (reply.stream) {
    if (empty) reply.stream.close();
    else body = readable(reply.stream, signal);
  } else if (!empty && reply.body !== undefined) {
    body = reply.body;
  }
  return new Response(body, { status: reply.status, headers });
}
