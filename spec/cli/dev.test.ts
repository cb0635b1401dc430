// The dev server over real HTTP on 127.0.0.1: events of each kind, results back to HTTP, limits and reloads.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { EventFormat } from "../../lib/events/synthetic.js";
import type { DevServer } from "../../lib/cli/dev.js";
import { MAX_BODY_BYTES, startDevServer } from "../../lib/cli/dev.js";
import { LoadError } from "../../lib/cli/dev-loader.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

// A handler that shows what it got: the event and context as JSON, bytes echoed, cookies set.
const ECHO_APP = `
const pathOf = (event) => event.rawPath ?? event.path;
export const handler = async (event, context) => {
  const path = pathOf(event);
  if (path === "/throw") throw new Error("kaput");
  if (path === "/hang") return new Promise(() => {});
  if (path === "/malformed") return { body: "no status" };
  if (path === "/bytes") {
    const body = event.isBase64Encoded ? event.body : Buffer.from(event.body ?? "").toString("base64");
    return { statusCode: 200, headers: { "content-type": "application/octet-stream" }, body, isBase64Encoded: true };
  }
  if (path === "/cookies") {
    return event.version === "2.0"
      ? { statusCode: 200, cookies: ["a=1; Path=/", "b=2; HttpOnly"], body: "ok" }
      : { statusCode: 200, multiValueHeaders: { "Set-Cookie": ["a=1; Path=/", "b=2; HttpOnly"] }, headers: { "X-One": "1" }, body: "ok" };
  }
  const remaining = context.getRemainingTimeInMillis();
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ event, context: { ...context, remaining } }),
  };
};
`;

interface Echo {
  event: Record<string, unknown> & {
    headers?: Record<string, string>;
    multiValueHeaders?: Record<string, string[]>;
    queryStringParameters?: Record<string, string> | null;
    multiValueQueryStringParameters?: Record<string, string[]> | null;
    cookies?: string[];
    body?: string | null;
    isBase64Encoded: boolean;
  };
  context: Record<string, unknown> & {
    remaining: number;
    awsRequestId: string;
    logStreamName: string;
  };
}

async function echo(url: string, init?: RequestInit): Promise<Echo> {
  const response = await fetch(url, init);
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as Echo;
}

