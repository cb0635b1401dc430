// Pins the exports of aio-lambda-api/openapi, and proves the main entry reaches it only lazily.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";
import * as openapiModule from "../../lib/openapi/index.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("aio-lambda-api/openapi", () => {
  it("exports exactly its public names", () => {
    assert.deepEqual(Object.keys(openapiModule).sort(), [
      "DEFAULT_ASSETS",
      "SCALAR_VERSION",
      "SWAGGER_UI_VERSION",
      "deriveOperationId",
      "docsPaths",
      "openapi",
    ]);
  });

  it("is a subpath export of the package", () => {
    const pkg = JSON.parse(readFileSync(new URL("package.json", `file://${root}`), "utf8")) as {
      exports: Record<string, unknown>;
    };
    assert.deepEqual(pkg.exports["./openapi"], {
      types: "./dist/openapi/index.d.ts",
      default: "./dist/openapi/index.js",
    });
  });

  it("is reached from the main entry only through import(): esbuild keeps it out of the entry chunk", async () => {
    const result = await build({
      absWorkingDir: root,
      entryPoints: ["lib/index.ts"],
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      packages: "external",
      outdir: "out",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const outputs: Metafile["outputs"] = result.metafile.outputs;
    const holdsOpenApi = (out: string) =>
      Object.keys(outputs[out]?.inputs ?? {}).some((input) => input.startsWith("lib/openapi/"));
    const entry = Object.keys(outputs).find((out) => outputs[out]?.entryPoint === "lib/index.ts");
    assert.ok(entry, "the entry has an output");
    // Everything the entry loads when imported: its static imports, transitively.
    const loaded = new Set<string>();
    const visit = (out: string) => {
      if (loaded.has(out)) return;
      loaded.add(out);
      for (const imported of outputs[out]?.imports ?? []) {
        if (imported.kind === "import-statement" && imported.path in outputs) visit(imported.path);
      }
    };
    visit(entry);
    assert.deepEqual(
      [...loaded].filter(holdsOpenApi),
      [],
      "no statically loaded chunk holds lib/openapi",
    );
    const lazy = Object.values(outputs).flatMap((out) =>
      out.imports.filter((i) => i.kind === "dynamic-import" && holdsOpenApi(i.path)),
    );
    assert.ok(lazy.length > 0, "lib/openapi is in a chunk loaded by import()");
  });
});
