// End to end: streamingHandler(api) bundled by the CLI and run by aws-lambda-ric, its streamed answers read chunk by chunk as they arrive.

import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import type { IncomingMessage } from "node:http";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { HttpRequestData } from "../../lib/cli/dev-event.js";
import { httpApiEvent, restEvent } from "../../lib/cli/dev-event.js";
import { runCli } from "../../lib/cli/main.js";
import type { InvocationOutcome, RuntimeApi } from "../helpers/runtime-api.js";
import { findRic } from "../helpers/ric-client.js";
import { extractZip, startRuntimeApi } from "../helpers/runtime-api.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

const RIC = findRic();
const SKIP = RIC
  ? false
  : "aws-lambda-ric is not installed: run `npm run setup:ric` to run this suite";
const DELIMITER = Buffer.alloc(8);

interface Runtime {
  readonly api: RuntimeApi;
  readonly child: ChildProcess;
  readonly output: () => string;
}

/** Bundles `entry` with the CLI and runs `index.<handler>` under aws-lambda-ric. */
async function bundleAndRun(entry: string, dir: string, handler: string): Promise<Runtime> {
  const zip = path.join(dir, "function.zip");
  const printed: string[] = [];
  const code = await runCli(["bundle", entry, "--out", zip, "--handler", handler], {
    stdout: (text) => printed.push(text),
    stderr: (text) => printed.push(text),
  });
  assert.equal(code, 0, printed.join(""));
  const task = path.join(dir, "task");
  await extractZip(await readFile(zip), task);
  const api = await startRuntimeApi();
  let output = "";
  const child = spawn(process.execPath, [RIC ?? "", `index.${handler}`], {
    cwd: task,
    env: {
      PATH: process.env.PATH,
      TZ: "UTC",
      AWS_LAMBDA_RUNTIME_API: api.address,
      LAMBDA_TASK_ROOT: task,
      _HANDLER: `index.${handler}`,
      AWS_REGION: "us-east-1",
      AWS_LAMBDA_FUNCTION_NAME: "aio-lambda-api-stream-e2e",
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
      AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/aio-lambda-api-stream-e2e",
      AWS_LAMBDA_LOG_STREAM_NAME: "2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  child.on("exit", (status, signal) => {
    api.fail(new Error(`aws-lambda-ric exited (${status ?? signal}); its output:\n${output}`));
  });
  return { api, child, output: () => output };
}

async function stop(runtime: Runtime | undefined): Promise<void> {
  if (runtime === undefined) return;
  if (runtime.child.exitCode === null && runtime.child.signalCode === null) {
    const exited = new Promise((resolve) => runtime.child.once("exit", resolve));
    runtime.child.kill("SIGKILL");
    await exited;
  }
  await runtime.api.close();
}

function request(method: string, target: string): HttpRequestData {
  return {
    method,
    target,
    headers: [
      ["Host", "abc123.lambda-url.us-east-1.on.aws"],
      ["User-Agent", "e2e-stream/1.0"],
    ],
    body: Buffer.alloc(0),
    sourceIp: "203.0.113.7",
    port: 443,
    time: Date.now(),
  };
}

/** One piece of a streamed response as the emulator received it. */
interface Arrival {
  /** ms since the invocation was queued. */
  readonly at: number;
  readonly data: Buffer;
  /** Whether the access-log line of the request had been printed when this arrived. */
  readonly logged: boolean;
}

interface Streamed {
  readonly headers: IncomingMessage["headers"];
  readonly prelude: Record<string, unknown> | undefined;
  /** The body pieces after the prelude and its delimiter, as they arrived. */
  readonly body: Arrival[];
  readonly trailers: Record<string, string | undefined>;
  readonly endedAt: number;
}

/**
 * Invokes and reads the streamed response as it arrives: the prelude up to its 8 NUL bytes,
 * then each body piece with its arrival time and whether the log line for `path` was out yet.
 */
async function invokeStream(runtime: Runtime, event: unknown, path: string): Promise<Streamed> {
  const started = performance.now();
  const outcome: InvocationOutcome = await runtime.api.invoke(event);
  if (outcome.kind !== "stream") {
    assert.fail(`expected a streamed response, got ${JSON.stringify(outcome)}`);
  }
  const { body: stream, headers } = outcome;
  const logged = () => runtime.output().includes(`"path":"${path}"`);
  let head = Buffer.alloc(0);
  let prelude: Record<string, unknown> | undefined;
  let preludeSeen =
    headers["content-type"] !== "application/vnd.awslambda.http-integration-response";
  const body: Arrival[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const at = performance.now() - started;
    let data = chunk;
    if (!preludeSeen) {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf(DELIMITER);
      if (end === -1) continue;
      prelude = JSON.parse(head.subarray(0, end).toString()) as Record<string, unknown>;
      preludeSeen = true;
      data = head.subarray(end + DELIMITER.length);
      if (data.length === 0) continue;
    }
    body.push({ at, data, logged: logged() });
  }
  return {
    headers,
    prelude,
    body,
    trailers: stream.trailers,
    endedAt: performance.now() - started,
  };
}

const text = (streamed: Streamed) => Buffer.concat(streamed.body.map((a) => a.data)).toString();

/** The access-log line of `path` (at `level`, when given) printed by the runtime, parsed. */
async function logLine(
  runtime: Runtime,
  path: string,
  level?: string,
): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const line = runtime
      .output()
      .split("\n")
      .find((l) => l.includes(`"path":"${path}"`) && (!level || l.includes(`"level":"${level}"`)));
    if (line) return JSON.parse(line.slice(line.indexOf("{"))) as Record<string, unknown>;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no log line for ${path} in:\n${runtime.output()}`);
}

describe("the example app's streamingHandler under aws-lambda-ric", { skip: SKIP }, () => {
  let dir: string;
  let runtime: Runtime | undefined;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "aio-ric-stream-"));
    runtime = await bundleAndRun(path.join(ROOT, "examples/app.ts"), dir, "streamingHandler");
  });

  after(async () => {
    await stop(runtime);
    await rm(dir, { recursive: true, force: true });
  });

  it("streams GET /stream chunk by chunk: the first chunk arrives before the route has finished", async (t) => {
    const streamed = await invokeStream(
      runtime!,
      httpApiEvent(request("GET", "/stream")),
      "/stream",
    );
    assert.equal(streamed.headers["lambda-runtime-function-response-mode"], "streaming");
    assert.equal(streamed.headers["transfer-encoding"], "chunked");
    assert.equal(
      streamed.headers["content-type"],
      "application/vnd.awslambda.http-integration-response",
    );
    const prelude = streamed.prelude!;
    assert.equal(prelude.statusCode, 200);
    assert.equal((prelude.headers as Record<string, string>)["content-type"], "text/plain");
    assert.deepEqual(
      streamed.body.map((a) => a.data.toString()),
      ["tick 1\n", "tick 2\n", "tick 3\n"],
    );
    const [first, second, third] = streamed.body;
    // When the first line arrived the route was still running: its log line, written when the
    // stream ends, was not out, and the later lines came after it.
    assert.equal(first!.logged, false);
    assert.ok(first!.at < second!.at && second!.at < third!.at && third!.at <= streamed.endedAt);
    t.diagnostic(
      `first chunk ${first!.at.toFixed(1)} ms, second ${second!.at.toFixed(1)} ms, third ${third!.at.toFixed(1)} ms, end ${streamed.endedAt.toFixed(1)} ms after the invoke`,
    );
    const line = await logLine(runtime!, "/stream");
    assert.equal(line.status_code, 200);
    assert.equal(line.bytes_sent, 21);
    assert.equal(line.level, "INFO");
  });

  it("answers a route that does not stream with the prelude and its body in one piece", async () => {
    const streamed = await invokeStream(runtime!, httpApiEvent(request("GET", "/")), "/");
    assert.equal(streamed.prelude!.statusCode, 200);
    assert.deepEqual(JSON.parse(text(streamed)), { Hello: "World" });
  });

  it("answers an HTTPException with its status in the prelude (REST event: multiValueHeaders shape)", async () => {
    const streamed = await invokeStream(
      runtime!,
      restEvent(request("GET", "/items/missing")),
      "/items/missing",
    );
    assert.equal(streamed.prelude!.statusCode, 404);
    assert.deepEqual(JSON.parse(text(streamed)), { detail: "Item not found" });
  });

  it("reports an uncaught error before the first byte through the runtime's error trailers", async () => {
    const streamed = await invokeStream(runtime!, httpApiEvent(request("GET", "/boom")), "/boom");
    assert.equal(streamed.trailers["lambda-runtime-function-error-type"], "Error");
    const error = JSON.parse(
      Buffer.from(streamed.trailers["lambda-runtime-function-error-body"]!, "base64").toString(),
    ) as { errorMessage: string };
    assert.equal(error.errorMessage, "boom");
  });

  it("keeps serving after an error", async () => {
    const streamed = await invokeStream(
      runtime!,
      httpApiEvent(request("GET", "/items/foo")),
      "/items/foo",
    );
    assert.equal(streamed.prelude!.statusCode, 200);
  });

  // Last: aws-lambda-ric itself exits after its connection to the Runtime API breaks (an
  // unhandled rejection inside the client), as a Lambda environment would be replaced.
  it("logs at warn, with the bytes sent, when the connection drops mid-stream", async () => {
    const outcome = await runtime!.api.invoke(httpApiEvent(request("GET", "/stream?drop")));
    assert.equal(outcome.kind, "stream");
    const stream = (outcome as Extract<InvocationOutcome, { kind: "stream" }>).body;
    await new Promise<void>((resolve) => {
      let received = Buffer.alloc(0);
      stream.on("data", (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.includes("tick 1\n")) resolve();
      });
    });
    stream.socket.destroy();
    const line = await logLine(runtime!, "/stream", "WARN");
    assert.equal(line.error_detail, "The client went away after 7 bytes of the response");
  });
});

const ERRORS_APP = (lib: string) => `
import { createApi, HTTPException } from ${JSON.stringify(path.join(lib, "index.ts"))};
import {
  StreamingResponse,
  streamingHandler as streaming,
} from ${JSON.stringify(path.join(lib, "streaming/index.ts"))};

async function* failing(before: boolean) {
  if (before) throw new HTTPException(403, "Not yours");
  yield "partial";
  throw new Error("upstream lost");
}

export const api = createApi()
  .get("/before", () => new StreamingResponse(failing(true)))
  .get("/after", () => new StreamingResponse(failing(false)));

export const streamingHandler = streaming(api);
`;

describe("streaming errors under aws-lambda-ric", { skip: SKIP }, () => {
  let dir: string;
  let runtime: Runtime | undefined;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "aio-ric-stream-errors-"));
    const entry = path.join(dir, "errors.ts");
    await writeFile(entry, ERRORS_APP(path.join(ROOT, "lib")));
    runtime = await bundleAndRun(entry, dir, "streamingHandler");
  });

  after(async () => {
    await stop(runtime);
    await rm(dir, { recursive: true, force: true });
  });

  it("answers an error before the first byte as a normal answer", async () => {
    const streamed = await invokeStream(
      runtime!,
      httpApiEvent(request("GET", "/before")),
      "/before",
    );
    assert.equal(streamed.prelude!.statusCode, 403);
    assert.deepEqual(JSON.parse(text(streamed)), { detail: "Not yours" });
    const line = await logLine(runtime!, "/before");
    assert.equal(line.status_code, 403);
    assert.equal(line.level, "WARN");
  });

  it("ends the stream after an error past the first byte, and logs it with the bytes sent", async () => {
    const streamed = await invokeStream(runtime!, httpApiEvent(request("GET", "/after")), "/after");
    assert.equal(streamed.prelude!.statusCode, 200);
    assert.equal(text(streamed), "partial");
    assert.equal(streamed.trailers["lambda-runtime-function-error-type"], undefined);
    const line = await logLine(runtime!, "/after");
    assert.equal(line.level, "ERROR");
    assert.equal(line.bytes_sent, 7);
    assert.match(String(line.error_detail), /^Error: upstream lost/);
  });
});
