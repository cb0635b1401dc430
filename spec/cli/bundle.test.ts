// `bundle`: one file for Lambda's Node runtime, checked exports, externals, reproducible zips, clear build errors.

import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import type { BundleResult } from "../../lib/cli/bundle.js";
import { BundleError, bundle, formatBundleReport, formatBytes } from "../../lib/cli/bundle.js";
import { httpApiEvent } from "../../lib/cli/dev-event.js";
import { extractZip, readZip } from "../helpers/runtime-api.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const EXAMPLE = "examples/app.ts";

let dir: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "aio-bundle-"));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function bundleExample(
  name: string,
  options: Partial<Parameters<typeof bundle>[0]> = {},
): Promise<BundleResult> {
  return bundle({ entry: EXAMPLE, cwd: ROOT, out: path.join(dir, name), ...options });
}

async function rejection(promise: Promise<unknown>): Promise<BundleError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof BundleError, `expected a BundleError, got ${String(error)}`);
  return error;
}

describe("bundle", () => {
  describe("the example app as ESM (the default)", () => {
    let result: BundleResult;

    before(async () => {
      result = await bundleExample("esm.zip");
    });

    it("writes a zip holding only index.mjs and names the handler setting index.handler", async () => {
      assert.equal(result.zipPath, path.join(dir, "esm.zip"));
      assert.equal(result.fileName, "index.mjs");
      assert.equal(result.handlerSetting, "index.handler");
      const entries = await readZip(await readFile(result.zipPath));
      assert.deepEqual(
        entries.map((entry) => entry.name),
        ["index.mjs"],
      );
      assert.equal(result.zipBytes, (await readFile(result.zipPath)).byteLength);
    });

    it("reports the bundle's size, its gzip size and the exports", async () => {
      const [code] = await readZip(await readFile(result.zipPath));
      assert.equal(result.bundleBytes, code!.data.byteLength);
      assert.equal(result.gzipBytes, gzipSync(code!.data).byteLength);
      assert.ok(result.gzipBytes < result.bundleBytes);
      assert.deepEqual([...result.exports].sort(), ["api", "handler", "streamingHandler"]);
    });

    it("lists the 10 largest inputs, largest first, out of every input", () => {
      assert.equal(result.largestInputs.length, 10);
      assert.deepEqual(result.largestInputs, result.inputs.slice(0, 10));
      for (let i = 1; i < result.inputs.length; i++)
        assert.ok(result.inputs[i - 1]!.bytes >= result.inputs[i]!.bytes);
      const paths = result.inputs.map((input) => input.path);
      assert.ok(paths.includes("examples/app.ts"), paths.join("\n"));
      assert.ok(paths.includes("lib/index.ts") || paths.includes("lib/api.ts"), paths.join("\n"));
      assert.ok(
        paths.some((p) => p.startsWith("node_modules/valibot/")),
        paths.join("\n"),
      );
    });

    it("runs as an ES module whose handler answers an HTTP API event", async () => {
      const task = path.join(dir, "esm-task");
      await extractZip(await readFile(result.zipPath), task);
      const module = (await import(pathToFileURL(path.join(task, "index.mjs")).href)) as {
        handler: (
          event: unknown,
          context: unknown,
        ) => Promise<{ statusCode: number; body: string }>;
      };
      const event = httpApiEvent({
        method: "GET",
        target: "/items/foo?q=1",
        headers: [["Host", "example.com"]],
        body: new Uint8Array(),
        sourceIp: "203.0.113.1",
        port: 443,
        time: Date.now(),
      });
      const answer = await module.handler(event, {
        awsRequestId: "r1",
        getRemainingTimeInMillis: () => 30_000,
      });
      assert.equal(answer.statusCode, 200);
      assert.deepEqual(JSON.parse(answer.body), { id: "foo", item: "The Foo Wrestlers", q: "1" });
    });

    it("prints a report with the zip, the handler setting, the sizes and the largest inputs", () => {
      const report = formatBundleReport(result, dir);
      const lines = report.trimEnd().split("\n");
      assert.equal(lines[0], `Wrote esm.zip (${formatBytes(result.zipBytes)})`);
      assert.equal(lines[1], "  Lambda handler: index.handler");
      assert.equal(lines[2], "  Lambda runtime: nodejs24.x");
      assert.equal(
        lines[3],
        `  index.mjs: ${formatBytes(result.bundleBytes)}, ${formatBytes(result.gzipBytes)} gzipped`,
      );
      assert.equal(lines[4], "  response serializers compiled ahead of time: 2");
      assert.equal(lines[5], "  largest inputs:");
      assert.equal(lines.length, 6 + 10);
      assert.match(
        lines[6]!,
        new RegExp(
          `^ +${formatBytes(result.inputs[0]!.bytes).replace(".", "\\.")}  ${result.inputs[0]!.path}$`,
        ),
      );
    });
  });

  it("writes byte-identical zips for the same input", async () => {
    for (const format of ["esm", "cjs"] as const) {
      const first = await bundleExample(`same-1-${format}.zip`, { format, sourcemap: true });
      const second = await bundleExample(`same-2-${format}.zip`, { format, sourcemap: true });
      const a = await readFile(first.zipPath);
      const b = await readFile(second.zipPath);
      assert.equal(Buffer.compare(a, b), 0, `${format} zips differ`);
    }
  });

  it("writes index.js as CommonJS with --format cjs, and its source map with --sourcemap", async () => {
    const result = await bundleExample("cjs.zip", { format: "cjs", sourcemap: true });
    assert.equal(result.fileName, "index.js");
    assert.equal(result.handlerSetting, "index.handler");
    const entries = await readZip(await readFile(result.zipPath));
    assert.deepEqual(
      entries.map((entry) => entry.name),
      ["index.js", "index.js.map"],
    );
    const code = entries[0]!.data.toString("utf8");
    assert.ok(code.includes("module.exports="), "no module.exports in the CJS bundle");
    assert.ok(
      code.trimEnd().endsWith("//# sourceMappingURL=index.js.map"),
      `the bundle ends with ${JSON.stringify(code.slice(-80))}`,
    );
    const map = JSON.parse(entries[1]!.data.toString("utf8")) as { sources: string[] };
    assert.ok(
      map.sources.some((source) => source.endsWith("examples/app.ts")),
      map.sources.join("\n"),
    );
  });

  it("keeps the bundle readable with minify off", async () => {
    const minified = await bundleExample("min.zip");
    const readable = await bundleExample("readable.zip", { minify: false });
    assert.ok(readable.bundleBytes > minified.bundleBytes);
    const [code] = await readZip(await readFile(readable.zipPath));
    // esbuild marks each input with a comment unless it minifies.
    assert.ok(
      code!.data.toString("utf8").includes("\n// examples/app.ts\n"),
      "no input comment in the readable bundle",
    );
  });

  for (const format of ["esm", "cjs"] as const) {
    it(`refuses an entry that does not export the handler, naming what it exports (${format})`, async () => {
      const error = await rejection(
        bundleExample(`no-handler-${format}.zip`, { handler: "main", format }),
      );
      assert.equal(error.message, `${EXAMPLE} does not export "main"`);
      assert.match(
        error.details,
        /expected an export named "main" \(set with --handler\); the entry exports .*"handler"/,
      );
    });
  }

  it("reports a build error with esbuild's message, file and line", async () => {
    const entry = path.join(dir, "broken.ts");
    await writeFile(
      entry,
      'export const handler = async () => {\n  return { statusCode: 200 body: "x" };\n};\n',
    );
    const error = await rejection(bundle({ entry, cwd: dir, out: path.join(dir, "broken.zip") }));
    assert.equal(error.message, `Bundling ${entry} failed with 1 error`);
    assert.match(error.details, /broken\.ts:2:\d+:/);
    assert.match(error.details, /Expected "}" but found "body"/);
  });

  it("builds for the newest Lambda runtime by default, and for the one target names", async () => {
    const rows: [Parameters<typeof bundle>[0]["target"], string][] = [
      [undefined, "nodejs24.x"],
      ["node24", "nodejs24.x"],
      ["nodejs24.x", "nodejs24.x"],
      ["node22", "nodejs22.x"],
      ["nodejs22.x", "nodejs22.x"],
    ];
    for (const [target, runtime] of rows) {
      const result = await bundleExample(`target-${target}.zip`, { target, precompile: false });
      assert.equal(result.runtime, runtime, `target ${target}`);
    }
  });

  it("refuses a target that is not a Lambda runtime, naming the ones it takes", async () => {
    const error = await rejection(
      bundleExample("node20.zip", { target: "nodejs20.x" as "nodejs22.x" }),
    );
    assert.equal(
      error.message,
      'target must be one of node24, node22, nodejs24.x, nodejs22.x, got "nodejs20.x" (Node.js 20 is end-of-life on Lambda: use node22 or node24)',
    );
  });

  it("reports an entry that is not a file", async () => {
    const error = await rejection(bundle({ entry: "nope.ts", cwd: dir }));
    assert.equal(error.message, 'Entry "nope.ts" is not a file');
  });

  describe("external imports", () => {
    let project: string;

    before(async () => {
      project = path.join(dir, "project");
      for (const name of ["@aws-sdk/client-fake", "left-out"]) {
        const pkg = path.join(project, "node_modules", name);
        await mkdir(pkg, { recursive: true });
        await writeFile(
          path.join(pkg, "package.json"),
          JSON.stringify({ name, version: "1.0.0", main: "index.js" }),
        );
        await writeFile(
          path.join(pkg, "index.js"),
          `exports.marker = ${JSON.stringify(`${name} was bundled`)};\n`,
        );
      }
      await writeFile(
        path.join(project, "app.ts"),
        'import { marker } from "@aws-sdk/client-fake";\nimport { marker as other } from "left-out";\nexport const handler = async () => marker + other;\n',
      );
    });

    async function code(result: BundleResult): Promise<string> {
      const [file] = await readZip(await readFile(result.zipPath));
      return file!.data.toString("utf8");
    }

    it("leaves @aws-sdk/* to the runtime by default", async () => {
      const result = await bundle({
        entry: "app.ts",
        cwd: project,
        out: "sdk-external.zip",
        minify: false,
      });
      const text = await code(result);
      assert.match(text, /from "@aws-sdk\/client-fake"/);
      assert.doesNotMatch(text, /@aws-sdk\/client-fake was bundled/);
      assert.match(text, /left-out was bundled/);
    });

    it("bundles @aws-sdk/* with bundleAwsSdk", async () => {
      const result = await bundle({
        entry: "app.ts",
        cwd: project,
        out: "sdk-bundled.zip",
        minify: false,
        bundleAwsSdk: true,
      });
      const text = await code(result);
      assert.match(text, /@aws-sdk\/client-fake was bundled/);
      assert.ok(
        result.inputs.some((input) => input.path === "node_modules/@aws-sdk/client-fake/index.js"),
      );
    });

    it("leaves out what --external names", async () => {
      const result = await bundle({
        entry: "app.ts",
        cwd: project,
        out: "left-out.zip",
        minify: false,
        external: ["left-*"],
      });
      const text = await code(result);
      assert.match(text, /from "left-out"/);
      assert.doesNotMatch(text, /left-out was bundled/);
    });
  });
});

describe("formatBytes", () => {
  const rows: [number, string][] = [
    [0, "0 B"],
    [999, "999 B"],
    [1000, "1.0 kB"],
    [123_456, "123.5 kB"],
    [1_234_567, "1.23 MB"],
  ];
  for (const [bytes, text] of rows) {
    it(`shows ${bytes} bytes as ${text}`, () => {
      assert.equal(formatBytes(bytes), text);
    });
  }
});
