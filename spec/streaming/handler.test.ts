// Response streaming: streamingHandler's prelude and chunks, errors before and after the first byte, the log line, deadlines, clients leaving, and collection under api.handler.

import assert from "node:assert/strict";
import { PassThrough, Readable } from "node:stream";
import { after, afterEach, describe, it } from "node:test";
import { batchHandler } from "../../lib/batch/index.js";
import { createApi, getLogger, HTTPException, UnsupportedEventError } from "../../lib/index.js";
import { PRELUDE_CONTENT_TYPE } from "../../lib/streaming/lambda.js";
import {
  type ResponseStream,
  StreamingResponse,
  streamingHandler,
} from "../../lib/streaming/index.js";
import { sqsEvent } from "../helpers/batch.js";
import { fakeContext, fixture, type Json } from "../helpers/fixtures.js";
import { captureLogs } from "../helpers/log.js";

/** A Function URL request for `path` (function-url/go-real-get-root.json). */
function urlEvent(path: string, method = "GET"): Json {
  const event = fixture("function-url", "go-real-get-root");
  event.rawPath = path;
  const http = (event.requestContext as Json).http as Json;
  http.path = path;
  http.method = method;
  // Without the gateway's request id, the invocation's is the answer's x-request-id.
  delete (event.requestContext as Json).requestId;
  return event;
}

/** A response stream that keeps what it receives, like the runtime's (with setContentType). */
function sink() {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  let contentType: string | undefined;
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  Object.assign(stream, { setContentType: (type: string) => void (contentType = type) });
  const all = () => Buffer.concat(chunks);
  const split = () => {
    const bytes = all();
    const at = bytes.indexOf(Buffer.alloc(8));
    assert.notEqual(at, -1, `no 8-NUL delimiter in ${JSON.stringify(bytes.toString())}`);
    return {
      prelude: JSON.parse(bytes.subarray(0, at).toString()) as Json,
      body: bytes.subarray(at + 8),
    };
  };
  return {
    stream: stream as unknown as ResponseStream & PassThrough,
    contentType: () => contentType,
    prelude: () => split().prelude,
    body: () => split().body.toString(),
    received: () => all().length,
    text: () => all().toString(),
  };
}

/** An async iterable the test feeds one value at a time. */
function channel() {
  const queue: unknown[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  let closed = false;
  return {
    push(value: unknown) {
      queue.push(value);
      wake?.();
    },
    end() {
      ended = true;
      wake?.();
    },
    /** Whether the consumer closed the source (return() ran its finally). */
    closed: () => closed,
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          while (queue.length > 0) {
            const next = queue.shift();
            if (next instanceof Error) throw next;
            yield next as string;
          }
          if (ended) return;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
      } finally {
        closed = true;
      }
    },
  };
}

