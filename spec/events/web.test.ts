// fetchHandler over real HTTP on 127.0.0.1 (Node http adapter): routing, validation, bodies, errors, cookies, streaming, the access log.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as v from "valibot";
import { webRequest, webResponse } from "../../lib/events/web.js";
import { fetchHandler } from "../../lib/fetch/index.js";
import { createApi, getLogger, HTTPException, Response } from "../../lib/index.js";
import { StreamingResponse } from "../../lib/streaming/index.js";
import { type FetchServer, serveFetch } from "../helpers/fetch-server.js";
import { captureLogs } from "../helpers/log.js";

/** An async iterable the test feeds one chunk at a time. */
function channel() {
  const queue: string[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  return {
    push(value: string) {
      queue.push(value);
      wake?.();
    },
    end() {
      ended = true;
      wake?.();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (queue.length > 0) yield queue.shift()!;
        if (ended) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };
}

/** Resolves once `check` holds, checking after each turn of the event loop. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

describe("fetchHandler over HTTP", { timeout: 20_000 }, () => {
  const logs = captureLogs();
  let stream = channel();
  let streamSignal: AbortSignal | undefined;
  const api = createApi({ logger: logs.logger })
    .get(
      "/items/{id}",
      ({ params, query, headers, cookies, request }) => ({
        id: params.id,
        tags: query.tag,
        agent: headers["x-agent"],
        cookies,
        kind: request.kind,
        source: request.source,
        event: request.event instanceof Request,
      }),
      { query: v.object({ tag: v.array(v.string()) }) },
    )
    .post("/items", ({ body }) => ({ created: body.name }), {
      body: v.object({ name: v.pipe(v.string(), v.minLength(1)) }),
      status: 201,
    })
    .put(
      "/echo",
      ({ request }) => new Response(request.bytes(), { mediaType: "application/octet-stream" }),
    )
    .get("/cookies", ({ response }) => {
      response.setCookie("a", "1", { path: "/" });
      response.setCookie("b", "2", { httpOnly: true });
      return null;
    })
    .get("/teapot", () => {
      throw new HTTPException(418, "Short and stout", { headers: { "x-why": "tea" } });
    })
    .get("/boom", () => {
      throw new Error("boom");
    })
    .get("/slow", ({ signal }) => new Promise((r) => signal.addEventListener("abort", r)), {
      timeoutMs: 30,
    })
    .get("/stream", ({ signal }) => {
      streamSignal = signal;
      getLogger().streamed = true;
      return new StreamingResponse(stream, { mediaType: "text/event-stream" });
    });
  let server: FetchServer;
  const url = (path: string) => `${server.url}${path}`;

  before(async () => {
    server = await serveFetch(fetchHandler(api, { maxBodyBytes: 1024 }));
  });
  after(async () => {
    await server.close();
  });

  it("routes a GET with path, repeated query, headers and cookies; the route sees kind web", async () => {
    logs.clear();
    const res = await fetch(url("/items/a%20b?tag=x&tag=y"), {
      headers: { "x-agent": "t/1", cookie: "s=1; t=2" },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json");
    assert.deepEqual(await res.json(), {
      id: "a b",
      tags: ["x", "y"],
      agent: "t/1",
      cookies: { s: "1", t: "2" },
      kind: "web",
      source: "http",
      event: true,
    });
    const line = logs.one();
    assert.equal(line.method, "GET");
    assert.equal(line.path, "/items/a%20b");
    assert.equal(line.status_code, 200);
    assert.equal(line.route, "/items/{id}");
    // No Lambda context: no function name, and an id made up for the request.
    assert.equal(line.function_name, undefined);
    assert.equal(res.headers.get("x-request-id"), line.id);
  });

  const bodies: [string, RequestInit, number, unknown][] = [
    [
      "a valid JSON body",
      { body: '{"name":"Foo"}', headers: { "content-type": "application/json" } },
      201,
      { created: "Foo" },
    ],
    [
      "a body failing its schema",
      { body: '{"name":""}', headers: { "content-type": "application/json" } },
      422,
      {
        detail: [
          {
            loc: ["body", "name"],
            msg: "Invalid length: Expected >=1 but received 0",
            type: "min_length",
          },
        ],
      },
    ],
    [
      "malformed JSON",
      { body: "{", headers: { "content-type": "application/json" } },
      400,
      { detail: "Malformed JSON body" },
    ],
    [
      "a body over maxBodyBytes",
      { body: "x".repeat(1025), headers: { "content-type": "application/json" } },
      413,
      { detail: "Request body is over 1024 bytes" },
    ],
  ];
  for (const [what, init, status, json] of bodies) {
    it(`answers POST with ${what} with ${status}`, async () => {
      const res = await fetch(url("/items"), { method: "POST", ...init });
      assert.equal(res.status, status);
      assert.deepEqual(await res.json(), json);
    });
  }

  it("refuses a chunked body with no length once it passes maxBodyBytes", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(800));
        controller.enqueue(new Uint8Array(800));
        controller.close();
      },
    });
    const res = await fetch(url("/items"), {
      method: "POST",
      body,
      duplex: "half",
    } as RequestInit);
    assert.equal(res.status, 413);
  });

  it("keeps a body's exact bytes, non-UTF-8 and a leading BOM included", async () => {
    for (const bytes of [
      Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41]),
      Buffer.from([0xef, 0xbb, 0xbf, 0x68, 0x69]),
    ]) {
      const res = await fetch(url("/echo"), { method: "PUT", body: bytes });
      assert.equal(res.status, 200);
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
    }
  });

  const routing: [string, string, number, string | null, Record<string, string>][] = [
    ["GET", "/nope", 404, '{"detail":"Not Found"}', {}],
    ["DELETE", "/items", 405, `{"detail":"Method Not Allowed"}`, { allow: "OPTIONS, POST" }],
    ["OPTIONS", "/items", 204, "", { allow: "OPTIONS, POST" }],
    ["HEAD", "/cookies", 204, "", {}],
    ["GET", "/teapot", 418, '{"detail":"Short and stout"}', { "x-why": "tea" }],
    ["GET", "/boom", 500, '{"detail":"Internal Server Error"}', {}],
    ["GET", "/slow", 504, '{"detail":"Gateway Timeout"}', {}],
  ];
  for (const [method, path, status, body, headers] of routing) {
    it(`answers ${method} ${path} with ${status}`, async () => {
      const res = await fetch(url(path), { method });
      assert.equal(res.status, status);
      assert.equal(await res.text(), body ?? "");
      for (const [name, value] of Object.entries(headers)) {
        assert.equal(res.headers.get(name), value);
      }
    });
  }

  it("logs an uncaught error at critical with its stack, and answers 500", async () => {
    logs.clear();
    await (await fetch(url("/boom"))).text();
    const line = logs.one();
    assert.equal(line.level, "CRITICAL");
    assert.match(String(line.error_detail), /^Error: boom/);
  });

  it("sends every Set-Cookie line apart", async () => {
    const res = await fetch(url("/cookies"));
    assert.equal(res.status, 204);
    assert.deepEqual(res.headers.getSetCookie(), ["a=1; Path=/", "b=2; HttpOnly"]);
  });

  it("streams a StreamingResponse: each chunk reaches the client before the next is made", async () => {
    logs.clear();
    stream = channel();
    stream.push("data: 1\n\n");
    const res = await fetch(url("/stream"));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/event-stream");
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    assert.equal(decoder.decode((await reader.read()).value), "data: 1\n\n");
    // The route's stream is still open: no log line yet.
    assert.equal(logs.lines.length, 0);
    stream.push("data: 2\n\n");
    assert.equal(decoder.decode((await reader.read()).value), "data: 2\n\n");
    stream.end();
    assert.equal((await reader.read()).done, true);
    await until(() => logs.lines.length === 1);
    const line = logs.one();
    assert.equal(line.bytes_sent, 18);
    assert.equal(line.streamed, true);
    assert.equal(line.level, "INFO");
  });

  it("aborts the route's signal when the client goes away mid-stream", async () => {
    logs.clear();
    stream = channel();
    stream.push("first");
    const client = new AbortController();
    const res = await fetch(url("/stream"), { signal: client.signal });
    const reader = res.body!.getReader();
    assert.equal(new TextDecoder().decode((await reader.read()).value), "first");
    client.abort();
    await until(() => streamSignal?.aborted === true);
    assert.equal((streamSignal!.reason as Error).name, "ClientGoneError");
    await until(() => logs.lines.length === 1);
    const line = logs.one();
    assert.equal(line.level, "WARN");
    assert.equal(line.error_detail, "The client went away after 5 bytes of the response");
  });
});

describe("fetchHandler called directly", () => {
  it("is a plain function, so `export default { fetch: fetchHandler(api) }` works", async () => {
    const api = createApi({ accessLog: false }).get("/", () => "hi");
    const entry = { fetch: fetchHandler(api) };
    const { fetch: bare } = entry;
    const res = await bare(new Request("http://x/"));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '"hi"');
  });
});

describe("webRequest and webResponse", () => {
  it("reads a UTF-8 body as text and other bytes as base64", async () => {
    const text = await webRequest(new Request("http://x/a?b=1", { method: "POST", body: "é" }), 10);
    assert.equal(text?.body, "é");
    assert.equal(text?.isBase64Encoded, false);
    const bytes = await webRequest(
      new Request("http://x/", { method: "POST", body: new Uint8Array([0xff]) }),
      10,
    );
    assert.equal(bytes?.body, "/w==");
    assert.equal(bytes?.isBase64Encoded, true);
    assert.equal(
      await webRequest(new Request("http://x/", { method: "POST", body: "12345" }), 4),
      undefined,
    );
  });

  it("sends no body for the statuses that forbid one", async () => {
    const res = webResponse({ status: 304, headers: { etag: '"1"' }, body: "x" });
    assert.equal(res.status, 304);
    assert.equal(res.body, null);
    assert.equal(res.headers.get("etag"), '"1"');
  });
});
