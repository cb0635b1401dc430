// Lists every module a plain `import` of one file loads: ES modules through a resolve hook, CommonJS from require's cache.
//
// Run: node scripts/bench/load-trace.mjs <module path or package name>
// Prints one JSON line: { "loaded": [file URLs, node: builtins, and CommonJS file paths] }.
// This one file is both the program and its own hooks module: `register()` loads it again in
// the hooks thread, where only the hook exports run. Plain JavaScript for plain `node`, so no
// TypeScript loader (which loads esbuild itself) is in the traced process.

import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire, register } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { isMainThread } from "node:worker_threads";

let logFile;

/** Hooks thread: where to write each resolved URL. */
export async function initialize(data) {
  logFile = data.logFile;
}

/** Hooks thread: records every module the ES loader resolves (static and dynamic imports). */
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  appendFileSync(logFile, `${result.url}\n`);
  return result;
}

if (isMainThread && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const target = process.argv[2];
  const dir = mkdtempSync(path.join(tmpdir(), "load-trace-"));
  const file = path.join(dir, "resolved.txt");
  appendFileSync(file, "");
  register(import.meta.url, { data: { logFile: file } });
  const specifier =
    target.startsWith(".") || path.isAbsolute(target)
      ? pathToFileURL(path.resolve(target)).href
      : target;
  await import(specifier);
  const esm = readFileSync(file, "utf8").split("\n").filter(Boolean);
  rmSync(dir, { recursive: true, force: true });
  const cjs = Object.keys(createRequire(import.meta.url).cache);
  process.stdout.write(`${JSON.stringify({ loaded: [...new Set([...esm, ...cjs])] })}\n`);
}
