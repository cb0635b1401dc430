// End to end: the example app bundled by the CLI, unzipped, and run by AWS's own runtime interface client.

import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
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
const RIC_BIN = RIC ?? "";
const SKIP = RIC
  ? false
  : "aws-lambda-ric is not installed: run `npm run setup:ric` to run this suite";

interface Runtime {
  readonly api: RuntimeApi;
  readonly child: ChildProcess;
  readonly output: () => string;
}

/** Bundles `entry` with the CLI into `dir`, unzips it, and starts aws-lambda-ric on it. */
async function bundleAndRun(entry: string, dir: string, format: "esm" | "cjs"): Promise<Runtime> {
  const zip = path.join(dir, "function.zip");
  const printed: string[] = [];
  const code = await runCli(["bundle", entry, "--out", zip, "--format", format], {
    stdout: (text) => printed.push(text),
    stderr: (text) => printed.push(text),
  });
  assert.equal(code, 0, printed.join(""));
  const task = path.join(dir, "task");
  const files = await extractZip(await readFile(zip), task);
  assert.deepEqual(files, [format === "esm" ? "index.mjs" : "index.js"]);
  const api = await startRuntimeApi();
  let output = "";
  const child = spawn(process.execPath, [RIC_BIN, "index.handler"], {
    cwd: task,
    env: {
      PATH: process.env.PATH,
      TZ: "UTC",
      AWS_LAMBDA_RUNTIME_API: api.address,
      LAMBDA_TASK_ROOT: task,
      _HANDLER: "index.handler",
      AWS_REGION: "us-east-1",
      AWS_LAMBDA_FUNCTION_NAME: "aio-lambda-api-e2e",
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
      AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/aio-lambda-api-e2e",
      AWS_LAMBDA_LOG_STREAM_NAME: "2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
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

function request(
  method: string,
  target: string,
  headers: [string, string][] = [],
  body = "",
): HttpRequestData {
  return {
    method,
    target,
    headers: [
      ["Host", "abc123.execute-api.us-east-1.amazonaws.com"],
      ["User-Agent", "e2e-test/1.0"],
      ...headers,
    ],
    body: Buffer.from(body),
    sourceIp: "203.0.113.7",
    port: 443,
    time: Date.now(),
  };
}

interface LambdaResult {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
  isBase64Encoded?: boolean;
}

function responseOf(outcome: InvocationOutcome): LambdaResult {
  assert.equal(outcome.kind, "response", `expected a response, got ${JSON.stringify(outcome)}`);
  return outcome.body as LambdaResult;
}

for (const format of ["esm", "cjs"] as const) {
  describe(`the example app bundled as ${format} under aws-lambda-ric`, { skip: SKIP }, () => {
    let dir: string;
    let runtime: Runtime | undefined;

    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), `aio-ric-${format}-`));
      runtime = await bundleAndRun(path.join(ROOT, "examples/app.ts"), dir, format);
    });

    after(async () => {
      await stop(runtime);
      await rm(dir, { recursive: true, force: true });
    });

    it("answers GET / with 200 and the JSON greeting", async () => {
      const result = responseOf(await runtime!.api.invoke(httpApiEvent(request("GET", "/"))));
      assert.equal(result.statusCode, 200);
      assert.equal(result.headers?.["content-type"], "application/json");
      assert.deepEqual(JSON.parse(result.body), { Hello: "World" });
    });

    it("answers a POST with a JSON body with 201 and the validated item", async () => {
      const event = httpApiEvent(
        request(
          "POST",
          "/items",
          [["Content-Type", "application/json"]],
          JSON.stringify({ name: "Foo", price: 3.5 }),
        ),
      );
      const result = responseOf(await runtime!.api.invoke(event));
      assert.equal(result.statusCode, 201);
      assert.deepEqual(JSON.parse(result.body), { created: "Foo", price: 3.5 });
    });

    it("answers a REST API (payload 1.0) request that reads a request header", async () => {
      const result = responseOf(await runtime!.api.invoke(restEvent(request("GET", "/whoami"))));
      assert.equal(result.statusCode, 200);
      assert.deepEqual(JSON.parse(result.body), { Hello: "e2e-test/1.0" });
    });

    it("sends binary content base64-encoded with its exact bytes", async () => {
      const result = responseOf(await runtime!.api.invoke(httpApiEvent(request("GET", "/binary"))));
      assert.equal(result.statusCode, 202);
      assert.equal(result.isBase64Encoded, true);
      assert.equal(result.headers?.["content-type"], "application/octet-stream");
      assert.deepEqual(Buffer.from(result.body, "base64"), Buffer.from("helloworld"));
    });

    it("answers a path with no route with 404 and the reason phrase", async () => {
      const result = responseOf(
        await runtime!.api.invoke(httpApiEvent(request("GET", "/no/such/path"))),
      );
      assert.equal(result.statusCode, 404);
      assert.deepEqual(JSON.parse(result.body), { detail: "Not Found" });
    });

    it("answers an HTTPException with its status and detail", async () => {
      const result = responseOf(
        await runtime!.api.invoke(httpApiEvent(request("GET", "/items/missing"))),
      );
      assert.equal(result.statusCode, 404);
      assert.deepEqual(JSON.parse(result.body), { detail: "Item not found" });
    });

    it("reports an uncaught error through the runtime's error endpoint with type, message and trace", async () => {
      const outcome = await runtime!.api.invoke(httpApiEvent(request("GET", "/boom")));
      assert.equal(outcome.kind, "error", `expected an error, got ${JSON.stringify(outcome)}`);
      const body = outcome.body as { errorType: string; errorMessage: string; trace: string[] };
      assert.equal(body.errorType, "Error");
      assert.equal(body.errorMessage, "boom");
      // Lambda's Node.js runtime calls the stack `trace` (Python's calls it `stackTrace`).
      assert.ok(Array.isArray(body.trace), `expected a trace array, got ${JSON.stringify(body)}`);
      assert.equal(body.trace[0], "Error: boom");
      assert.ok(body.trace.length > 1);
    });

    it("keeps serving after an uncaught error", async () => {
      const result = responseOf(
        await runtime!.api.invoke(httpApiEvent(request("GET", "/items/foo?q=x"))),
      );
      assert.equal(result.statusCode, 200);
      assert.deepEqual(JSON.parse(result.body), { id: "foo", item: "The Foo Wrestlers", q: "x" });
    });
  });
}

describe("a bundle that throws while loading, under aws-lambda-ric", { skip: SKIP }, () => {
  let dir: string;
  let runtime: Runtime | undefined;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "aio-ric-init-"));
    const entry = path.join(dir, "broken.ts");
    await writeFile(
      entry,
      'export const handler = async () => 1;\nthrow new TypeError("no config");\n',
    );
    runtime = await bundleAndRun(entry, dir, "esm");
  });

  after(async () => {
    await stop(runtime);
    await rm(dir, { recursive: true, force: true });
  });

  it("reports the error to the init error endpoint", async () => {
    const deadline = Date.now() + 10_000;
    while (runtime!.api.initErrors.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(
      runtime!.api.initErrors.length,
      1,
      `no init error was posted; the runtime printed:\n${runtime!.output()}`,
    );
    const error = runtime!.api.initErrors[0] as { errorType: string; errorMessage: string };
    assert.equal(error.errorType, "TypeError");
    assert.equal(error.errorMessage, "no config");
  });
});
