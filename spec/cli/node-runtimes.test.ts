// The example app bundled for each Lambda Node.js runtime (nodejs22.x, nodejs24.x), answering real AWS events under that Node.js.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { bundle } from "../../lib/cli/bundle.js";
import type { LambdaNodeRuntimeInfo } from "../../lib/cli/lambda-runtime.js";
import { LAMBDA_NODE_RUNTIMES } from "../../lib/cli/lambda-runtime.js";
import { requestTo, sqsEvent } from "../helpers/batch.js";
import type { Json } from "../helpers/fixtures.js";
import { fakeContext, fixtures, HTTP_KINDS } from "../helpers/fixtures.js";
import { extractZip } from "../helpers/runtime-api.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const RUNTIMES_DIR = path.join(ROOT, "spec/helpers/node-runtimes");
const INVOKE = path.join(RUNTIMES_DIR, "invoke.mjs");

/**
 * The Node.js binary of one Lambda runtime. The binaries are npm packages installed into their
 * own small package, spec/helpers/node-runtimes, by `npm run setup:node-runtimes` (and by
 * .ci/run), so a plain `npm install` does not download them. Only Linux builds are listed there,
 * as Lambda runs Linux: elsewhere, or before the setup, the suite is skipped, except in CI.
 */
function findNode(target: string): string | undefined {
  const name = `${target}-${process.platform}-${process.arch}`;
  try {
    const require = createRequire(path.join(RUNTIMES_DIR, "package.json"));
    const binary = path.join(path.dirname(require.resolve(`${name}/package.json`)), "bin/node");
    if (existsSync(binary)) return binary;
  } catch {
    // Not installed: decided below.
  }
  if (process.env.CI && process.platform === "linux") {
    throw new Error(
      `${name} is not installed in spec/helpers/node-runtimes: run \`npm run setup:node-runtimes\``,
    );
  }
  return undefined;
}

/** What the invoke helper wrote: the Node.js version and one outcome a case. */
interface Run {
  readonly node: string;
  readonly outcomes: readonly Outcome[];
  /** The JSON log lines the app wrote to stdout and stderr, parsed. */
  readonly logs: readonly Json[];
}

type Outcome =
  | { readonly result: LambdaResult; readonly error?: undefined }
  | { readonly error: { name: string; message: string }; readonly result?: undefined };

interface LambdaResult {
  readonly statusCode: number;
  readonly headers?: Record<string, string>;
  readonly body: string;
  readonly isBase64Encoded?: boolean;
}

/** One invocation: a real event (changed where a case says) and its Lambda context. */
interface Case {
  readonly name: string;
  readonly event: Json;
  readonly context: Json;
}

/** Runs the invoke helper under `node` on `cases` (killed after 60 s). */
async function invoke(
  node: string,
  bundleFile: string,
  cases: readonly Case[],
  dir: string,
): Promise<Run> {
  const tag = path.basename(path.dirname(path.dirname(node)));
  const casesFile = path.join(dir, `cases-${tag}.json`);
  const outFile = path.join(dir, `out-${tag}.json`);
  await writeFile(
    casesFile,
    JSON.stringify(cases.map(({ event, context }) => ({ event, context }))),
  );
  const { code, stdout, stderr } = await new Promise<{
    code: number | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    const child = spawn(node, [INVOKE, bundleFile, casesFile, outFile], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        TZ: "UTC",
        AWS_REGION: "us-east-1",
        AWS_LAMBDA_FUNCTION_NAME: "aio-lambda-api-runtimes",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
        AWS_LAMBDA_LOG_STREAM_NAME: "2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef",
      },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000,
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ code: status, stdout: out, stderr: err }));
  });
  assert.equal(code, 0, `${node} ${INVOKE} exited with ${code}; stderr:\n${stderr}`);
  const written = JSON.parse(await readFile(outFile, "utf8")) as Omit<Run, "logs">;
  // Powertools writes INFO to stdout and WARN and above to stderr; Lambda sends both to CloudWatch.
  const logs = `${stdout}${stderr}`
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Json);
  return { ...written, logs };
}

