// The dev server serving streaming handlers over real HTTP on 127.0.0.1: chunks as they come, the prelude as status and headers, failures as Lambda has them.

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { EventFormat } from "../../lib/events/synthetic.js";
import type { DevServer } from "../../lib/cli/dev.js";
import { startDevServer } from "../../lib/cli/dev.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const LIB = JSON.stringify(path.join(ROOT, "lib/index.ts"));
const STREAMING_LIB = JSON.stringify(path.join(ROOT, "lib/streaming/index.ts"));

/** What the apps share with the tests: they run in this process, so through globalThis. */
interface Shared {
  /** Resolves the route's wait before its second chunk, by the request's `key`. */
  release: Map<string, () => void>;
  /** Keys whose route saw its signal abort. */
  aborted: Set<string>;
  /** Whether the plain app's handler carries the runtime's streaming mark. */
  plainMarked?: unknown;
}
const shared: Shared = { release: new Map(), aborted: new Set() };
(globalThis as { devStreamTest?: Shared }).devStreamTest = shared;

// The app: the library's streaming handler, and handlers written against the runtime's global.
const APP = `
import { createApi } from ${LIB};
import { streamingHandler, StreamingResponse } from ${STREAMING_LIB};
const shared = globalThis.devStreamTest;

function gate(key) {
  return new Promise((resolve) => shared.release.set(key, resolve));
}

async function* twoParts(key) {
  const second = gate(key);
  yield "first\\n";
  await second;
  yield "second\\n";
}

async function* untilAborted(key, signal) {
  yield "first\\n";
  await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
  shared.aborted.add(key);
}

async function* failsAfterFirst() {
  yield "first\\n";
  throw new Error("the source broke");
}

export const api = createApi({ uncaughtErrors: "throw" })
  .get("/two", ({ query, response }) => {
    response.setCookie("a", "1", { path: "/" });
    response.setCookie("b", "2", { httpOnly: true });
    response.headers["x-route"] = "set";
    return new StreamingResponse(twoParts(query.key), {
      status: 201,
      mediaType: "text/plain",
      headers: { "x-stream": "yes" },
    });
  })
  .get("/forever", ({ query, signal }) =>
    new StreamingResponse(untilAborted(query.key, signal), { mediaType: "text/plain" }), { timeoutMs: 600_000 })
  .get("/breaks", () => new StreamingResponse(failsAfterFirst(), { mediaType: "text/plain" }))
  .get("/boom", () => {
    throw new Error("boom before the first chunk");
  });

export const streaming = streamingHandler(api);
export const handler = api.handler;

// Written as AWS's examples do, against the global the runtime defines.
export const raw = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream.setContentType("text/csv");
  responseStream.write("a,b\\n");
  responseStream.write("1,2\\n");
  responseStream.end();
});

export const withPrelude = awslambda.streamifyResponse(async (event, responseStream) => {
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 418,
    headers: { "content-type": "text/plain", "x-teapot": "short" },
    cookies: ["tea=green; Path=/"],
  });
  stream.write("I am a teapot");
  stream.end();
});

export const badPrelude = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream.setContentType("application/vnd.awslambda.http-integration-response");
  responseStream.write("not json");
  responseStream.write(new Uint8Array(8));
  responseStream.end("body");
});

export const unfinished = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream.write("started");
});

export const failsLate = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream.write("first\\n");
  throw new Error("failed after the first chunk");
});

export const stalls = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream.write("first\\n");
  await new Promise(() => {});
});

export const unfinishedEmpty = awslambda.streamifyResponse(async () => {});

export const notAsync = awslambda.streamifyResponse((event, responseStream) => "not a promise");
`;

// The library's streaming handler made while the global is missing: a plain function.
const PLAIN_APP = `
import { createApi } from ${LIB};
import { streamingHandler, StreamingResponse } from ${STREAMING_LIB};
const saved = globalThis.awslambda;
delete globalThis.awslambda;
export const api = createApi().get("/", () =>
  new StreamingResponse(["plain ", "chunks"], { mediaType: "text/plain" }));
export const handler = streamingHandler(api);
globalThis.devStreamTest.plainMarked = handler[Symbol.for("aws.lambda.runtime.handler.streaming")];
globalThis.awslambda = saved;
`;

let dir: string;
const servers: DevServer[] = [];
const logs: string[] = [];

