// The dev CLI as a process: its temporary module removed whichever signal stops it, and where the app's access log goes.

import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

const ROOT = path.resolve(import.meta.dirname, "../..");
const MAIN = path.join(ROOT, "lib/cli/main.ts");

// A provided resource: once made, its SIGTERM hook disposes it and ends the process itself.
const APP = `
import { createApi } from ${JSON.stringify(path.join(ROOT, "lib/index.ts"))};
export const api = createApi()
  .provide("db", () => ({ name: "db" }), { dispose: () => {} })
  .get("/", ({ db }) => ({ db: db.name }));
export const handler = api.handler;
`;

const children = new Set<ChildProcess>();
let dir: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "aio-dev-signal-"));
  // The project root: the temporary module goes to its node_modules/.cache/aio-lambda-api/.
  await writeFile(path.join(dir, "package.json"), '{ "name": "signal-app", "type": "module" }\n');
  await writeFile(path.join(dir, "app.ts"), APP);
});

after(async () => {
  for (const child of children) child.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

interface Dev {
  readonly child: ChildProcess;
  readonly url: string;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

/** Starts `aio-lambda-api dev app.ts --port 0` and resolves once it serves. */
function startDev(): Promise<Dev> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", MAIN, "dev", path.join(dir, "app.ts"), "--port", "0"],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  children.add(child);
  child.on("exit", () => children.delete(child));
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`dev did not start within 30 s; stderr:\n${stderr}`));
    }, 30_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const found = /on (http:\/\/127\.0\.0\.1:\d+) /.exec(stderr);
      if (found) {
        clearTimeout(timer);
        resolve({ child, url: found[1]!, stdout: () => stdout, stderr: () => stderr });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`dev exited with ${code}; stderr:\n${stderr}`));
    });
  });
}

async function cacheFiles(): Promise<string[]> {
  const cache = path.join(dir, "node_modules", ".cache", "aio-lambda-api");
  const names = await readdir(cache).catch(() => [] as string[]);
  return names.filter((name) => /^dev-.*\.mjs$/.test(name));
}

/** The JSON lines of `text` with the given `status_code`. */
function accessLines(text: string, status: number): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.status_code === status);
}

describe("aio-lambda-api dev stopped by a signal", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`exits 0 on ${signal} and removes its module, after the app made a provided resource`, async () => {
      const dev = await startDev();
      const files = await cacheFiles();
      assert.equal(files.length, 1, `expected one dev module, found ${files.join(", ")}`);
      const response = await fetch(`${dev.url}/`);
      assert.deepEqual(await response.json(), { db: "db" });
      const exited = new Promise<[number | null, string | null]>((resolve) =>
        dev.child.once("exit", (code, by) => resolve([code, by])),
      );
      dev.child.kill(signal);
      assert.deepEqual(await exited, [0, null]);
      assert.deepEqual(await cacheFiles(), []);
    });
  }
});

describe("aio-lambda-api dev output", () => {
  it("writes access-log lines below WARN to stdout, and WARN and above to stderr", async () => {
    const dev = await startDev();
    try {
      assert.equal((await fetch(`${dev.url}/`)).status, 200);
      assert.equal((await fetch(`${dev.url}/missing`)).status, 404);
      const exited = new Promise((resolve) => dev.child.once("exit", resolve));
      dev.child.kill("SIGINT");
      await exited;
      const [info] = accessLines(dev.stdout(), 200);
      const [warn] = accessLines(dev.stderr(), 404);
      assert.equal(info?.level, "INFO", `no INFO line on stdout:\n${dev.stdout()}`);
      assert.equal(warn?.level, "WARN", `no WARN line on stderr:\n${dev.stderr()}`);
      assert.deepEqual(accessLines(dev.stdout(), 404), []);
      assert.deepEqual(accessLines(dev.stderr(), 200), []);
      assert.match(dev.stderr(), /^GET \/missing 404 \d+\.\d ms$/m);
    } finally {
      dev.child.kill("SIGKILL");
    }
  });
});