/**
 * The bundled entry: the example app behind batchHandler, so one export serves the SQS case and
 * hands every HTTP case on to api.handler.
 */
const QUEUE_APP = `
import { batchHandler } from ${JSON.stringify(path.join(ROOT, "lib/batch/index.ts"))};
import { api } from ${JSON.stringify(path.join(ROOT, "examples/app.ts"))};

export const handler = batchHandler(api);
`;

const context = (index: number): Json => ({
  ...fakeContext({ awsRequestId: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}` }),
});

/** A real event of `kind` sent to `GET /items/foo?q=x`, with the query as that kind carries it. */
function itemQuery(kind: (typeof HTTP_KINDS)[number]): Json {
  const event = requestTo(kind, "GET", "/items/foo");
  if (kind === "apigw-rest") {
    event.queryStringParameters = { q: "x" };
    event.multiValueQueryStringParameters = { q: ["x"] };
  } else if (kind === "alb") {
    // The base ALB sample is in single-value mode.
    event.queryStringParameters = { q: "x" };
  } else {
    event.rawQueryString = "q=x";
    event.queryStringParameters = { q: "x" };
  }
  return event;
}

function postItem(body: string): Json {
  const event = requestTo("apigw-http", "POST", "/items", body);
  event.headers = { ...(event.headers as Json), "content-type": "application/json" };
  event.isBase64Encoded = false;
  return event;
}

/** The named cases each test below reads, then every HTTP fixture as it is. */
function cases(): Case[] {
  const named: [string, Json][] = [
    ...HTTP_KINDS.map((kind): [string, Json] => [`item ${kind}`, itemQuery(kind)]),
    ["post", postItem(JSON.stringify({ name: "Foo", price: 3.5 }))],
    ["post invalid", postItem(JSON.stringify({ name: "", price: -1 }))],
    ["binary", requestTo("apigw-rest", "GET", "/binary")],
    ["stream", requestTo("function-url", "GET", "/stream")],
    ["openapi", requestTo("apigw-http", "GET", "/openapi.json")],
    ["not found", requestTo("alb", "GET", "/no/such/path")],
    ["boom", requestTo("apigw-http", "GET", "/boom")],
    [
      "sqs",
      sqsEvent("powertools-py-two-records", [
        JSON.stringify(requestTo("apigw-rest", "GET", "/items/foo")),
        JSON.stringify(requestTo("apigw-rest", "GET", "/items/missing")),
      ]),
    ],
  ];
  const sweep = HTTP_KINDS.flatMap((kind) =>
    fixtures(kind).map(({ name, event }): [string, Json] => [`${kind}/${name}`, event]),
  );
  return [...named, ...sweep].map(([name, event], index) => ({
    name,
    event,
    context: context(index),
  }));
}

const CASES = cases();

function outcome(run: Run, name: string): Outcome {
  const index = CASES.findIndex((c) => c.name === name);
  assert.notEqual(index, -1, `no case named ${name}`);
  return run.outcomes[index]!;
}

function result(run: Run, name: string): LambdaResult {
  const found = outcome(run, name);
  assert.ok(found.result, `${name}: expected an answer, got ${JSON.stringify(found)}`);
  return found.result;
}

const CURRENT = `v${process.versions.node}`;

for (const runtime of LAMBDA_NODE_RUNTIMES as readonly LambdaNodeRuntimeInfo[]) {
  const major = runtime.target.slice("node".length);
  const node = findNode(runtime.target);
  const skip =
    node === undefined
      ? `Node.js ${major} is not installed: run \`npm run setup:node-runtimes\` (Linux only) to run this suite`
      : false;

  describe(`the example app bundled for ${runtime.runtime}, under Node.js ${major}`, {
    skip,
  }, () => {
    let dir: string;
    let run: Run;
    let reference: Run;

    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), `aio-${runtime.target}-`));
      const entry = path.join(dir, "queue-app.ts");
      await writeFile(entry, QUEUE_APP);
      const built = await bundle({
        entry,
        cwd: ROOT,
        out: path.join(dir, "function.zip"),
        target: runtime.target,
      });
      assert.equal(built.runtime, runtime.runtime);
      const task = path.join(dir, "task");
      await extractZip(await readFile(built.zipPath), task);
      const file = path.join(task, built.fileName);
      run = await invoke(node!, file, CASES, dir);
      reference = await invoke(process.execPath, file, CASES, dir);
    });

    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it(`runs under Node.js ${major}`, () => {
      assert.match(run.node, new RegExp(`^v${major}\\.`));
      assert.equal(run.outcomes.length, CASES.length);
    });

    for (const kind of HTTP_KINDS) {
      it(`answers GET /items/foo?q=x from ${kind} with the item`, () => {
        const answer = result(run, `item ${kind}`);
        assert.equal(answer.statusCode, 200, answer.body);
        assert.deepEqual(JSON.parse(answer.body), {
          id: "foo",
          item: "The Foo Wrestlers",
          q: "x",
        });
      });
    }

    it("answers a valid JSON body with 201 and an invalid one with 422 and its issues", () => {
      const created = result(run, "post");
      assert.equal(created.statusCode, 201, created.body);
      assert.deepEqual(JSON.parse(created.body), { created: "Foo", price: 3.5 });
      const refused = result(run, "post invalid");
      assert.equal(refused.statusCode, 422, refused.body);
      const { detail } = JSON.parse(refused.body) as { detail: { loc: string[] }[] };
      assert.deepEqual(
        detail.map((issue) => issue.loc),
        [
          ["body", "name"],
          ["body", "price"],
        ],
      );
    });

    it("sends binary content base64-encoded with its exact bytes", () => {
      const answer = result(run, "binary");
      assert.equal(answer.statusCode, 202);
      assert.equal(answer.isBase64Encoded, true);
      assert.deepEqual(Buffer.from(answer.body, "base64"), Buffer.from("helloworld"));
    });

    it("collects a streamed answer into one result under the plain handler", () => {
      const answer = result(run, "stream");
      assert.equal(answer.statusCode, 200);
      assert.equal(answer.body, "tick 1\ntick 2\ntick 3\n");
    });

    it("serves the OpenAPI document", () => {
      const answer = result(run, "openapi");
      assert.equal(answer.statusCode, 200);
      const document = JSON.parse(answer.body) as { openapi: string; paths: Json };
      assert.match(document.openapi, /^3\.1\./);
      assert.deepEqual(Object.keys(document.paths).sort(), [
        "/",
        "/binary",
        "/boom",
        "/cached",
        "/items",
        "/items/{id}",
        "/stream",
        "/whoami",
      ]);
    });

    it("answers a path with no route with 404 and the reason phrase", () => {
      const answer = result(run, "not found");
      assert.equal(answer.statusCode, 404);
      assert.deepEqual(JSON.parse(answer.body), { detail: "Not Found" });
    });

    it("rejects with the route's error, as Lambda reports it", () => {
      assert.deepEqual(outcome(run, "boom"), { error: { name: "Error", message: "boom" } });
    });

    it("reports the failed record of an SQS batch", () => {
      const event = CASES.find((c) => c.name === "sqs")!.event;
      const records = event.Records as { messageId: string }[];
      assert.deepEqual(outcome(run, "sqs"), {
        result: { batchItemFailures: [{ itemIdentifier: records[1]!.messageId }] },
      });
    });

    it("writes one JSON access-log line a request, with method, path, status and id", () => {
      const lines = run.logs.filter((line) => "status_code" in line);
      // Every case is one request but the SQS batch, which holds two.
      assert.equal(lines.length, CASES.length + 1);
      const item = lines.find((line) => line.path === "/items/foo" && line.method === "GET");
      assert.equal(item?.status_code, 200);
      assert.equal(item?.level, "INFO");
      assert.equal(typeof item?.execution_time, "number");
      const boom = lines.find((line) => line.path === "/boom");
      assert.equal(boom?.level, "CRITICAL");
    });

    it(`answers every HTTP fixture as the same bundle does under Node.js ${CURRENT}`, () => {
      assert.equal(reference.node, CURRENT);
      for (const [index, { name }] of CASES.entries()) {
        assert.deepEqual(run.outcomes[index], reference.outcomes[index], name);
      }
    });
  });
}
