// The size and load budget: fails when the app bundle outgrows its budget or a plain import loads what it must not.
//
// Run: npx tsx scripts/size-budget.ts   (npm run budget)
// 1. Bundles scripts/bench/apps/aio-log-on.ts (body validation, response schemas, access log on)
//    with our own `bundle()`, and fails when its gzip size passes BUDGET_GZIP_BYTES; the same
//    for the example app (examples/app.ts) and EXAMPLE_BUDGET_GZIP_BYTES.
// 2. Fails when `import "aio-lambda-api"` loads the CLI, esbuild, the AWS SDK, or
//    fast-json-stringify and its ajv dependencies. Checked two ways:
//    - statically: esbuild's metafile of lib/index.ts, following only static imports and
//      require() calls from the entry (a dynamic `import()` is where loading is deferred, and
//      esbuild inlines those into the same bundle, so "in the bundle" is not "loaded");
//    - at run time: lib/ transpiled file by file as the published dist/ is (scripts/build.mjs),
//      then a plain `node` process imports it, and the app above, with a resolve hook recording
//      every ES module and require's cache every CommonJS one (scripts/bench/load-trace.mjs).
//      The same tracer must see ajv when it imports fast-json-stringify, or the check is void.
// Exits 1 with the reasons, 0 with a summary.

import { execFileSync } from "node:child_process";
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";
import { bundle, formatBytes } from "../lib/cli/bundle.js";

/**
 * gzip bytes allowed for the app's bundle: 48.1 kB measured once `bundle` compiled response
 * serializers ahead of time (119.8 kB before), plus about 4%. Lower it as the bundle shrinks;
 * the performance target (docs/performance.md) is 15 kB.
 */
export const BUDGET_GZIP_BYTES = 50_000;
/** The same for the example app (examples/app.ts, which serves /docs too): 47.9 kB plus ~4%. */
export const EXAMPLE_BUDGET_GZIP_BYTES = 50_000;

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const APP = "scripts/bench/apps/aio-log-on.ts";
const TMP = path.join(ROOT, ".bench-tmp", "budget");
const TRACE = path.join(ROOT, "scripts", "bench", "load-trace.mjs");

const failures: string[] = [];
const print = (line: string) => process.stdout.write(`${line}\n`);

/** The package a path or URL is in (`@scope/name`, `name`), or undefined outside node_modules. */
function packageOf(file: string): string | undefined {
  const parts = file.split("/");
  const at = parts.lastIndexOf("node_modules");
  if (at === -1) return undefined;
  const name = parts[at + 1] ?? "";
  return name.startsWith("@") ? `${name}/${parts[at + 2] ?? ""}` : name;
}

/** fast-json-stringify and everything it depends on, by reading the installed manifests. */
async function closure(name: string, into = new Set<string>()): Promise<Set<string>> {
  if (into.has(name)) return into;
  into.add(name);
  const manifest = JSON.parse(
    await readFile(path.join(ROOT, "node_modules", name, "package.json"), "utf8"),
  ) as { dependencies?: Record<string, string> };
  for (const dep of Object.keys(manifest.dependencies ?? {})) await closure(dep, into);
  return into;
}

const ownDeps = Object.keys(
  (
    JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    }
  ).dependencies,
);
const serializerDeps = [...(await closure("fast-json-stringify"))].filter(
  (name) => name === "fast-json-stringify" || !ownDeps.includes(name),
);

/** Why a loaded file or package is forbidden at import, or undefined when it is allowed. */
function forbidden(file: string): string | undefined {
  const pkg = packageOf(file);
  if (pkg === undefined) return /(^|\/)lib\/cli\//.test(file) ? "the CLI" : undefined;
  if (pkg === "esbuild" || pkg.startsWith("@esbuild/")) return "esbuild";
  if (pkg.startsWith("@aws-sdk/") || pkg.startsWith("@smithy/")) return "the AWS SDK";
  if (serializerDeps.includes(pkg)) return "fast-json-stringify and its ajv dependencies";
  return undefined;
}

// 1. Size of the target app (validation, response schemas, access log on).
const result = await bundle({
  entry: APP,
  out: path.join(".bench-tmp", "budget", "app.zip"),
  cwd: ROOT,
});
const byPackage = new Map<string, number>();
for (const input of result.inputs) {
  // lib/events/rest.ts → lib/events; lib/pipeline.ts → lib/*.ts (the core's top-level files).
  const parts = input.path.split("/");
  // `namespace:name` is a module the bundle command made (the compiled serializers).
  const key =
    packageOf(input.path) ??
    (input.path.includes(":")
      ? input.path
      : parts.length > 2
        ? parts.slice(0, 2).join("/")
        : `${parts[0]}/*.ts`);
  byPackage.set(key, (byPackage.get(key) ?? 0) + input.bytes);
}
print(
  `${APP} bundled: ${formatBytes(result.bundleBytes)}, ${formatBytes(result.gzipBytes)} gzipped (budget ${formatBytes(BUDGET_GZIP_BYTES)})`,
);
print("  minified bytes by package:");
for (const [name, bytes] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 14)) {
  print(`    ${formatBytes(bytes).padStart(9)}  ${name}`);
}
if (result.gzipBytes > BUDGET_GZIP_BYTES) {
  failures.push(
    `${APP} bundles to ${result.gzipBytes} bytes gzipped, over the budget of ${BUDGET_GZIP_BYTES} (scripts/size-budget.ts BUDGET_GZIP_BYTES); find what grew in the list above`,
  );
}

