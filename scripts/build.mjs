// Compiles lib/ to dist/ for publishing: esbuild transpiles each file (not bundled), tsc writes the declarations.

import { spawnSync } from "node:child_process";
import { chmod, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
const lib = path.join(root, "lib");
const dist = path.join(root, "dist");
const bin = path.join(dist, "cli", "main.js");

/** Every source file of lib/, without tests and declaration files. */
async function sources() {
  const files = await readdir(lib, { recursive: true });
  return files
    .filter(
      (file) => file.endsWith(".ts") && !file.endsWith(".d.ts") && !/\.test(-d)?\.ts$/.test(file),
    )
    .sort()
    .map((file) => path.join(lib, file));
}

await rm(dist, { recursive: true, force: true });

const entryPoints = await sources();
// One output file per input: relative imports keep their `.js` suffix, as written.
await build({
  entryPoints,
  outdir: dist,
  outbase: lib,
  bundle: false,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
});

const tsc = spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
if (tsc.status !== 0) {
  console.error(`tsc -p tsconfig.build.json failed with exit code ${tsc.status ?? tsc.signal}`);
  process.exit(1);
}

// The package's bin: runnable by itself once installed.
const code = await readFile(bin, "utf8");
if (!code.startsWith("#!")) await writeFile(bin, `#!/usr/bin/env node\n${code}`);
await chmod(bin, 0o755);

console.log(`Built ${entryPoints.length} files of lib/ into dist/ (JS and .d.ts)`);
