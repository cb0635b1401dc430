// A Node `http` server on 127.0.0.1 over a web `fetch` handler such as fetchHandler(api): the small adapter docs/sources.md shows.

import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { IncomingMessage } from "node:http";

/** A running adapter. */
export interface FetchServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/**
 * The request body as a web stream, read as fast as it is consumed; once cancelled (a 413), the
 * rest is read and dropped. (Node 20's `Readable.toWeb` throws on a late `end` after a cancel.)
 */
function bodyOf(req: IncomingMessage): ReadableStream<Uint8Array> {
  let open = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Buffer) => {
        if (!open) return;
        controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once("end", () => open && controller.close());
      req.once("error", (error) => open && controller.error(error));
    },
    pull() {
      req.resume();
    },
    cancel() {
      open = false;
      req.resume();
    },
  });
}

/**
 * Serves `fetch` on a free port of 127.0.0.1: each request becomes a web Request (its body
 * streamed, its signal aborted when the client goes away before the answer ends), and the web
 * Response is written back chunk by chunk, `Set-Cookie` lines kept apart.
 * @example
 * const server = await serveFetch(fetchHandler(api));
 * const res = await fetch(`${server.url}/items/1`);
 * await server.close();
 */
export async function serveFetch(
  fetch: (request: Request) => Promise<Response>,
): Promise<FetchServer> {
  const server = createServer(async (req, res) => {
    const controller = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    const headers = new Headers();
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    }
    const method = req.method ?? "GET";
    const body = method === "GET" || method === "HEAD" ? undefined : bodyOf(req);
    const request = new Request(`http://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`, {
      method,
      headers,
      body,
      signal: controller.signal,
      duplex: "half",
    } as RequestInit);
    let response: Response;
    try {
      response = await fetch(request);
    } catch {
      res.writeHead(500).end();
      return;
    }
    const lines: string[] = [];
    for (const [name, value] of response.headers) {
      if (name !== "set-cookie") lines.push(name, value);
    }
    for (const cookie of response.headers.getSetCookie()) lines.push("set-cookie", cookie);
    // A body left unread (a 413) would be parsed as the next request of a kept-alive connection.
    if (!req.complete) lines.push("connection", "close");
    res.writeHead(response.status, lines);
    if (!response.body) {
      res.end();
      return;
    }
    const reader = response.body.getReader();
    res.once("close", () => void reader.cancel().catch(() => {}));
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done || res.destroyed) break;
      if (!res.write(value)) await once(res, "drain").catch(() => {});
    }
    res.end();
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      const closed = once(server, "close");
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
