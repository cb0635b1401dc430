// `bundle` compiles response serializers ahead of time: same answers as the unbundled app (the run-time writer), no compiler, ajv or converter in the bundle, clear fallbacks.

import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import type { BundleResult } from "../../lib/cli/bundle.js";
import { bundle } from "../../lib/cli/bundle.js";
import { httpApiEvent } from "../../lib/cli/dev-event.js";
import { extractZip } from "../helpers/runtime-api.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const APP = "spec/cli/apps/serializers-app.ts";
const LAMBDA_ONLY = "spec/cli/apps/lambda-only-app.ts";
const TABLE = Symbol.for("aio-lambda-api.precompiled-serializers");
const CONTEXT = { awsRequestId: "r1", getRemainingTimeInMillis: () => 30_000 };

type Answer = { statusCode: number; body: string };
type Handler = (event: unknown, context: unknown) => Promise<Answer>;

let dir: string;
let runs = 0;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "aio-precompile-"));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function get(target: string): unknown {
  return httpApiEvent({
    method: "GET",
    target,
    headers: [["Host", "example.com"]],
    body: new Uint8Array(),
    sourceIp: "203.0.113.1",
    port: 443,
    time: Date.now(),
  });
}

/**
 * Bundles `entry` and imports the bundle from a directory of its own (a fresh module each time),
 * with `importEnv` set while it is imported only (not while it is bundled).
 */
async function bundled(
  entry: string,
  options: { precompile?: boolean; importEnv?: Record<string, string> } = {},
): Promise<{ result: BundleResult; handler: Handler }> {
  const { importEnv = {}, ...bundleOptions } = options;
  const name = `run-${++runs}`;
  const result = await bundle({
    entry,
    cwd: ROOT,
    out: path.join(dir, `${name}.zip`),
    ...bundleOptions,
  });
  const task = path.join(dir, name);
  await extractZip(await readFile(result.zipPath), task);
  // One process here loads several bundles: none may use the serializers another installed.
  delete (globalThis as Record<symbol, unknown>)[TABLE];
  Object.assign(process.env, importEnv);
  try {
    const module = (await import(pathToFileURL(path.join(task, "index.mjs")).href)) as {
      handler: Handler;
    };
    return { result, handler: module.handler };
  } finally {
    for (const key of Object.keys(importEnv)) delete process.env[key];
  }
}

