// aio-lambda-api/esbuild: plain esbuild plus the plugin compiles the serializers ahead of time; without it the schemas' writers serve; neither bundle holds a compiler.

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { type BuildOptions, build, type Metafile, type Plugin, type PluginBuild } from "esbuild";
import { aioLambdaApi } from "../../lib/cli/esbuild.js";
import { fakeContext, fixture } from "../helpers/fixtures.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const APP = "spec/cli/esbuild-apps/fixture-app.ts";
const TABLE = Symbol.for("aio-lambda-api.precompiled-serializers");

type Answer = { statusCode: number; body: string };
type App = {
  handler: (event: unknown, context: unknown) => Promise<Answer>;
  api: { routes: readonly { name: string; serializer: { tier: string } }[] };
};

const owner = { id: "o1", name: "Ada" };
const item = (id: string) => ({
  id,
  born: "1815-12-10T00:00:00.000Z",
  tags: ["math", "engines"],
  owner,
  nick: null,
});

// [fixture, what the route answers]
const EVENTS: [Parameters<typeof fixture>[0], string, unknown][] = [
  ["apigw-http", "go-v2-no-authorizer", item("root")],
  ["function-url", "go-real-get-root", item("root")],
  ["alb", "powertools-py-single-value", [item("a"), item("b")]],
  ["apigw-rest", "powertools-ts-real-no-auth", { ok: true, owner }],
];

/** What no bundle may hold: the run-time compiler, ajv and its helpers, the JSON Schema converter. */
function forbidden(input: string): boolean {
  return (
    input === "node_modules/fast-json-stringify/index.js" ||
    input === "node_modules/fast-json-stringify/lib/validator.js" ||
    /^node_modules\/(ajv|ajv-formats|fast-uri|@valibot\/to-json-schema)\//.test(input)
  );
}

let dir: string;
let runs = 0;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "aio-esbuild-plugin-"));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Bundles `entry` as CDK, SAM and serverless-esbuild do (plus `plugins`), and loads the output
 * with `importEnv` set while it is loaded only (not while it is built).
 */
async function bundled(
  entry: string,
  format: "cjs" | "esm",
  plugins: Plugin[],
  importEnv: Record<string, string> = {},
) {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: "node",
    target: "node20",
    format,
    metafile: true,
    write: false,
    outfile: "index.js",
    logLevel: "silent",
    plugins,
  });
  const file = path.join(dir, `run-${++runs}.${format === "esm" ? "mjs" : "cjs"}`);
  await writeFile(file, result.outputFiles[0]!.contents);
  // One process loads several bundles: none may use the serializers another installed.
  delete (globalThis as Record<symbol, unknown>)[TABLE];
  Object.assign(process.env, importEnv);
  let app: App;
  try {
    app = (
      format === "esm" ? await import(pathToFileURL(file).href) : createRequire(file)(file)
    ) as App;
  } finally {
    for (const key of Object.keys(importEnv)) delete process.env[key];
  }
  const inputs = Object.keys((result.metafile as Metafile).inputs);
  return { app, inputs, warnings: result.warnings.map((w) => w.text) };
}

for (const format of ["cjs", "esm"] as const) {
  describe(`esbuild plugin (${format})`, () => {
    it("compiles every response schema into the bundle, with no compiler, ajv or converter", async () => {
      const { app, inputs, warnings } = await bundled(APP, format, [aioLambdaApi()]);
      assert.deepEqual(warnings, []);
      assert.deepEqual(inputs.filter(forbidden), []);
      assert.ok(inputs.includes("node_modules/fast-json-stringify/lib/serializer.js"));
      assert.ok(inputs.includes("aio-lambda-api-precompiled:serializers"));
      assert.deepEqual(
        app.api.routes.map((route) => [route.name, route.serializer.tier]),
        [
          ["GET /", "precompiled"],
          ["GET /lambda", "precompiled"],
          ["POST /no-auth", "precompiled"],
        ],
      );
      for (const [kind, name, json] of EVENTS) {
        const answer = await app.handler(fixture(kind, name), fakeContext());
        assert.deepEqual([answer.statusCode, answer.body], [200, JSON.stringify(json)], name);
      }
    });

    it("without the plugin: the schemas' writers answer the same, and still no compiler", async () => {
      const { app, inputs } = await bundled(APP, format, []);
      assert.deepEqual(inputs.filter(forbidden), []);
      assert.ok(!inputs.some((input) => input.startsWith("node_modules/fast-json-stringify/")));
      assert.deepEqual(
        app.api.routes.map((route) => route.serializer.tier),
        ["schema", "schema", "schema"],
      );
      for (const [kind, name, json] of EVENTS) {
        const answer = await app.handler(fixture(kind, name), fakeContext());
        assert.deepEqual([answer.statusCode, answer.body], [200, JSON.stringify(json)], name);
      }
    });
  });
}

describe("esbuild plugin: an entry that cannot be imported at build time", () => {
  it("warns through esbuild, and the bundle still answers with the schemas' writers", async () => {
    const { app, warnings } = await bundled(
      "spec/cli/apps/lambda-only-app.ts",
      "esm",
      [aioLambdaApi()],
      { AWS_LAMBDA_FUNCTION_NAME: "spec" },
    );
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0]!,
      /^Response serializers are written at run time: importing spec\/cli\/apps\/lambda-only-app\.ts failed \(this module runs only in Lambda\)/,
    );
    const answer = await app.handler(fixture("apigw-http", "go-v2-no-authorizer"), fakeContext());
    assert.deepEqual(JSON.parse(answer.body), { ok: true });
  });
});

describe("aio-lambda-api/esbuild", () => {
  it("exports exactly the plugin factory", async () => {
    assert.deepEqual(Object.keys(await import("../../lib/cli/esbuild.js")).sort(), [
      "aioLambdaApi",
    ]);
  });

  it("names its plugin, and does nothing for a build without entry points", () => {
    const plugin = aioLambdaApi();
    assert.equal(plugin.name, "aio-lambda-api");
    const options: BuildOptions = { stdin: { contents: "" } };
    plugin.setup({ initialOptions: options } as PluginBuild);
    assert.equal(options.inject, undefined);
  });
});
