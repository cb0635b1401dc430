// Response serializers compiled at bundle time: fast-json-stringify's standalone code goes into the bundle, ajv stays out.
//
// The bundle command builds the entry once to a scratch file, imports it in a child process that
// collects every response schema the app registers (lib/serialize.ts), compiles each with
// fast-json-stringify's standalone mode, and hands esbuild a module that installs them before
// the app's own code runs. When every schema is compiled, the runtime compiler
// (fast-json-stringify with ajv, ~75 kB gzipped) is replaced by a stub and leaves the bundle.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BuildOptions, Plugin } from "esbuild";
import { loadEsbuild } from "./tools.js";

/** What {@link precompileSerializers} found and made. */
export interface Precompiled {
  /** The esbuild plugin that adds the compiled serializers (and leaves the runtime compiler out). */
  readonly plugin: Plugin;
  /** The entry's exports, re-exported by the module that replaces it. */
  readonly exports: readonly string[];
  /** How many response schemas were compiled ahead of time. */
  readonly count: number;
  /** Why some or all schemas are left to the runtime compiler, when they are. */
  readonly warnings: readonly string[];
}

/** The package root: `fast-json-stringify` resolves from here, as it does for lib/serialize.ts. */
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const NAMESPACE = "aio-lambda-api-precompiled";
const TABLE = "aio-lambda-api:serializers";
/** How long importing the app may take before its schemas are left to the runtime compiler. */
const IMPORT_TIMEOUT_MS = 30_000;

// Runs in the child: installs the collector lib/serialize.ts fills, imports the app, writes what
// it collected. It exits at once, so timers or servers the app starts do not keep it alive.
const CHILD = `
import { writeFileSync } from "node:fs";
const [url, out] = process.argv.slice(1);
const seen = [];
globalThis[Symbol.for("aio-lambda-api.collect-serializers")] = seen;
try {
  await import(url);
  writeFileSync(out, JSON.stringify({ schemas: seen }));
} catch (error) {
  writeFileSync(out, JSON.stringify({ error: String(error?.message ?? error).slice(0, 500) }));
}
process.exit(0);
`;

/** Each response schema's key (lib/schema-key.ts; null when it has none) and JSON Schema. */
type Collected = { schemas?: [string | null, Record<string, unknown>][]; error?: string };

function runChild(file: string, out: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--input-type=module", "-e", CHILD, pathToFileURL(file).href, out],
      { stdio: "ignore", timeout: IMPORT_TIMEOUT_MS },
    );
    child.on("error", (error) => resolve(error.message));
    child.on("exit", (code, signal) =>
      resolve(
        signal
          ? `importing it took longer than ${IMPORT_TIMEOUT_MS / 1000} s`
          : code
            ? `it exited with ${code}`
            : undefined,
      ),
    );
  });
}

/** Imports the app built to `file` in a child process and returns its response schemas. */
async function collect(file: string): Promise<Collected> {
  const out = `${file}.json`;
  const failed = await runChild(file, out);
  if (failed) return { error: failed };
  try {
    return JSON.parse(await readFile(out, "utf8")) as Collected;
  } catch {
    return { error: "it wrote no list of schemas" };
  }
}

type Standalone = (schema: unknown, options: { mode: "standalone" }) => string;

/** The module that installs the compiled serializers, keyed by lib/schema-key.ts. */
function tableModule(compiled: readonly [string, string][]): string {
  if (compiled.length === 0) return "";
  // What the standalone code requires (fast-json-stringify's serializer, and its validator for
  // some schemas), imported here so esbuild bundles it and the code's `require` finds it.
  const ids = new Set<string>();
  for (const [, code] of compiled) {
    for (const match of code.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)) ids.add(match[1]!);
  }
  const required = [...ids].sort();
  const lines = [
    ...required.map((id, i) => `import m${i} from ${JSON.stringify(id)};`),
    `const modules = { ${required.map((id, i) => `${JSON.stringify(id)}: m${i}`).join(", ")} };`,
    "const load = (id) => modules[id];",
    "const table = new Map();",
  ];
  for (const [key, code] of compiled) {
    // The standalone code is a CommonJS module; `require` here is the table above, not esbuild's.
    lines.push(
      `table.set(${JSON.stringify(key)}, ((require, module) => {\n${code}\nreturn module.exports;\n})(load, { exports: {} }));`,
    );
  }
  lines.push('globalThis[Symbol.for("aio-lambda-api.precompiled-serializers")] = table;');
  return lines.join("\n");
}