/** What a handler does with a request: its answer, or the message of the error it throws. */
async function outcome(handler: Handler, target: string): Promise<Answer | string> {
  return handler(get(target), CONTEXT).then(
    ({ statusCode, body }) => ({ statusCode, body }),
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
}

const TARGETS = ["/user", "/shape", "/count", "/env", "/plain"];

/** What no bundle may hold: the run-time compiler, ajv and its helpers, the JSON Schema converter. */
function forbidden(input: string): boolean {
  return (
    input === "node_modules/fast-json-stringify/index.js" ||
    input === "node_modules/fast-json-stringify/lib/validator.js" ||
    /^node_modules\/(ajv|ajv-formats|fast-uri|@valibot\/to-json-schema)\//.test(input)
  );
}

describe("bundle: response serializers compiled ahead of time", () => {
  let source: Handler;
  let pre: { result: BundleResult; handler: Handler };

  before(async () => {
    source = ((await import("./apps/serializers-app.js")) as { handler: Handler }).handler;
    pre = await bundled(APP);
  });

  it("compiles every response schema the app registers but the union, which keeps its writer", () => {
    assert.equal(pre.result.precompiledSerializers, 3);
    assert.deepEqual(pre.result.warnings, []);
  });

  it("leaves fast-json-stringify's compiler, its validator, ajv and the converter out of the bundle", () => {
    const paths = pre.result.inputs.map((input) => input.path);
    assert.deepEqual(paths.filter(forbidden), []);
    assert.ok(paths.includes("node_modules/fast-json-stringify/lib/serializer.js"));
  });

  for (const target of TARGETS) {
    it(`answers GET ${target} exactly as the unbundled app does`, async () => {
      assert.deepEqual(await outcome(pre.handler, target), await outcome(source, target));
    });
  }

  it("drops undeclared keys and writes dates as ISO strings, as the runtime compiler does", async () => {
    const answer = await pre.handler(get("/user"), CONTEXT);
    assert.deepEqual(JSON.parse(answer.body), {
      name: "Ada",
      born: "1815-12-10T00:00:00.000Z",
      tags: ["math", "engines"],
      nick: null,
    });
  });

  it("refuses a value that does not fit, naming the route, as the run-time writer does", async () => {
    const result = await outcome(pre.handler, "/count");
    assert.match(
      String(result),
      /^GET \/count: the returned value does not fit the response schema/,
    );
  });

  it("leaves no scratch files behind", async () => {
    const cache = path.join(ROOT, "node_modules", ".cache", "aio-lambda-api");
    const left = await readdir(cache).catch(() => []);
    // Other test files bundle at the same time, in processes of their own: only this one's count.
    const own = [`precompile-${process.pid}-`, `collect-${process.pid}-`];
    assert.deepEqual(
      left.filter((name) => own.some((prefix) => name.startsWith(prefix))),
      [],
    );
  });

  it("with precompile off, writes with the schemas' writers and gives the same answers", async () => {
    const off = await bundled(APP, { precompile: false });
    assert.equal(off.result.precompiledSerializers, 0);
    const paths = off.result.inputs.map((input) => input.path);
    assert.deepEqual(paths.filter(forbidden), []);
    assert.ok(!paths.some((p) => p.startsWith("node_modules/fast-json-stringify/")));
    for (const target of TARGETS) {
      assert.deepEqual(await outcome(off.handler, target), await outcome(source, target), target);
    }
  });

  it("a schema the bundle did not see is written by its own writer", async () => {
    process.env.AIO_SPEC_WIDE = "1";
    try {
      const wide = await bundled(APP);
      // The bundle ran with the variable set too, so it saw the wide schema: this one is fine.
      assert.deepEqual(JSON.parse((await wide.handler(get("/env"), CONTEXT)).body), {
        a: "1",
        b: "2",
      });
    } finally {
      delete process.env.AIO_SPEC_WIDE;
    }
    // Bundled without the variable, run with it: /env registers a schema the bundle never saw.
    const narrow = await bundled(APP, { importEnv: { AIO_SPEC_WIDE: "1" } });
    assert.deepEqual(await outcome(narrow.handler, "/env"), {
      statusCode: 200,
      body: '{"a":"1","b":"2"}',
    });
    // The routes it did see still answer.
    assert.equal((await narrow.handler(get("/user"), CONTEXT)).statusCode, 200);
  });
});

describe("bundle: a response schema the bundle cannot key", () => {
  it("compiles the others, warns, and both routes answer", async () => {
    const made = await bundled("spec/cli/apps/lazy-schema-app.ts");
    assert.equal(made.result.precompiledSerializers, 1);
    assert.equal(made.result.warnings.length, 1);
    assert.match(made.result.warnings[0]!, /written at run time: part of its shape is a function/);
    const paths = made.result.inputs.map((input) => input.path);
    assert.deepEqual(paths.filter(forbidden), []);
    const lazy = await made.handler(get("/lazy"), CONTEXT);
    assert.deepEqual(JSON.parse(lazy.body), { a: "x" });
    const plain = await made.handler(get("/plain"), CONTEXT);
    assert.deepEqual(JSON.parse(plain.body), { b: 2 });
  });
});

describe("bundle: an app that cannot be imported at bundle time", () => {
  it("warns, and the function still answers with the schema's writer", async () => {
    const { result: made, handler } = await bundled(LAMBDA_ONLY, {
      importEnv: { AWS_LAMBDA_FUNCTION_NAME: "spec" },
    });
    assert.equal(made.precompiledSerializers, 0);
    assert.equal(made.warnings.length, 1);
    assert.match(
      made.warnings[0]!,
      /Response serializers are written at run time: importing .*lambda-only-app\.ts failed \(this module runs only in Lambda\)/,
    );
    assert.deepEqual(made.inputs.map((input) => input.path).filter(forbidden), []);
    const answer = await handler(get("/"), CONTEXT);
    assert.deepEqual(JSON.parse(answer.body), { ok: true });
  });
});
