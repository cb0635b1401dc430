// The `aio-lambda-api` bin as a process: help, usage errors, exit codes, the bundle report, dev until a signal.

import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { BUNDLE_USAGE, DEV_USAGE, MAIN_USAGE } from "../../lib/cli/args.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const MAIN = path.join(ROOT, "lib/cli/main.ts");

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const children = new Set<ChildProcess>();

function start(args: readonly string[]): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
}

/** Runs the CLI to its end (killed after 30 s). */
function run(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = start(args);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(`aio-lambda-api ${args.join(" ")} did not end within 30 s; stderr:\n${stderr}`),
      );
    }, 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let dir: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "aio-main-"));
});

after(async () => {
  for (const child of children) child.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

describe("aio-lambda-api", () => {
  const help: [string[], string][] = [
    [["--help"], MAIN_USAGE],
    [["bundle", "--help"], BUNDLE_USAGE],
    [["dev", "--help"], DEV_USAGE],
  ];
  for (const [args, usage] of help) {
    it(`prints the usage for ${args.join(" ")} and exits 0`, async () => {
      const result = await run(args);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `${usage}\n`);
    });
  }

  for (const flag of ["--version", "-v"]) {
    it(`prints the version of package.json for ${flag} and exits 0`, async () => {
      const { version } = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as {
        version: string;
      };
      const result = await run([flag]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `${version}\n`);
      assert.equal(result.stderr, "");
    });
  }

  it("names the runtime it bundled for with --target nodejs22.x", async () => {
    const out = path.join(dir, "node22.zip");
    const result = await run([
      "bundle",
      "examples/app.ts",
      "--out",
      out,
      "--target",
      "nodejs22.x",
      "--no-precompile",
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.split("\n")[2], "  Lambda runtime: nodejs22.x");
  });

  it("refuses an unknown flag with the command's usage and exit code 2", async () => {
    const result = await run(["bundle", "examples/app.ts", "--bogus"]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^aio-lambda-api: Unknown option '--bogus'/);
    assert.ok(result.stderr.endsWith(`${BUNDLE_USAGE}\n`), result.stderr);
  });

  it("refuses a missing command with the general usage and exit code 2", async () => {
    const result = await run([]);
    assert.equal(result.code, 2);
    assert.ok(result.stderr.includes(MAIN_USAGE), result.stderr);
  });

  it("bundles the example, prints the report and exits 0", async () => {
    const out = path.join(dir, "function.zip");
    const result = await run(["bundle", "examples/app.ts", "--out", out]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split("\n");
    assert.match(
      lines[0]!,
      new RegExp(`^Wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(\\d+\\.\\d kB\\)$`),
    );
    assert.equal(lines[1], "  Lambda handler: index.handler");
    assert.equal(lines[2], "  Lambda runtime: nodejs24.x");
    assert.match(lines[3]!, /^ {2}index\.mjs: \d+\.\d kB, \d+\.\d kB gzipped$/);
    assert.equal(lines[4], "  response serializers compiled ahead of time: 2");
    assert.equal(lines[5], "  largest inputs:");
    assert.equal(lines.length, 16);
    assert.ok((await stat(out)).size > 0);
  });

  it("prints esbuild's errors with file and line, and exits 1, when the build fails", async () => {
    const entry = path.join(dir, "broken.ts");
    await writeFile(
      entry,
      'import { missing } from "./nowhere.js";\nexport const handler = missing;\n',
    );
    const result = await run(["bundle", entry, "--out", path.join(dir, "broken.zip")]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^aio-lambda-api: Bundling .*broken\.ts failed with 1 error\n/);
    assert.match(result.stderr, /broken\.ts:1:24:/);
    assert.match(result.stderr, /Could not resolve "\.\/nowhere\.js"/);
  });

  it("serves with dev until SIGTERM, then exits 0", async () => {
    const child = start(["dev", "examples/app.ts", "--port", "0"]);
    let stderr = "";
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`dev did not start within 30 s; stderr:\n${stderr}`)),
        30_000,
      );
      child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        const found = /on (http:\/\/127\.0\.0\.1:\d+) /.exec(stderr);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]!);
        }
      });
      child.on("exit", (code) => reject(new Error(`dev exited with ${code}; stderr:\n${stderr}`)));
    });
    const response = await fetch(`${url}/items/foo`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { id: "foo", item: "The Foo Wrestlers", q: null });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    assert.equal(await exited, 0);
    assert.match(stderr, /^GET \/items\/foo 200 \d+\.\d ms$/m);
  });
});