/** A request through node:http, which sends an array value as repeated header lines (fetch joins them). */
function rawGet(url: string, headers: Record<string, string | string[]>): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer from ${url} in 10 s`)));
    req.on("error", reject);
    req.end();
  });
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("dev server", () => {
  let dir: string;
  const servers: Partial<Record<EventFormat, DevServer>> = {};
  const logs: string[] = [];

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "aio-dev-"));
    await writeFile(path.join(dir, "echo.ts"), ECHO_APP);
    for (const format of ["v1", "v2", "alb"] as const) {
      servers[format] = await startDevServer({
        entry: path.join(dir, "echo.ts"),
        port: 0,
        eventFormat: format,
        timeoutMs: 30_000,
        watch: false,
        log: (text) => logs.push(text),
      });
    }
  });

  after(async () => {
    for (const server of Object.values(servers)) await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const url = (format: EventFormat, target: string) => `${servers[format]!.url}${target}`;

  it("listens on 127.0.0.1 and prints one line per request with method, path, status and ms", async () => {
    assert.match(servers.v2!.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    await echo(url("v2", "/logged?x=1"));
    assert.ok(
      logs.some((line) => /^GET \/logged\?x=1 200 \d+\.\d ms\n$/.test(line)),
      `no request line in:\n${logs.join("")}`,
    );
  });

  describe("v1 (API Gateway REST, payload 1.0)", () => {
    it("keeps repeated query keys in multiValueQueryStringParameters and the last in queryStringParameters", async () => {
      const { event } = await echo(url("v1", "/items/a%20b?tag=x&tag=y%20z&one=1"));
      assert.equal(event.httpMethod, "GET");
      assert.equal(event.path, "/items/a%20b");
      assert.equal(event.resource, "/{proxy+}");
      assert.deepEqual(event.pathParameters, { proxy: "items/a%20b" });
      assert.deepEqual(event.multiValueQueryStringParameters, { tag: ["x", "y z"], one: ["1"] });
      assert.deepEqual(event.queryStringParameters, { tag: "y z", one: "1" });
      assert.equal(event.body, null);
      assert.equal(event.isBase64Encoded, false);
    });

    it("sends null query maps when there is no query", async () => {
      const { event } = await echo(url("v1", "/"));
      assert.equal(event.resource, "/");
      assert.equal(event.queryStringParameters, null);
      assert.equal(event.multiValueQueryStringParameters, null);
      assert.equal(event.pathParameters, null);
    });

    it("keeps the client's header case and every value of a repeated header", async () => {
      const { event } = JSON.parse(
        await rawGet(url("v1", "/"), { "X-Rep": ["1", "2"], Cookie: "a=1; b=2" }),
      ) as Echo;
      assert.deepEqual(event.multiValueHeaders?.["X-Rep"], ["1", "2"]);
      assert.equal(event.headers?.["X-Rep"], "2");
      assert.equal(event.headers?.Cookie, "a=1; b=2");
      assert.equal(event.headers?.["X-Forwarded-Proto"], "http");
      assert.equal(event.headers?.["X-Forwarded-For"], "127.0.0.1");
      assert.match(event.headers?.["X-Amzn-Trace-Id"] ?? "", /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    });

    it("sends Set-Cookie lines from multiValueHeaders and the other headers beside them", async () => {
      const response = await fetch(url("v1", "/cookies"));
      assert.deepEqual(response.headers.getSetCookie(), ["a=1; Path=/", "b=2; HttpOnly"]);
      assert.equal(response.headers.get("x-one"), "1");
      assert.equal(await response.text(), "ok");
    });

    it("answers 502 like API Gateway when the result has no statusCode", async () => {
      const response = await fetch(url("v1", "/malformed"));
      assert.equal(response.status, 502);
      assert.deepEqual(await response.json(), { message: "Internal server error" });
    });
  });

  describe("v2 (HTTP API, payload 2.0)", () => {
    it("decodes rawPath once, passes rawQueryString as sent and joins repeated query values with commas", async () => {
      const { event } = await echo(url("v2", "/items/a%20b?tag=x&tag=y%20z&one=1"));
      assert.equal(event.version, "2.0");
      assert.equal(event.routeKey, "$default");
      // HTTP APIs decode the path before Lambda sees it.
      assert.equal(event.rawPath, "/items/a b");
      assert.equal(event.rawQueryString, "tag=x&tag=y%20z&one=1");
      assert.deepEqual(event.queryStringParameters, { tag: "x,y z", one: "1" });
      const http = (event.requestContext as { http: Record<string, string> }).http;
      assert.deepEqual(
        { method: http.method, path: http.path, sourceIp: http.sourceIp },
        { method: "GET", path: "/items/a b", sourceIp: "127.0.0.1" },
      );
      assert.equal("body" in event, false);
      assert.equal("cookies" in event, false);
    });

    it("joins a repeated header with commas and moves cookies to the cookies array", async () => {
      const { event } = JSON.parse(
        await rawGet(url("v2", "/"), { "X-Rep": ["1", "2"], Cookie: ["a=1; b=2", "c=3"] }),
      ) as Echo;
      assert.equal(event.headers?.["x-rep"], "1,2");
      assert.deepEqual(event.cookies, ["a=1", "b=2", "c=3"]);
      assert.equal(event.headers?.cookie, undefined);
    });

    it("sends each of the result's cookies as a Set-Cookie line", async () => {
      const response = await fetch(url("v2", "/cookies"));
      assert.deepEqual(response.headers.getSetCookie(), ["a=1; Path=/", "b=2; HttpOnly"]);
    });

    it("passes a context with a request id, a stable log stream and a remaining time under the timeout", async () => {
      const first = await echo(url("v2", "/"));
      const second = await echo(url("v2", "/"));
      assert.match(
        first.context.awsRequestId,
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      assert.notEqual(first.context.awsRequestId, second.context.awsRequestId);
      assert.match(first.context.logStreamName, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
      assert.equal(first.context.logStreamName, second.context.logStreamName);
      assert.equal(first.context.functionName, "echo");
      assert.match(
        String(first.context.invokedFunctionArn),
        /^arn:aws:lambda:[a-z0-9-]+:123456789012:function:echo$/,
      );
      assert.ok(
        first.context.remaining > 0 && first.context.remaining <= 30_000,
        String(first.context.remaining),
      );
    });

    it("answers 502 like API Gateway when the handler throws, and logs the error", async () => {
      const response = await fetch(url("v2", "/throw"));
      assert.equal(response.status, 502);
      assert.deepEqual(await response.json(), { message: "Internal server error" });
      assert.ok(
        logs.some((line) => line.includes("Invoke Error") && line.includes("kaput")),
        logs.join(""),
      );
    });

    it("answers a result without statusCode as a JSON 200, as HTTP APIs infer it", async () => {
      const response = await fetch(url("v2", "/malformed"));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "application/json");
      assert.deepEqual(await response.json(), { body: "no status" });
    });
  });

  describe("alb (Application Load Balancer, multi-value headers)", () => {
    it("keeps the query still percent-encoded and every value of a repeated key", async () => {
      const { event } = await echo(url("alb", "/items?tag=x&tag=y%20z"));
      assert.deepEqual(event.requestContext, {
        elb: {
          targetGroupArn: (event.requestContext as { elb: { targetGroupArn: string } }).elb
            .targetGroupArn,
        },
      });
      assert.match(
        (event.requestContext as { elb: { targetGroupArn: string } }).elb.targetGroupArn,
        /^arn:aws:elasticloadbalancing:/,
      );
      assert.deepEqual(event.multiValueQueryStringParameters, { tag: ["x", "y%20z"] });
      assert.equal(event.body, "");
      assert.equal("headers" in event, false);
    });

    it("sends an empty query map when there is none and lower-cases repeated headers", async () => {
      const { event } = JSON.parse(await rawGet(url("alb", "/"), { "X-Rep": ["1", "2"] })) as Echo;
      assert.deepEqual(event.multiValueQueryStringParameters, {});
      assert.deepEqual(event.multiValueHeaders?.["x-rep"], ["1", "2"]);
    });

    it("sends Set-Cookie lines from multiValueHeaders", async () => {
      const response = await fetch(url("alb", "/cookies"));
      assert.deepEqual(response.headers.getSetCookie(), ["a=1; Path=/", "b=2; HttpOnly"]);
    });
  });

  for (const format of ["v1", "v2", "alb"] as const) {
    it(`round-trips a binary body with its exact bytes (${format})`, async () => {
      // 0xff and 0xfe never occur in UTF-8: the body must travel base64-encoded.
      const bytes = Buffer.concat([Buffer.from([0xff, 0xfe, 0, 1, 2]), randomBytes(4096)]);
      const response = await fetch(url(format, "/bytes"), {
        method: "POST",
        headers: { "content-type": "application/octet-stream" },
        body: bytes,
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "application/octet-stream");
      assert.deepEqual(Buffer.from(await response.arrayBuffer()), bytes);
    });

    it(`sends a JSON body as text and a binary one as base64 (${format})`, async () => {
      const text = await echo(url(format, "/"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"a":"é"}',
      });
      assert.equal(text.event.isBase64Encoded, false);
      assert.equal(text.event.body, '{"a":"é"}');
      const binary = await echo(url(format, "/"), {
        method: "PUT",
        headers: { "content-type": "image/png" },
        body: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      });
      assert.equal(binary.event.isBase64Encoded, true);
      assert.equal(binary.event.body, Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString("base64"));
    });

    it(`refuses a body over 10 MB with 413 (${format})`, async () => {
      const response = await fetch(url(format, "/"), {
        method: "POST",
        body: Buffer.alloc(MAX_BODY_BYTES + 1, 97),
      });
      assert.equal(response.status, 413);
      assert.deepEqual(await response.json(), { message: "Request Too Long" });
    });
  }

  it("refuses a chunked body with no length once it passes 10 MB", async () => {
    const chunk = Buffer.alloc(1024 * 1024, 98);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Stops by itself after 12 MB, whatever the server does.
        if (sent >= 12) controller.close();
        else {
          sent += 1;
          controller.enqueue(chunk);
        }
      },
    });
    const response = await fetch(url("v2", "/"), {
      method: "POST",
      body,
      duplex: "half",
    } as RequestInit);
    assert.equal(response.status, 413);
    await response.body?.cancel();
  });

  it("accepts a body of exactly 10 MB", async () => {
    const response = await fetch(url("v2", "/bytes"), {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: Buffer.alloc(MAX_BODY_BYTES, 99),
    });
    assert.equal(response.status, 200);
    assert.equal((await response.arrayBuffer()).byteLength, MAX_BODY_BYTES);
  });
});

describe("dev server timeouts", () => {
  let dir: string;
  let server: DevServer;
  const logs: string[] = [];

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "aio-dev-timeout-"));
    await writeFile(path.join(dir, "echo.ts"), ECHO_APP);
    server = await startDevServer({
      entry: path.join(dir, "echo.ts"),
      port: 0,
      timeoutMs: 300,
      watch: false,
      log: (t) => logs.push(t),
    });
  });

  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("answers 502 when the handler outlives the function timeout, as Lambda's timeout would", async () => {
    const response = await fetch(`${server.url}/hang`);
    assert.equal(response.status, 502);
    assert.ok(
      logs.some((line) => line.includes("Task timed out after 0.30 seconds")),
      logs.join(""),
    );
  });
});

describe("dev server reloading", () => {
  let dir: string;
  let server: DevServer;
  const logs: string[] = [];
  const app = (greeting: string) =>
    `import { suffix } from "./suffix.js";\nexport const handler = async () => ({ statusCode: 200, body: "${greeting}" + suffix });\n`;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "aio-dev-reload-"));
    await writeFile(path.join(dir, "suffix.ts"), 'export const suffix = "!";\n');
    await writeFile(path.join(dir, "app.ts"), app("one"));
    server = await startDevServer({
      entry: path.join(dir, "app.ts"),
      port: 0,
      log: (t) => logs.push(t),
    });
  });

  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const body = async () => (await fetch(server.url)).text();

  it("serves the version it loaded at start", async () => {
    assert.equal(await body(), "one!");
  });

  it("reloads when the entry changes", async () => {
    await writeFile(path.join(dir, "app.ts"), app("two"));
    assert.equal(
      await until("the new entry", async () => ((await body()) === "two!" ? true : undefined)),
      true,
    );
  });

  it("reloads when a file the entry imports changes", async () => {
    await writeFile(path.join(dir, "suffix.ts"), 'export const suffix = "?";\n');
    assert.equal(
      await until("the new import", async () => ((await body()) === "two?" ? true : undefined)),
      true,
    );
  });

  it("keeps the last good version and prints esbuild's error with file and line when a change does not build", async () => {
    await writeFile(
      path.join(dir, "app.ts"),
      "export const handler = async () => ({ statusCode: 200, body: 'x' ;\n",
    );
    await until("the build error", async () =>
      logs.some((l) => l.includes("Bundling")) ? true : undefined,
    );
    const error = logs.find((l) => l.includes("Bundling"))!;
    assert.match(error, /app\.ts:1:\d+/);
    assert.equal(await body(), "two?");
    await writeFile(path.join(dir, "app.ts"), app("three"));
    assert.equal(
      await until("the fixed entry", async () => ((await body()) === "three?" ? true : undefined)),
      true,
    );
  });
});

describe("dev server on the example app", () => {
  const servers: Partial<Record<EventFormat, DevServer>> = {};

  before(async () => {
    for (const format of ["v1", "v2", "alb", "lattice"] as const) {
      servers[format] = await startDevServer({
        entry: path.join(ROOT, "examples/app.ts"),
        port: 0,
        eventFormat: format,
        watch: false,
        log: () => {},
      });
    }
  });

  after(async () => {
    for (const server of Object.values(servers)) await server.close();
  });

  for (const format of ["v1", "v2", "alb", "lattice"] as const) {
    describe(`with ${format} events`, () => {
      const url = (target: string) => `${servers[format]!.url}${target}`;

      it("answers GET / with the JSON greeting", async () => {
        const response = await fetch(url("/"));
        assert.equal(response.status, 200);
        assert.equal(response.headers.get("content-type"), "application/json");
        assert.deepEqual(await response.json(), { Hello: "World" });
      });

      it("passes the path parameter and the query", async () => {
        const response = await fetch(url("/items/foo?q=somequery"));
        assert.deepEqual(await response.json(), {
          id: "foo",
          item: "The Foo Wrestlers",
          q: "somequery",
        });
      });

      it("answers an HTTPException with its status and detail", async () => {
        const response = await fetch(url("/items/nope"));
        assert.equal(response.status, 404);
        assert.deepEqual(await response.json(), { detail: "Item not found" });
      });

      it("answers a POST with a JSON body with the route's status", async () => {
        const response = await fetch(url("/items"), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "Bar", price: 2 }),
        });
        assert.equal(response.status, 201);
        assert.deepEqual(await response.json(), { created: "Bar", price: 2 });
      });

      it("sends a binary Response with its exact bytes and headers the route set", async () => {
        const binary = await fetch(url("/binary"));
        assert.equal(binary.status, 202);
        assert.equal(binary.headers.get("content-type"), "application/octet-stream");
        assert.deepEqual(Buffer.from(await binary.arrayBuffer()), Buffer.from("helloworld"));
        const cached = await fetch(url("/cached"));
        assert.equal(cached.headers.get("cache-control"), "no-cache");
      });

      it("gives the route the request's headers", async () => {
        const response = await fetch(url("/whoami"), { headers: { "user-agent": "dev-test/2" } });
        assert.deepEqual(await response.json(), { Hello: "dev-test/2" });
      });

      it("answers an uncaught error with 502 like API Gateway", async () => {
        const response = await fetch(url("/boom"));
        assert.equal(response.status, 502);
        assert.deepEqual(await response.json(), { message: "Internal server error" });
      });
    });
  }
});

describe("dev server start failures", () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "aio-dev-fail-"));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function failure(entry: string, handler?: string): Promise<LoadError> {
    const error = await startDevServer({
      entry,
      port: 0,
      watch: false,
      log: () => {},
      ...(handler ? { handler } : {}),
    }).then(
      async (server) => {
        await server.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    assert.ok(error instanceof LoadError, `expected a LoadError, got ${String(error)}`);
    return error;
  }

  it("refuses an export that is not a function, naming what it is and the handlers exported", async () => {
    const entry = path.join(dir, "no-handler.ts");
    await writeFile(entry, "export const handler = 42;\nexport const other = () => 1;\n");
    const error = await failure(entry);
    assert.equal(
      error.message,
      `${entry} exports "handler" as a number (42), not a handler function`,
    );
    assert.equal(
      error.details,
      'expected a handler function (set with --handler); the handlers it exports: "other"\n',
    );
  });

  it("refuses a missing export, listing the exported handlers with the streaming ones marked", async () => {
    const entry = path.join(dir, "api-app.ts");
    await writeFile(
      entry,
      `import { createApi } from ${JSON.stringify(path.join(ROOT, "lib/index.ts"))};\n` +
        `import { streamingHandler } from ${JSON.stringify(path.join(ROOT, "lib/streaming/index.ts"))};\n` +
        'export const api = createApi().get("/", () => "hi");\n' +
        "export const handler = api.handler;\n" +
        "export const streaming = streamingHandler(api);\n" +
        'export const version = "1.0";\n',
    );
    const error = await failure(entry, "missing");
    assert.equal(error.message, `${entry} has no export named "missing"`);
    assert.equal(
      error.details,
      'expected the name of an exported handler function (set with --handler); the handlers it exports: "handler", "streaming" (streaming)\n',
    );
  });

  it("refuses an Api passed as the handler, showing how to export its handler", async () => {
    const entry = path.join(dir, "api-app.ts");
    const error = await failure(entry, "api");
    assert.equal(error.message, `${entry} exports "api" as an Api, not a handler function`);
    assert.equal(
      error.details,
      'export its handler (export const handler = api.handler, or a streaming handler made from it) and pass that name with --handler; the handlers it exports: "handler", "streaming" (streaming)\n',
    );
  });

  it("refuses an entry that exports no function, listing its exports", async () => {
    const entry = path.join(dir, "no-functions.ts");
    await writeFile(entry, 'export const name = "app";\nexport const config = { a: 1 };\n');
    const error = await failure(entry, "config");
    assert.equal(error.message, `${entry} exports "config" as an object, not a handler function`);
    assert.equal(
      error.details,
      'expected a handler function (set with --handler); it exports no function (its exports: "config", "name")\n',
    );
  });

  it("reports an app that throws while loading with its stack", async () => {
    const entry = path.join(dir, "throws.ts");
    await writeFile(
      entry,
      'export const handler = async () => 1;\nthrow new RangeError("FUNCTION_TIMEOUT must be positive");\n',
    );
    const error = await failure(entry);
    assert.equal(error.message, `Loading ${entry} failed`);
    assert.match(error.details, /^RangeError: FUNCTION_TIMEOUT must be positive\n/);
  });

  it("reports an entry that does not build with esbuild's file and line", async () => {
    const entry = path.join(dir, "broken.ts");
    await writeFile(entry, "export const handler = async () => {\n  return 1 +;\n};\n");
    const error = await failure(entry);
    assert.equal(error.message, `Bundling ${entry} failed with 1 error`);
    assert.match(error.details, /broken\.ts:2:\d+:/);
  });

  it("reports an entry that is not a file", async () => {
    const error = await failure(path.join(dir, "nope.ts"));
    assert.equal(error.message, `Entry ${JSON.stringify(path.join(dir, "nope.ts"))} is not a file`);
  });
});

describe("dev server ports", () => {
  it("refuses a port that is taken, naming it", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "aio-dev-port-"));
    await writeFile(path.join(dir, "echo.ts"), ECHO_APP);
    const entry = path.join(dir, "echo.ts");
    const first = await startDevServer({ entry, port: 0, watch: false, log: () => {} });
    try {
      const port = Number(new URL(first.url).port);
      await assert.rejects(
        startDevServer({ entry, port, watch: false, log: () => {} }),
        new RegExp(
          `^Error: Cannot listen on 127\\.0\\.0\\.1:${port}: EADDRINUSE; expected a free port`,
        ),
      );
    } finally {
      await first.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("dev server paths", () => {
  let dir: string;
  const servers: DevServer[] = [];

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "aio-dev-path-"));
    await writeFile(
      path.join(dir, "app.ts"),
      `import { createApi } from ${JSON.stringify(path.join(ROOT, "lib/index.ts"))};\n` +
        "export const handler = createApi({ accessLog: false })\n" +
        '  .get("/items/{id}", ({ params, request }) => ({ id: params.id, kind: request.kind })).handler;\n',
    );
  });

  after(async () => {
    for (const server of servers) await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const kinds = [
    ["v2", "http-api"],
    ["v1", "rest"],
    ["alb", "alb"],
    ["lattice", "lattice"],
  ] as const;
  for (const [format, kind] of kinds) {
    it(`brings a %20 in the path to the route decoded once with ${format} events`, async () => {
      const server = await startDevServer({
        entry: path.join(dir, "app.ts"),
        port: 0,
        eventFormat: format,
        timeoutMs: 30_000,
        watch: false,
        log: () => {},
      });
      servers.push(server);
      const response = await fetch(`${server.url}/items/a%20b%2525`);
      assert.equal(response.status, 200);
      // An HTTP API decodes the path once and the router never again; the others' is decoded by the router.
      assert.deepEqual(await response.json(), { id: "a b%25", kind });
    });
  }
});
