// Response serializers compiled at bundle time: fast-json-stringify's standalone code goes into the bundle, its compiler and ajv stay out.
//
// The entry is built once to a scratch file and imported in a child process that collects every
// response schema the app registers (lib/serialize.ts) and converts each to JSON Schema
// (lib/cli/response-schema.ts); each is then compiled with fast-json-stringify's standalone mode
// into a module that installs them, keyed by lib/schema-key.ts, before the app's own code runs.
// Used by the `bundle` command and by the esbuild plugin (lib/cli/esbuild.ts).

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BuildOptions, Plugin } from "esbuild";
import type { Collected } from "./response-schema.js";
import { loadEsbuild } from "./tools.js";

/** What {@link precompileSerializers} found and made. */
export interface Precompiled {
  /** The esbuild plugin that resolves {@link TABLE} to the compiled serializers. */
  readonly plugin: Plugin;
  /** The entry's exports, re-exported by the module that replaces it. */
  readonly exports: readonly string[];
  /** How many response schemas were compiled ahead of time. */
  readonly count: number;
  /** Why some or all schemas are left to the run-time writer, when they are. */
  readonly warnings: readonly string[];
}

/** The serializers of one or more entries, as the source of the module that installs them. */
export interface SerializerTable {
  /** The module's source: empty when nothing was compiled. */
  readonly code: string;
  /** How many response schemas were compiled ahead of time. */
  readonly count: number;
  /** Why some or all schemas are left to the run-time writer, when they are. */
  readonly warnings: readonly string[];
  /** Each entry's exports (as the ESM scratch build saw them), by the entry as given. */
  readonly exports: ReadonlyMap<string, readonly string[]>;
}

/** The package root: `fast-json-stringify` resolves from here. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The import that stands for the module installing the compiled serializers. */
export const TABLE = "aio-lambda-api:serializers";
const NAMESPACE = "aio-lambda-api-precompiled";
/** How long importing the app may take before its schemas are left to the run-time writer. */
const IMPORT_TIMEOUT_MS = 30_000;

// Lets CommonJS packages bundled into the scratch ES module `require()` Node built-ins.
const ESM_REQUIRE_BANNER =
  'import { createRequire as __aioLambdaApiCreateRequire } from "node:module";\n' +
  "const require = __aioLambdaApiCreateRequire(import.meta.url);";

// The collector's program (lib/cli/response-schema.ts), bundled by esbuild so it runs in a plain
// Node process whether this package runs from its TypeScript sources or its build. It exits at
// once, so timers or servers the app starts do not keep it alive.
const CHILD = `import { collectResponseSchemas } from "./response-schema.js";
await collectResponseSchemas(process.argv[2], process.argv[3]);
process.exit(0);
`;

function runChild(program: string, file: string, out: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [program, pathToFileURL(file).href, out], {
      stdio: "ignore",
      timeout: IMPORT_TIMEOUT_MS,
    });
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

