// Pins the exports of aio-lambda-api/cli, and checks that every subpath the package exports is built from a lib/ file.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import * as cli from "../../lib/cli/index.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

interface Manifest {
  exports: Record<string, string | { types: string; default: string }>;
  bin: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as Manifest;

/** The lib/ source scripts/build.mjs compiles to a dist/ file: dist/cli/index.js ← lib/cli/index.ts. */
function sourceOf(target: string): string {
  const match = /^\.\/dist\/(.+)\.(js|d\.ts)$/.exec(target);
  assert.ok(match, `${target} is not a .js or .d.ts file under ./dist/`);
  return path.join(ROOT, "lib", `${match[1]}.ts`);
}

describe("aio-lambda-api/cli", () => {
  it("exports exactly its public names", () => {
    assert.deepEqual(Object.keys(cli).sort(), [
      "AWS_SDK_EXTERNAL",
      "BundleError",
      "MissingToolError",
      "bundle",
      "formatBundleReport",
      "formatBytes",
    ]);
  });

  it("is a subpath export of the package, with its types", () => {
    assert.deepEqual(manifest.exports["./cli"], {
      types: "./dist/cli/index.d.ts",
      default: "./dist/cli/index.js",
    });
  });

  it("has every export and the bin built from a lib/ file that exists", () => {
    const targets = [
      ...Object.entries(manifest.exports)
        .filter(([subpath]) => subpath !== "./package.json")
        .flatMap(([, target]) =>
          typeof target === "string" ? [target] : [target.types, target.default],
        ),
      ...Object.values(manifest.bin),
    ];
    assert.ok(targets.includes("./dist/cli/index.js"));
    for (const target of targets) {
      assert.ok(
        existsSync(sourceOf(target)),
        `${target}: no ${path.relative(ROOT, sourceOf(target))}`,
      );
    }
  });
});