// The run-time compiler, when every schema was compiled: a schema the bundle did not see fails
// its route's first call with this error (the log shows it), not the whole function's start.
const STUB = `export default function () {
  throw new Error("aio-lambda-api: this response schema was not compiled into the bundle (the app registered a schema the bundle command did not see); bundle with --no-precompile to compile at run time");
}`;

function plugin(table: string, stubCompiler: boolean): Plugin {
  const own = (file: string) => file.startsWith(PACKAGE_ROOT + path.sep);
  return {
    name: NAMESPACE,
    setup(esbuild) {
      esbuild.onResolve({ filter: /^aio-lambda-api:serializers$/ }, () => ({
        path: "serializers",
        namespace: NAMESPACE,
      }));
      if (stubCompiler) {
        esbuild.onResolve({ filter: /^fast-json-stringify$/ }, (args) =>
          own(args.importer) ? { path: "compiler", namespace: NAMESPACE } : undefined,
        );
      }
      esbuild.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: args.path === "serializers" ? table : STUB,
        resolveDir: PACKAGE_ROOT,
        loader: "js",
      }));
    },
  };
}

/**
 * Builds `entry` to a scratch file, imports it in a child process to learn its response
 * schemas, and compiles each with fast-json-stringify's standalone mode. Returns `undefined`
 * when the build fails (the real build then reports why).
 */
export async function precompileSerializers(
  options: BuildOptions,
  entry: string,
  cwd: string,
): Promise<Precompiled | undefined> {
  // Beside the app's node_modules, so the imports the bundle leaves external resolve as in Lambda.
  const dir = path.join(cwd, "node_modules", ".cache", "aio-lambda-api");
  const file = path.join(dir, `precompile-${randomBytes(6).toString("hex")}.mjs`);
  await mkdir(dir, { recursive: true });
  const { build } = await loadEsbuild();
  try {
    const result = await build({
      ...options,
      entryPoints: [entry],
      outfile: file,
      format: "esm",
      minify: false,
      keepNames: false,
      sourcemap: false,
      write: true,
      metafile: true,
    }).catch(() => undefined);
    if (!result) return undefined;
    const output = Object.values(result.metafile!.outputs).find((o) => o.entryPoint);
    const exports = output?.exports ?? [];
    const found = await collect(file);
    const warnings: string[] = [];
    if (found.error)
      warnings.push(
        `Response serializers are compiled at run time: importing ${path.relative(cwd, entry)} failed (${found.error})`,
      );
    const compiled = new Map<string, string>();
    let left = 0;
    if (found.schemas && found.schemas.length > 0) {
      const fjs = (await import("fast-json-stringify")).default as unknown as Standalone;
      for (const [key, schema] of found.schemas) {
        if (key === null) {
          left++;
          warnings.push(
            "A response schema is compiled at run time: part of its shape is a function or a date (v.lazy, a function default, a transformation), which the bundle cannot key",
          );
          continue;
        }
        if (compiled.has(key)) continue;
        try {
          compiled.set(key, fjs(schema, { mode: "standalone" }));
        } catch (error) {
          left++;
          warnings.push(`A response schema is compiled at run time: ${(error as Error).message}`);
        }
      }
    }
    const everyOne = !found.error && left === 0;
    return {
      plugin: plugin(tableModule([...compiled]), everyOne),
      exports,
      count: compiled.size,
      warnings,
    };
  } finally {
    await rm(file, { force: true });
    await rm(`${file}.json`, { force: true });
  }
}

/**
 * The entry esbuild builds instead of the app's: the serializers first, so they are installed
 * before the app registers its routes, then the app's exports under their own names.
 */
export function precompiledEntry(entry: string, exports: readonly string[]): string {
  const names = exports.map((name) => JSON.stringify(name)).join(", ");
  return `import ${JSON.stringify(TABLE)};\nexport { ${names} } from ${JSON.stringify(entry)};\n`;
}
