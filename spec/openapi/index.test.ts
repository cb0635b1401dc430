// Pins the exports of aio-lambda-api/openapi, and proves the main entry never reaches it.

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
      "withDocs",
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

  it("is never reached from the main entry: no output esbuild makes of it holds lib/openapi", async () => {
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
    assert.ok(
      Object.values(outputs).some((out) => out.entryPoint === "lib/index.ts"),
      "the entry has an output",
    );
    // Neither a static import nor an import() of the entry may bring it: both put it in an output.
    assert.deepEqual(Object.keys(outputs).filter(holdsOpenApi), []);
  });
});