async function serve(
  handler: string,
  eventFormat: EventFormat = "v2",
  entry = "app.ts",
  timeoutMs = 30_000,
): Promise<DevServer> {
  const server = await startDevServer({
    entry: path.join(dir, entry),
    port: 0,
    handler,
    eventFormat,
    timeoutMs,
    watch: false,
    log: (text) => logs.push(text),
  }).catch((error: unknown) => {
    // esbuild's messages or the app's stack, for a failure that says why.
    throw new Error(`${String(error)}\n${(error as { details?: string }).details ?? ""}`);
  });
  servers.push(server);
  return server;
}

/** The next chunk of the body, or a failure naming what was awaited if none comes. */
async function nextChunk(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  what: string,
): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  // A guard against a dev server that holds chunks back: the route waits for the test, so a
  // buffered answer would never come.
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no chunk arrived: ${what}`)), 20_000);
  });
  try {
    const { value, done } = await Promise.race([reader.read(), stuck]);
    assert.equal(done, false, `the body ended instead: ${what}`);
    return new TextDecoder().decode(value);
  } finally {
    clearTimeout(timer);
  }
}

async function rest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return text;
    text += new TextDecoder().decode(value);
  }
}

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "aio-dev-stream-"));
  await writeFile(path.join(dir, "app.ts"), APP);
  await writeFile(path.join(dir, "plain.ts"), PLAIN_APP);
});

/** Closes the servers started so far: each suite's own, so the awslambda global goes with them. */
async function closeServers(): Promise<void> {
  for (const server of servers.splice(0)) await server.close();
}

after(async () => {
  await closeServers();
  await rm(dir, { recursive: true, force: true });
});

describe("dev server with the library's streaming handler", () => {
  after(closeServers);

  let v2: DevServer;
  let v1: DevServer;

  before(async () => {
    v2 = await serve("streaming", "v2");
    v1 = await serve("streaming", "v1");
  });

  it("sends the first chunk before the stream ends, and the prelude's status, headers and cookies (v2)", async () => {
    const response = await fetch(`${v2.url}/two?key=v2`);
    assert.equal(response.status, 201);
    assert.equal(response.headers.get("transfer-encoding"), "chunked");
    assert.equal(response.headers.get("content-length"), null);
    assert.equal(response.headers.get("content-type"), "text/plain");
    assert.equal(response.headers.get("x-stream"), "yes");
    assert.equal(response.headers.get("x-route"), "set");
    assert.deepEqual(response.headers.getSetCookie(), ["a=1; Path=/", "b=2; HttpOnly"]);
    const reader = response.body!.getReader();
    assert.equal(await nextChunk(reader, "the route's first chunk"), "first\n");
    // The route is still waiting: only now may it make its second chunk and end.
    shared.release.get("v2")!();
    assert.equal(await rest(reader), "second\n");
    assert.ok(
      logs.some((line) => /^GET \/two\?key=v2 201 \d+\.\d ms\n$/.test(line)),
      `no request line in:\n${logs.join("")}`,
    );
  });

  it("sends the first chunk before the stream ends, and the prelude's status, headers and cookies (v1)", async () => {
    const response = await fetch(`${v1.url}/two?key=v1`);
    assert.equal(response.status, 201);
    assert.equal(response.headers.get("transfer-encoding"), "chunked");
    assert.equal(response.headers.get("x-stream"), "yes");
    assert.deepEqual(response.headers.getSetCookie(), ["a=1; Path=/", "b=2; HttpOnly"]);
    const reader = response.body!.getReader();
    assert.equal(await nextChunk(reader, "the route's first chunk"), "first\n");
    shared.release.get("v1")!();
    assert.equal(await rest(reader), "second\n");
  });

  it("answers the app's non-streamed answers through the stream too", async () => {
    const response = await fetch(`${v2.url}/nowhere`);
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { detail: "Not Found" });
  });

  it("answers 502 and prints the error when the handler throws before anything is sent", async () => {
    const response = await fetch(`${v2.url}/boom`);
    assert.equal(response.status, 502);
    assert.deepEqual(await response.json(), { message: "Internal server error" });
    assert.ok(
      logs.some((line) =>
        / Invoke Error \(GET \/boom\): Error: boom before the first chunk\n/.test(line),
      ),
      `no Invoke Error line in:\n${logs.join("")}`,
    );
  });

  it("ends the body where it stopped when the source fails after the first chunk", async () => {
    const response = await fetch(`${v2.url}/breaks`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "first\n");
  });

  it("aborts the route's signal when the client goes away", async () => {
    const client = new AbortController();
    const response = await fetch(`${v2.url}/forever?key=gone`, { signal: client.signal });
    const reader = response.body!.getReader();
    assert.equal(await nextChunk(reader, "the route's first chunk"), "first\n");
    client.abort();
    await until("the route's signal to abort", () =>
      shared.aborted.has("gone") ? true : undefined,
    );
    await until("the request line", () =>
      logs.find((line) =>
        /^GET \/forever\?key=gone 200 \d+\.\d ms \(the client went away\)\n$/.test(line),
      ),
    );
  });
});

describe("dev server with handlers of the runtime's awslambda global", () => {
  after(closeServers);

  it("sends a stream without a prelude as a 200 of its content type, chunked", async () => {
    const server = await serve("raw");
    const response = await fetch(`${server.url}/`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/csv");
    assert.equal(response.headers.get("transfer-encoding"), "chunked");
    assert.equal(await response.text(), "a,b\n1,2\n");
  });

  it("sends the status, headers and cookies of awslambda.HttpResponseStream.from", async () => {
    const server = await serve("withPrelude");
    const response = await fetch(`${server.url}/`);
    assert.equal(response.status, 418);
    assert.equal(response.headers.get("x-teapot"), "short");
    assert.deepEqual(response.headers.getSetCookie(), ["tea=green; Path=/"]);
    assert.equal(await response.text(), "I am a teapot");
  });

  for (const [handler, error] of [
    [
      "badPrelude",
      'MalformedResultError: the response stream\'s prelude must be JSON, got "not json"',
    ],
    ["unfinishedEmpty", "Error: Response stream is not finished."],
    ["notAsync", "Error: Streaming does not support non-async handlers."],
  ] as const) {
    it(`answers 502 and prints "${error}" for ${handler}`, async () => {
      const server = await serve(handler);
      const response = await fetch(`${server.url}/${handler}`);
      assert.equal(response.status, 502);
      assert.deepEqual(await response.json(), { message: "Internal server error" });
      const line = logs.find((text) => text.includes(`Invoke Error (GET /${handler}): `));
      assert.ok(line?.includes(error), `expected ${error} in:\n${logs.join("")}`);
    });
  }

  it("cuts the body short and prints the error when the handler fails after its first chunk", async () => {
    const server = await serve("failsLate");
    const response = await fetch(`${server.url}/late`);
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    assert.equal(await nextChunk(reader, "the handler's first chunk"), "first\n");
    await assert.rejects(rest(reader));
    assert.ok(
      logs.some((line) =>
        / Invoke Error \(GET \/late\): Error: failed after the first chunk\n/.test(line),
      ),
      `no Invoke Error line in:\n${logs.join("")}`,
    );
    assert.ok(logs.some((line) => /^GET \/late 200 \d+\.\d ms \(cut short\)\n$/.test(line)));
  });

  it("cuts the body short when the handler settles without ending a stream it started", async () => {
    const server = await serve("unfinished");
    const response = await fetch(`${server.url}/`);
    assert.equal(response.status, 200);
    await assert.rejects(response.text());
    assert.ok(logs.some((line) => /^GET \/ 200 \d+\.\d ms \(cut short\)\n$/.test(line)));
  });
});

describe("dev server streaming limits", () => {
  after(closeServers);

  it("cuts the stream short at the function timeout, as Lambda stops the function", async () => {
    const server = await serve("stalls", "v2", "app.ts", 300);
    const response = await fetch(`${server.url}/forever?key=timeout`);
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    assert.equal(await nextChunk(reader, "the route's first chunk"), "first\n");
    await assert.rejects(rest(reader));
    assert.ok(
      logs.some((line) =>
        / Task timed out after 0\.30 seconds \(GET \/forever\?key=timeout\)\n$/.test(line),
      ),
      `no timeout line in:\n${logs.join("")}`,
    );
  });

  for (const format of ["alb", "lattice"] as const) {
    it(`answers 502 with ${format} events, which cannot carry a streamed response`, async () => {
      const server = await serve("streaming", format);
      const response = await fetch(`${server.url}/two?key=${format}`);
      assert.equal(response.status, 502);
      assert.deepEqual(await response.json(), { message: "Internal server error" });
      assert.ok(
        logs.some((line) =>
          line.startsWith(
            `Cannot serve GET /two?key=${format}: the handler streams its response, and ${format === "alb" ? "an ALB" : "VPC Lattice"} cannot use a streamed response; expected --event-format v2`,
          ),
        ),
        `no refusal in:\n${logs.join("")}`,
      );
    });
  }
});

describe("dev server with a plain streaming handler", () => {
  after(closeServers);

  it("serves the library's streaming handler made where the awslambda global was missing", async () => {
    const server = await serve("handler", "v2", "plain.ts");
    // Without the global, the library marks the plain function as the runtime would.
    assert.equal(shared.plainMarked, "response");
    const response = await fetch(`${server.url}/`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("transfer-encoding"), "chunked");
    assert.equal(await response.text(), "plain chunks");
  });
});
