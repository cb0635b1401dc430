// One esbuild build of an entry for Lambda's Node runtime: its options, its errors with file and line, the exports it has.

import path from "node:path";
import type { BuildOptions, Message, Metafile } from "esbuild";
import type { BundleOptions } from "./bundle.js";
import { DEFAULT_LAMBDA_RUNTIME, lambdaRuntime, refusedTarget } from "./lambda-runtime.js";
import { lazyBuiltins } from "./lazy-builtins.js";
import type { Esbuild } from "./tools.js";

/** A bundle that could not be built: `details` holds esbuild's messages with file and line. */
export class BundleError extends Error {
  /** esbuild's messages, formatted (`src/app.ts:3:10: ...`), or the reason when esbuild had none. */
  readonly details: string;

  constructor(message: string, details: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BundleError";
    this.details = details;
  }
}

/** The imports kept out of every bundle unless asked: the SDK that Lambda's runtimes provide. */
export const AWS_SDK_EXTERNAL = "@aws-sdk/*";

// Lets CommonJS packages bundled into an ES module `require()` Node built-ins.
const ESM_REQUIRE_BANNER =
  'import { createRequire as __aioLambdaApiCreateRequire } from "node:module";\n' +
  "const require = __aioLambdaApiCreateRequire(import.meta.url);";

/** The runtime `options.target` names, or the default. */
export function runtimeOf(options: BundleOptions) {
  if (options.target === undefined) return DEFAULT_LAMBDA_RUNTIME;
  const runtime = lambdaRuntime(options.target);
  if (runtime === undefined) {
    const message = refusedTarget("target", String(options.target));
    throw new BundleError(message, `${message}\n`);
  }
  return runtime;
}

export function esbuildOptions(
  options: BundleOptions,
  cwd: string,
  outfile: string,
  format: "esm" | "cjs",
): BuildOptions {
  const external = [
    ...(options.bundleAwsSdk === true ? [] : [AWS_SDK_EXTERNAL]),
    ...(options.external ?? []),
  ];
  const minify = options.minify ?? true;
  return {
    absWorkingDir: cwd,
    entryPoints: [options.entry],
    outfile,
    bundle: true,
    platform: "node",
    target: runtimeOf(options).target,
    format,
    external,
    minify,
    keepNames: minify,
    sourcemap: options.sourcemap === true ? "linked" : false,
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: "silent",
    ...(format === "esm" ? { banner: { js: ESM_REQUIRE_BANNER }, plugins: [lazyBuiltins] } : {}),
  };
}

export async function formatted(
  esbuild: Esbuild,
  messages: Message[],
  kind: "error" | "warning",
): Promise<string[]> {
  return messages.length === 0 ? [] : esbuild.formatMessages(messages, { kind, color: false });
}

function isBuildFailure(
  error: unknown,
): error is Error & { errors: Message[]; warnings: Message[] } {
  return error instanceof Error && Array.isArray((error as { errors?: unknown }).errors);
}

export async function run(esbuild: Esbuild, options: BuildOptions, entry: string) {
  try {
    return await esbuild.build(options);
  } catch (error) {
    if (!isBuildFailure(error)) throw error;
    const details = await formatted(esbuild, error.errors, "error");
    const count = error.errors.length;
    throw new BundleError(
      `Bundling ${entry} failed with ${count} error${count === 1 ? "" : "s"}`,
      details.join(""),
      {
        cause: error,
      },
    );
  }
}

export function outputOf(metafile: Metafile, fileName: string): Metafile["outputs"][string] {
  const key = Object.keys(metafile.outputs).find((name) => path.basename(name) === fileName);
  const output = key === undefined ? undefined : metafile.outputs[key];
  if (output === undefined)
    throw new Error(`esbuild's metafile has no output named ${fileName}; expected one`);
  return output;
}

/**
 * The exports of the entry as an ES module. esbuild's metafile lists exports only for ESM
 * output, so a CJS bundle gets a second, unwritten ESM build to check its handler.
 */
export async function exportsOf(
  esbuild: Esbuild,
  options: BundleOptions,
  cwd: string,
  outfile: string,
  metafile: Metafile,
): Promise<string[]> {
  if ((options.format ?? "esm") === "esm")
    return outputOf(metafile, path.basename(outfile)).exports;
  const check = await run(
    esbuild,
    { ...esbuildOptions(options, cwd, outfile, "esm"), minify: false, sourcemap: false },
    options.entry,
  );
  return outputOf(check.metafile!, path.basename(outfile)).exports;
}
