// The CLI's tools (esbuild, yazl) as optional peers: a missing one is named with the command that installs it.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import {
  type Esbuild,
  INSTALL_TOOLS,
  loadEsbuild,
  loadYazl,
  MissingToolError,
  type Yazl,
} from "../../lib/cli/tools.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const MAIN = path.join(ROOT, "lib/cli/main.ts");

// A folder outside the repository with no node_modules above it: Node's own resolver fails there
// exactly as it does in a project that has not installed the tool.
let dir: string;
let hook: string;

/** A module in `dir` that imports `specifier`: importing it fails as a missing package does. */
async function importer(specifier: string): Promise<string> {
  const file = path.join(dir, `import-${specifier.replace(/\W/g, "-")}.mjs`);
  await writeFile(file, `export * from ${JSON.stringify(specifier)};\n`);
  return pathToFileURL(file).href;
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "aio-tools-"));
  // A resolve hook that resolves the tool named by MISSING_TOOL, when lib/cli/ imports it, from
  // `dir` instead: Node's resolver then throws its real "Cannot find package" error.
  hook = path.join(dir, "hide-tool.mjs");
  await writeFile(
    path.join(dir, "resolve-hook.mjs"),
    [
      `const from = ${JSON.stringify(pathToFileURL(path.join(dir, "x.mjs")).href)};`,
      "export async function resolve(specifier, context, next) {",
      "  const hidden = specifier === process.env.MISSING_TOOL && /\\/lib\\/cli\\//.test(context.parentURL ?? '');",
      "  return next(specifier, hidden ? { ...context, parentURL: from } : context);",
      "}",
      "",
    ].join("\n"),
  );
  await writeFile(
    hook,
    `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(path.join(dir, "resolve-hook.mjs")).href)});\n`,
  );
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node --import tsx <args>` from the repository with `tool` unresolvable from lib/cli/. */
function runWithout(tool: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--import", hook, ...args], {
      cwd: ROOT,
      env: { ...process.env, MISSING_TOOL: tool },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("MissingToolError", () => {
  it("names the missing tool and the command that installs both", () => {
    const error = new MissingToolError("esbuild");
    assert.equal(error.name, "MissingToolError");
    assert.equal(error.tool, "esbuild");
    assert.equal(
      error.message,
      "esbuild is not installed; the aio-lambda-api CLI (bundle, dev) needs esbuild and yazl, which are optional peer dependencies of aio-lambda-api. Install them in your project: npm install --save-dev esbuild yazl",
    );
    assert.equal(INSTALL_TOOLS, "npm install --save-dev esbuild yazl");
  });
});

describe("loadEsbuild", () => {
  it("loads the installed esbuild", async () => {
    const esbuild = await loadEsbuild();
    assert.equal(typeof esbuild.build, "function");
    assert.match(esbuild.version, /^\d+\.\d+\.\d+$/);
  });

  it("turns Node's 'Cannot find package' for esbuild into a MissingToolError", async () => {
    const url = await importer("esbuild");
    const error = await loadEsbuild(() => import(url) as Promise<Esbuild>).then(
      () => assert.fail("expected a MissingToolError"),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof MissingToolError, String(error));
    assert.equal(error.tool, "esbuild");
    assert.match(
      error.message,
      /^esbuild is not installed; .* npm install --save-dev esbuild yazl$/,
    );
    // The cause is Node's own error, kept for whoever wants the detail.
    assert.equal((error.cause as { code?: unknown }).code, "ERR_MODULE_NOT_FOUND");
    assert.match(String(error.cause), /Cannot find package 'esbuild'/);
  });

  it("does the same for require()'s 'Cannot find module'", async () => {
    const require = createRequire(path.join(dir, "x.cjs"));
    const error = await loadEsbuild(async () => require("esbuild") as Esbuild).catch(
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof MissingToolError, String(error));
    assert.equal((error.cause as { code?: unknown }).code, "MODULE_NOT_FOUND");
  });

  it("rethrows, unchanged, a package esbuild itself cannot find", async () => {
    // esbuild installed without its platform binary fails like this; installing esbuild again
    // is not the fix, so the error stays Node's.
    const url = await importer("@esbuild/no-such-platform");
    const error = await loadEsbuild(() => import(url) as Promise<Esbuild>).catch(
      (caught: unknown) => caught,
    );
    assert.ok(!(error instanceof MissingToolError));
    assert.match(String(error), /Cannot find package '@esbuild\/no-such-platform'/);
  });

  it("rethrows, unchanged, any other failure", async () => {
    const failure = new TypeError("boom");
    const error = await loadEsbuild(() => Promise.reject(failure)).catch(
      (caught: unknown) => caught,
    );
    assert.equal(error, failure);
  });
});

describe("loadYazl", () => {
  it("loads the installed yazl", async () => {
    const yazl = await loadYazl();
    assert.equal(typeof yazl.ZipFile, "function");
  });

  it("turns Node's 'Cannot find package' for yazl into a MissingToolError", async () => {
    const url = await importer("yazl");
    const error = await loadYazl(() => import(url) as Promise<Yazl>).catch(
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof MissingToolError, String(error));
    assert.equal(error.tool, "yazl");
    assert.match(error.message, /^yazl is not installed; /);
  });
});

describe("aio-lambda-api without its tools", () => {
  const cases: [tool: string, args: string[]][] = [
    ["esbuild", ["bundle", "examples/app.ts"]],
    ["yazl", ["bundle", "examples/app.ts"]],
    ["esbuild", ["dev", "examples/app.ts", "--port", "0"]],
  ];
  for (const [tool, args] of cases) {
    it(`${args[0]} without ${tool} prints what to install, no stack, and exits 1`, async () => {
      const result = await runWithout(tool, [MAIN, ...args]);
      assert.equal(result.code, 1, result.stderr);
      assert.equal(result.stdout, "");
      assert.equal(result.stderr, `aio-lambda-api: ${new MissingToolError(tool).message}\n`);
    });
  }

  it("lets aio-lambda-api/cli be imported, and its bundle() rejects with a MissingToolError", async () => {
    const script = path.join(dir, "use-bundle.mjs");
    await writeFile(
      script,
      [
        `const cli = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, "lib/cli/index.ts")).href)});`,
        'const error = await cli.bundle({ entry: "examples/app.ts" }).catch((caught) => caught);',
        "console.log(JSON.stringify([error instanceof cli.MissingToolError, error.tool]));",
        "",
      ].join("\n"),
    );
    const result = await runWithout("esbuild", [script]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '[true,"esbuild"]\n');
  });
});