// 1b. The example app (README's `npm start`), bundled as its users would.
const EXAMPLE = "examples/app.ts";
const example = await bundle({
  entry: EXAMPLE,
  out: path.join(".bench-tmp", "budget", "example.zip"),
  cwd: ROOT,
});
print(
  `${EXAMPLE} bundled: ${formatBytes(example.bundleBytes)}, ${formatBytes(example.gzipBytes)} gzipped (budget ${formatBytes(EXAMPLE_BUDGET_GZIP_BYTES)})`,
);
if (example.gzipBytes > EXAMPLE_BUDGET_GZIP_BYTES) {
  failures.push(
    `${EXAMPLE} bundles to ${example.gzipBytes} bytes gzipped, over the budget of ${EXAMPLE_BUDGET_GZIP_BYTES} (scripts/size-budget.ts EXAMPLE_BUDGET_GZIP_BYTES); \`npx aio-lambda-api bundle ${EXAMPLE}\` lists its largest inputs`,
  );
}

// 2a. Static imports reachable from lib/index.ts.
const meta: Metafile = (
  await build({
    absWorkingDir: ROOT,
    entryPoints: ["lib/index.ts"],
    bundle: true,
    platform: "node",
    format: "esm",
    write: false,
    metafile: true,
    outfile: "index.mjs",
    logLevel: "silent",
  })
).metafile;
const reached = new Set<string>(["lib/index.ts"]);
const queue = ["lib/index.ts"];
while (queue.length > 0) {
  for (const edge of meta.inputs[queue.pop()!]?.imports ?? []) {
    if (edge.kind === "dynamic-import" || reached.has(edge.path)) continue;
    reached.add(edge.path);
    queue.push(edge.path);
  }
}
const staticBad = [...reached].filter((file) => forbidden(file));
for (const file of staticBad) {
  failures.push(
    `lib/index.ts reaches ${file} by static imports (${forbidden(file)}): load it with import() where it is needed`,
  );
}
const staticPackages = [...new Set([...reached].map(packageOf).filter((p) => p !== undefined))];
print(`static imports of lib/index.ts reach ${staticPackages.sort().join(", ") || "no package"}`);

// 2b. What a plain node process loads.
await rm(path.join(TMP, "src"), { recursive: true, force: true });
const sources = (await readdir(path.join(ROOT, "lib"), { recursive: true }))
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
  .map((f) => path.join("lib", f));
await build({
  absWorkingDir: ROOT,
  entryPoints: [...sources, "scripts/bench/apps/aio-app.ts", APP],
  outdir: path.join(TMP, "src"),
  outbase: ROOT,
  bundle: false,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
});

function trace(target: string): string[] {
  const out = execFileSync(process.execPath, [TRACE, target], { cwd: ROOT, encoding: "utf8" });
  return (JSON.parse(out.trim().split("\n").pop()!) as { loaded: string[] }).loaded;
}

const control = trace("fast-json-stringify");
if (!control.some((file) => packageOf(file) === "ajv")) {
  failures.push(
    "the load tracer saw no ajv when importing fast-json-stringify: the run-time check cannot be trusted",
  );
}
for (const [what, target] of [
  ['import "aio-lambda-api"', path.join(TMP, "src", "lib", "index.js")],
  [`import of ${APP}`, path.join(TMP, "src", APP.replace(/\.ts$/, ".js"))],
] as const) {
  const loaded = trace(target);
  const packages = [...new Set(loaded.map(packageOf).filter((p) => p !== undefined))].sort();
  print(`${what} loads ${loaded.length} modules from ${packages.join(", ") || "no package"}`);
  for (const file of loaded.filter((f) => forbidden(f))) {
    failures.push(
      `${what} loads ${path.relative(ROOT, fileURLToPath(new URL(file, "file:///")))} (${forbidden(file)})`,
    );
  }
}

if (failures.length > 0) {
  process.stderr.write(`\nsize budget failed:\n${failures.map((f) => `  - ${f}`).join("\n")}\n`);
  process.exit(1);
}
print("size budget: ok");