/** Resolves once `check` holds, checking after each turn of the event loop. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

describe("streamingHandler", { timeout: 20_000 }, () => {
  it("writes the Function URL prelude (status, headers, cookies), 8 NUL bytes, then each chunk as it comes", async () => {
    const logs = captureLogs();
    const source = channel();
    const api = createApi({ logger: logs.logger }).get("/", ({ response }) => {
      response.setCookie("a", "1");
      response.setCookie("b", "2");
      return new StreamingResponse(source, { status: 201, mediaType: "text/plain" });
    });
    const out = sink();
    const done = streamingHandler(api)(
      urlEvent("/"),
      out.stream,
      fakeContext({ awsRequestId: "r1" }),
    );
    source.push("one ");
    await until(() => out.received() > 0 && out.body() === "one ");
    assert.deepEqual(out.prelude(), {
      statusCode: 201,
      headers: { "content-type": "text/plain", "x-request-id": "r1" },
      cookies: ["a=1", "b=2"],
    });
    assert.equal(out.contentType(), PRELUDE_CONTENT_TYPE);
    // The route has not finished: no log line yet, and the second chunk is not written.
    assert.equal(logs.lines.length, 0);
    source.push("two");
    await until(() => out.body() === "one two");
    source.end();
    await done;
    assert.equal(out.stream.writableEnded, true);
    const line = logs.one();
    assert.equal(line.status_code, 201);
    assert.equal(line.bytes_sent, 7);
    assert.equal(line.level, "INFO");
  });

  it("writes the REST prelude with multiValueHeaders for repeated headers", async () => {
    const event = fixture("apigw-rest", "powertools-ts-real-no-auth");
    const api = createApi({ accessLog: false }).post("/no-auth", ({ response }) => {
      response.setCookie("a", "1");
      response.setCookie("b", "2");
      return new StreamingResponse(["x"], { headers: { "cache-control": "no-store" } });
    });
    const out = sink();
    await streamingHandler(api)(event, out.stream, fakeContext());
    const prelude = out.prelude();
    assert.equal(prelude.statusCode, 200);
    assert.deepEqual(prelude.multiValueHeaders, { "set-cookie": ["a=1", "b=2"] });
    assert.equal((prelude.headers as Json)["cache-control"], "no-store");
    assert.equal((prelude.headers as Json)["content-type"], "application/octet-stream");
    assert.equal(out.body(), "x");
  });

  it("answers a route that does not stream with its reply in one chunk after the prelude", async () => {
    const api = createApi({ accessLog: false }).get("/", () => ({ ok: true }));
    const out = sink();
    await streamingHandler(api)(urlEvent("/"), out.stream, fakeContext());
    assert.equal(out.prelude().statusCode, 200);
    assert.equal(out.body(), '{"ok":true}');
  });

  it("answers 404 for an unknown path with the prelude and the detail", async () => {
    const out = sink();
    await streamingHandler(createApi({ accessLog: false }))(urlEvent("/nope"), out.stream);
    assert.equal(out.prelude().statusCode, 404);
    assert.equal(out.body(), '{"detail":"Not Found"}');
  });

  const before: [string, () => unknown, number, string][] = [
    ["an HTTPException", () => new HTTPException(403, "No entry"), 403, '{"detail":"No entry"}'],
    ["a non-string chunk", () => 42, 500, '{"detail":"Internal Server Error"}'],
  ];
  for (const [what, make, status, body] of before) {
    it(`answers ${what} before the first byte as a normal ${status} answer`, async () => {
      const logs = captureLogs();
      const source = channel();
      const api = createApi({ logger: logs.logger, uncaughtErrors: "respond" }).get(
        "/",
        () => new StreamingResponse(source),
      );
      const out = sink();
      const done = streamingHandler(api)(urlEvent("/"), out.stream, fakeContext());
      source.push(make());
      await done;
      assert.equal(out.prelude().statusCode, status);
      assert.equal(out.body(), body);
      assert.equal(logs.one().status_code, status);
      assert.equal(source.closed(), true);
    });
  }

  it("rethrows an uncaught error before the first byte, so Lambda reports it", async () => {
    const source = channel();
    const api = createApi({ accessLog: false }).get("/", () => new StreamingResponse(source));
    const out = sink();
    const done = streamingHandler(api)(urlEvent("/"), out.stream, fakeContext());
    source.push(new Error("broken source"));
    await assert.rejects(done, /broken source/);
    assert.equal(out.received(), 0);
  });

  it("ends the stream after an error past the first byte and logs it with the bytes sent", async () => {
    const logs = captureLogs();
    const source = channel();
    const api = createApi({ logger: logs.logger }).get("/", () => new StreamingResponse(source));
    const out = sink();
    const done = streamingHandler(api)(urlEvent("/"), out.stream, fakeContext());
    source.push("partial");
    await until(() => out.received() > 0 && out.body() === "partial");
    source.push(new Error("lost the upstream"));
    await done;
    assert.equal(out.stream.writableEnded, true);
    assert.equal(out.prelude().statusCode, 200);
    assert.equal(out.body(), "partial");
    const line = logs.one();
    assert.equal(line.level, "ERROR");
    assert.equal(line.status_code, 200);
    assert.equal(line.bytes_sent, 7);
    assert.match(String(line.error_detail), /^Error: lost the upstream/);
  });

  it("keeps fields getLogger() adds while the stream runs", async () => {
    const logs = captureLogs();
    async function* counted() {
      yield "a";
      getLogger().rows = 2;
      yield "b";
    }
    const api = createApi({ logger: logs.logger }).get("/", () => new StreamingResponse(counted()));
    await streamingHandler(api)(urlEvent("/"), sink().stream, fakeContext());
    assert.equal(logs.one().rows, 2);
  });

  it("applies the route's timeout after the first byte: the signal aborts, the stream ends, the line says why", async () => {
    const logs = captureLogs();
    let seen: AbortSignal | undefined;
    async function* slow(signal: AbortSignal) {
      seen = signal;
      yield "first";
      await new Promise((resolve) => signal.addEventListener("abort", resolve));
      yield "never sent";
    }
    const api = createApi({ logger: logs.logger }).get(
      "/",
      ({ signal }) => new StreamingResponse(slow(signal)),
      { timeoutMs: 50 },
    );
    const out = sink();
    await streamingHandler(api)(urlEvent("/"), out.stream, fakeContext());
    assert.equal(out.body(), "first");
    assert.equal(seen?.aborted, true);
    const line = logs.one();
    assert.equal(line.error_detail, "Route exceeded its timeout of 50 ms");
    assert.equal(line.bytes_sent, 5);
  });

  it("answers 504 when the deadline passes before the first byte", async () => {
    async function* silent(signal: AbortSignal) {
      await new Promise((resolve) => signal.addEventListener("abort", resolve));
      yield "late";
    }
    const api = createApi({ accessLog: false }).get(
      "/",
      ({ signal }) => new StreamingResponse(silent(signal)),
      { timeoutMs: 30 },
    );
    const out = sink();
    await streamingHandler(api)(urlEvent("/"), out.stream, fakeContext());
    assert.equal(out.prelude().statusCode, 504);
    assert.equal(out.body(), '{"detail":"Gateway Timeout"}');
  });

  it("aborts the route's signal when the client goes away, and logs it at warn", async () => {
    const logs = captureLogs();
    const source = channel();
    let signal: AbortSignal | undefined;
    const api = createApi({ logger: logs.logger }).get("/", (input) => {
      signal = input.signal;
      return new StreamingResponse(source);
    });
    const out = sink();
    const done = streamingHandler(api)(urlEvent("/"), out.stream, fakeContext());
    source.push("hello");
    await until(() => out.received() > 0 && out.body() === "hello");
    out.stream.destroy();
    await done;
    assert.equal(signal?.aborted, true);
    assert.equal((signal!.reason as Error).name, "ClientGoneError");
    const line = logs.one();
    assert.equal(line.level, "WARN");
    assert.equal(line.error_detail, "The client went away after 5 bytes of the response");
  });

  it("sends no body for HEAD on a streaming GET route and closes the source", async () => {
    const source = channel();
    source.push("body");
    const api = createApi({ accessLog: false }).get("/", () => new StreamingResponse(source));
    const out = sink();
    await streamingHandler(api)(urlEvent("/", "HEAD"), out.stream, fakeContext());
    assert.equal(out.prelude().statusCode, 200);
    assert.equal(out.body(), "");
    await until(() => source.closed());
  });

  const batches: [kind: "sqs" | "sns" | "mq", name: string][] = [
    ["sqs", "powertools-py-two-records"],
    ["sns", "go-sns"],
    ["mq", "go-activemq"],
  ];
  for (const [kind, name] of batches) {
    it(`refuses the ${kind}/${name} batch, naming batchHandler, and writes nothing`, async () => {
      const calls: string[] = [];
      const api = createApi({ accessLog: false }).get("/{any+}", ({ request }) => {
        calls.push(request.path);
        return "ok";
      });
      const out = sink();
      await assert.rejects(
        streamingHandler(api)(fixture(kind, name), out.stream, fakeContext()),
        (error: unknown) =>
          error instanceof UnsupportedEventError &&
          error.message.startsWith("streamingHandler serves HTTP events") &&
          error.message.includes("batchHandler(api)") &&
          error.message.includes('"aio-lambda-api/batch"'),
      );
      assert.equal(out.received(), 0);
      assert.deepEqual(calls, []);
    });
  }
});

describe("StreamingResponse sources", { timeout: 20_000 }, () => {
  const sources: [string, () => StreamingResponse["source"]][] = [
    [
      "an async generator of strings",
      () =>
        (async function* () {
          yield "a";
          yield "bc";
        })(),
    ],
    ["an array of bytes and strings", () => [new Uint8Array([97]), "bc"]],
    [
      "a web ReadableStream",
      () =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("a"));
            controller.enqueue(new TextEncoder().encode("bc"));
            controller.close();
          },
        }),
    ],
    ["a Node Readable", () => Readable.from([Buffer.from("a"), Buffer.from("bc")])],
  ];
  for (const [what, make] of sources) {
    it(`streams ${what}`, async () => {
      const api = createApi({ accessLog: false }).get("/", () => new StreamingResponse(make()));
      const out = sink();
      await streamingHandler(api)(urlEvent("/"), out.stream, fakeContext());
      assert.equal(out.body(), "abc");
    });
  }
});

const SQS = "powertools-py-two-records";

describe("StreamingResponse under api.handler", { timeout: 20_000 }, () => {
  it("collects the chunks into one result: text as text, the log line with the bytes", async () => {
    const logs = captureLogs();
    const api = createApi({ logger: logs.logger }).get(
      "/",
      () => new StreamingResponse(["é", "!"], { mediaType: "text/plain; charset=utf-8" }),
    );
    const result = (await api.handler(urlEvent("/"), fakeContext())) as Json;
    assert.equal(result.statusCode, 200);
    assert.equal(result.body, "é!");
    assert.equal(result.isBase64Encoded, false);
    assert.equal(logs.one().bytes_sent, 3);
  });

  it("sends collected bytes base64-encoded", async () => {
    const api = createApi({ accessLog: false }).get(
      "/",
      () => new StreamingResponse([new Uint8Array([0xff, 0])]),
    );
    const result = (await api.handler(urlEvent("/"))) as Json;
    assert.equal(result.isBase64Encoded, true);
    assert.deepEqual(Buffer.from(result.body as string, "base64"), Buffer.from([0xff, 0]));
  });

  const failures: [string, unknown, number, string][] = [
    ["an Error", new Error("mid"), 500, '{"detail":"Internal Server Error"}'],
    ["an HTTPException", new HTTPException(409, "Changed"), 409, '{"detail":"Changed"}'],
  ];
  for (const [what, error, status, body] of failures) {
    it(`answers ${status} when ${what} ends the stream after its first chunk (nothing was sent yet)`, async () => {
      const logs = captureLogs();
      async function* failing() {
        yield "a";
        throw error;
      }
      const api = createApi({ logger: logs.logger }).get(
        "/",
        () => new StreamingResponse(failing()),
      );
      const result = (await api.handler(
        urlEvent("/"),
        fakeContext({ awsRequestId: "r2" }),
      )) as Json;
      assert.equal(result.statusCode, status);
      assert.equal(result.body, body);
      assert.equal((result.headers as Json)["x-request-id"], "r2");
      const line = logs.one();
      assert.equal(line.status_code, status);
      assert.equal(line.bytes_sent, 1);
    });
  }

  it("answers 500 for a stream over Lambda's 6 MB limit, and stops reading it", async () => {
    const logs = captureLogs();
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled += 1;
        yield new Uint8Array(1024 * 1024);
      }
    }
    const api = createApi({ logger: logs.logger }).get("/", () => new StreamingResponse(endless()));
    const result = (await api.handler(urlEvent("/"), fakeContext())) as Json;
    assert.equal(result.statusCode, 500);
    assert.equal(pulled, 7);
    assert.match(String(logs.one().error_detail), /over Lambda's 6 MB response payload limit/);
  });

  it("reads a streamed answer of an SQS record to its end and reports its status", async () => {
    const logs = captureLogs();
    async function* failing() {
      yield "a";
      throw new Error("mid-record");
    }
    const api = createApi({ logger: logs.logger }).post(
      "/no-auth",
      () => new StreamingResponse(failing()),
    );
    const event = sqsEvent(SQS, [
      JSON.stringify(fixture("apigw-rest", "powertools-ts-real-no-auth")),
    ]);
    const result = (await batchHandler(api)(event, fakeContext())) as {
      batchItemFailures: unknown[];
    };
    assert.equal(result.batchItemFailures.length, 1);
    assert.equal(logs.one().status_code, 500);
  });
});

describe("streamingHandler in Lambda's runtime", () => {
  const runtime = globalThis as { awslambda?: unknown };
  afterEach(() => {
    delete runtime.awslambda;
  });
  after(() => {
    delete runtime.awslambda;
  });

  it("is wrapped by awslambda.streamifyResponse and writes through HttpResponseStream.from", async () => {
    const marked = Symbol("streaming");
    const preludes: unknown[] = [];
    runtime.awslambda = {
      streamifyResponse: (handler: Record<symbol, unknown>) => {
        handler[marked] = true;
        return handler;
      },
      HttpResponseStream: {
        from(stream: PassThrough, prelude: unknown) {
          preludes.push(prelude);
          stream.write("[prelude]");
          return stream;
        },
      },
    };
    const api = createApi({ accessLog: false }).get("/", () => new StreamingResponse(["body"]));
    const handler = streamingHandler(api);
    assert.equal((handler as unknown as Record<symbol, unknown>)[marked], true);
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (chunk: Buffer) => chunks.push(chunk));
    await handler(
      urlEvent("/"),
      out as unknown as ResponseStream,
      fakeContext({ awsRequestId: "r3" }),
    );
    assert.deepEqual(preludes, [
      {
        statusCode: 200,
        headers: { "content-type": "application/octet-stream", "x-request-id": "r3" },
      },
    ]);
    assert.equal(Buffer.concat(chunks).toString(), "[prelude]body");
  });
});