/** Imports the app built to `file` in a child process and returns its converted schemas. */
async function collect(program: string, file: string): Promise<Collected> {
  const out = `${file}.json`;
  const failed = await runChild(program, file, out);
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
  // What the standalone code requires (fast-json-stringify's small run-time serializer),
  // imported here so esbuild bundles it and the code's `require` finds it.
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

/** The esbuild plugin that resolves {@link TABLE} to `code`, or to `load()`'s when it is a function. */
export function tablePlugin(code: string | (() => Promise<SerializerTable>)): Plugin {
  return {
    name: NAMESPACE,
    setup(esbuild) {
      esbuild.onResolve({ filter: /^aio-lambda-api:serializers$/ }, () => ({
        path: "serializers",
        namespace: NAMESPACE,
      }));
      esbuild.onLoad({ filter: /.*/, namespace: NAMESPACE }, async () => {
        const made = typeof code === "string" ? { code, warnings: [] } : await code();
        return {
          contents: made.code,
          resolveDir: PACKAGE_ROOT,
          loader: "js",
          warnings: made.warnings.map((text) => ({ text })),
        };
      });
    },
  };
}

/**
 * Whether a JSON Schema holds a tuple (`items` as a list): fast-json-stringify refuses a tuple's
 * extra items and any item without a `type` (a literal), and writes the rest items of
 * `v.tupleWithRest` unfiltered, so tuples keep the run-time writer (lib/schema-writer.ts).
 */
function hasTuple(node: unknown): boolean {
  if (typeof node !== "object" || node === null) return false;
  if (Array.isArray(node)) return node.some(hasTuple);
  if (Array.isArray((node as { items?: unknown }).items)) return true;
  return Object.values(node).some(hasTuple);
}

/** Builds the collector's program (lib/cli/response-schema.ts) to `file`. */
async function buildChild(file: string): Promise<void> {
  const { build } = await loadEsbuild();
  await build({
    stdin: {
      contents: CHILD,
      resolveDir: path.dirname(fileURLToPath(import.meta.url)),
      loader: "ts",
    },
    outfile: file,
    bundle: true,
    platform: "node",
    format: "esm",
    target: `node${process.versions.node}`,
    banner: { js: ESM_REQUIRE_BANNER },
    logLevel: "silent",
    write: true,
  });
}

/**
 * Builds each entry to a scratch file, imports it in a child process to learn its response
 * schemas, and compiles each with fast-json-stringify's standalone mode. `options` are the
 * app's esbuild options: its entry, output, format and minification are set here. A schema that
 * cannot be compiled, or whose standalone code would need ajv (a union picks its option with a
 * validator), is left to the run-time writer; the first kind is named in `warnings`.
 */
export async function serializerTable(
  options: BuildOptions,
  entries: readonly string[],
  cwd: string,
): Promise<SerializerTable> {
  // Beside the app's node_modules, so the imports the bundle leaves external resolve as in Lambda.
  const dir = path.join(cwd, "node_modules", ".cache", "aio-lambda-api");
  // Named by process, so a process can tell its own scratch files from another's.
  const id = `${process.pid}-${randomBytes(6).toString("hex")}`;
  const program = path.join(dir, `collect-${id}.mjs`);
  await mkdir(dir, { recursive: true });
  const { build } = await loadEsbuild();
  const warnings: string[] = [];
  const exports = new Map<string, readonly string[]>();
  const compiled = new Map<string, string>();
  let fjs: Standalone | undefined;
  try {
    await buildChild(program);
    for (const [n, entry] of entries.entries()) {
      const file = path.join(dir, `precompile-${id}-${n}.mjs`);
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
          logLevel: "silent",
        }).catch(() => undefined);
        if (!result) {
          warnings.push(
            `Response serializers are not compiled ahead of time: building ${path.relative(cwd, entry)} failed`,
          );
          continue;
        }
        const output = Object.values(result.metafile!.outputs).find((o) => o.entryPoint);
        exports.set(entry, output?.exports ?? []);
        const found = await collect(program, file);
        if (found.error) {
          warnings.push(
            `Response serializers are written at run time: importing ${path.relative(cwd, entry)} failed (${found.error})`,
          );
        }
        for (const { key, schema, error } of found.schemas ?? []) {
          if (key === null) {
            warnings.push(
              "A response schema is written at run time: part of its shape is a function or a date (v.lazy, a function default, a transformation), which the bundle cannot key",
            );
            continue;
          }
          if (compiled.has(key)) continue;
          if (error !== undefined) {
            warnings.push(`A response schema is written at run time: ${error}`);
            continue;
          }
          fjs ??= (await import("fast-json-stringify")).default as unknown as Standalone;
          if (hasTuple(schema)) continue;
          try {
            const code = fjs(schema, { mode: "standalone" });
            // A union's standalone code picks its option with ajv: the run-time writer does
            // without, so ajv never enters the bundle.
            if (!code.includes("fast-json-stringify/lib/validator")) compiled.set(key, code);
          } catch (error) {
            warnings.push(`A response schema is written at run time: ${(error as Error).message}`);
          }
        }
      } finally {
        await rm(file, { force: true });
        await rm(`${file}.json`, { force: true });
      }
    }
  } finally {
    await rm(program, { force: true });
  }
  return { code: tableModule([...compiled]), count: compiled.size, warnings, exports };
}

/**
 * The `bundle` command's precompilation: the serializers of `entry` and the plugin that adds
 * them. Returns `undefined` when the build fails (the real build then reports why).
 */
export async function precompileSerializers(
  options: BuildOptions,
  entry: string,
  cwd: string,
): Promise<Precompiled | undefined> {
  const table = await serializerTable(options, [entry], cwd);
  const exports = table.exports.get(entry);
  if (exports === undefined) return undefined;
  return {
    plugin: tablePlugin(table.code),
    exports,
    count: table.count,
    warnings: table.warnings,
  };
}

/**
 * The entry esbuild builds instead of the app's: the serializers first, so they are installed
 * before the app registers its routes, then the app's exports under their own names.
 */
export function precompiledEntry(entry: string, exports: readonly string[]): string {
  const names = exports.map((name) => JSON.stringify(name)).join(", ");
  return `import ${JSON.stringify(TABLE)};\nexport { ${names} } from ${JSON.stringify(entry)};\n`;
}
