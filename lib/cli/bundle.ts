// `aio-lambda-api bundle`: esbuild bundles an entry into one file for Lambda's Node runtime, zipped.

import { mkdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { LambdaNodeRuntime, LambdaTargetName } from "./lambda-runtime.js";

export { formatBundleReport, formatBytes } from "./bundle-report.js";
export { AWS_SDK_EXTERNAL, BundleError } from "./build.js";
import {
  BundleError,
  esbuildOptions,
  exportsOf,
  formatted,
  outputOf,
  run,
  runtimeOf,
} from "./build.js";
import { precompiledEntry, precompileSerializers } from "./precompile.js";
import { loadEsbuild, loadYazl } from "./tools.js";
import { createZip } from "./zip.js";

/** What to bundle and how. */
export interface BundleOptions {
  /** The file that exports the handler (`src/app.ts`), relative to `cwd`. */
  readonly entry: string;
  /**
   * The zip to write, relative to `cwd`.
   * @default "dist/function.zip"
   */
  readonly out?: string;
  /**
   * The exported handler; the Lambda handler setting is `index.<handler>`.
   * @default "handler"
   */
  readonly handler?: string;
  /**
   * `esm` writes `index.mjs`, `cjs` writes `index.js`.
   * @default "esm"
   */
  readonly format?: "esm" | "cjs";
  /**
   * The function's Lambda runtime, as an esbuild target (`node22`, `node24`) or a Lambda
   * identifier (`nodejs22.x`, `nodejs24.x`): esbuild writes syntax that runtime runs.
   * @default "node24" (nodejs24.x, the newest Node.js runtime Lambda offers)
   */
  readonly target?: LambdaTargetName;
  /**
   * Add the source map (`index.mjs.map`) to the zip. Node uses it when the function sets
   * `NODE_OPTIONS=--enable-source-maps`.
   * @default false
   */
  readonly sourcemap?: boolean;
  /**
   * Minify the bundle (function and class names are kept for stack traces and error types).
   * @default true
   */
  readonly minify?: boolean;
  /** Imports left out of the bundle, as esbuild patterns (`*` is a wildcard): `["pg-native"]`. */
  readonly external?: readonly string[];
  /**
   * Bundle `@aws-sdk/*` too. By default it stays external: Lambda's Node runtimes provide it.
   * @default false
   */
  readonly bundleAwsSdk?: boolean;
  /**
   * Compile response serializers now (fast-json-stringify's standalone mode) instead of on each
   * route's first call: the bundle imports the app once, in a child process, to find them.
   * @default true
   */
  readonly precompile?: boolean;
  /**
   * The directory that relative paths start from.
   * @default process.cwd()
   */
  readonly cwd?: string;
}

/** One input file of the bundle and the bytes it adds to it. */
export interface BundleInput {
  /** The path as esbuild reports it, relative to `cwd` (`node_modules/valibot/dist/index.js`). */
  readonly path: string;
  /** Bytes of the bundle that come from this file. */
  readonly bytes: number;
}

/** What {@link bundle} wrote. */
export interface BundleResult {
  /** The zip's absolute path. */
  readonly zipPath: string;
  /** The zip's size in bytes. */
  readonly zipBytes: number;
  /** The bundle's name inside the zip: `index.mjs` or `index.js`. */
  readonly fileName: string;
  /** The Lambda handler setting: `index.handler`. */
  readonly handlerSetting: string;
  /** The Lambda runtime setting the bundle was built for: `nodejs24.x`. */
  readonly runtime: LambdaNodeRuntime;
  /** The bundle's size in bytes. */
  readonly bundleBytes: number;
  /** The bundle's size gzipped (node:zlib, default level), in bytes. */
  readonly gzipBytes: number;
  /** The 10 inputs that add the most bytes, largest first. */
  readonly largestInputs: readonly BundleInput[];
  /** Every input, largest first. */
  readonly inputs: readonly BundleInput[];
  /** Response serializers compiled ahead of time (see {@link BundleOptions.precompile}). */
  readonly precompiledSerializers: number;
  /** The exports of the bundle. */
  readonly exports: readonly string[];
  /** esbuild's warnings, formatted with file and line. */
  readonly warnings: readonly string[];
}

/**
 * Bundles `options.entry` with esbuild into one file for a Lambda Node.js runtime (platform
 * node, the esbuild target of `options.target`, ESM as `index.mjs` by default or CJS as
 * `index.js`), checks that it exports the handler, and writes a zip holding just that file (and
 * its source map when asked).
 * Two runs on the same input write byte-identical zips.
 * @throws BundleError with esbuild's messages when the build fails or the handler is not exported.
 * @throws MissingToolError when esbuild or yazl (optional peer dependencies) is not installed.
 * @example
 * const result = await bundle({ entry: "src/app.ts", out: "dist/function.zip" });
 * console.log(result.handlerSetting); // "index.handler"
 */
export async function bundle(options: BundleOptions): Promise<BundleResult> {
  // Both tools before any work: a missing one is named at once, not after a build.
  const esbuild = await loadEsbuild();
  await loadYazl();
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const { runtime } = runtimeOf(options);
  const format = options.format ?? "esm";
  const handler = options.handler ?? "handler";
  const zipPath = path.resolve(cwd, options.out ?? "dist/function.zip");
  const fileName = format === "esm" ? "index.mjs" : "index.js";
  const entryPath = path.resolve(cwd, options.entry);
  const entryStat = await stat(entryPath).catch(() => undefined);
  if (!entryStat?.isFile()) {
    throw new BundleError(
      `Entry ${JSON.stringify(options.entry)} is not a file`,
      `expected a file at ${entryPath}\n`,
    );
  }
  // Never written: the files go straight into the zip. The path names them and the source map.
  const outfile = path.join(path.dirname(zipPath), fileName);
  const base = esbuildOptions(options, cwd, outfile, format);
  const pre =
    options.precompile === false
      ? undefined
      : await precompileSerializers(
          // This build is imported by a child of the running Node, whatever the function's runtime.
          {
            ...esbuildOptions(options, cwd, outfile, "esm"),
            target: `node${process.versions.node}`,
          },
          entryPath,
          cwd,
        );
  const result = await run(
    esbuild,
    pre === undefined
      ? base
      : {
          ...base,
          entryPoints: undefined,
          stdin: {
            contents: precompiledEntry(entryPath, pre.exports),
            resolveDir: cwd,
            loader: "js",
          },
          plugins: [...(base.plugins ?? []), pre.plugin],
        },
    options.entry,
  );
  const metafile = result.metafile!;
  const exports = await exportsOf(esbuild, options, cwd, outfile, metafile);
  if (!exports.includes(handler)) {
    const found =
      exports.length === 0 ? "nothing" : exports.map((x) => JSON.stringify(x)).join(", ");
    throw new BundleError(
      `${options.entry} does not export ${JSON.stringify(handler)}`,
      `expected an export named ${JSON.stringify(handler)} (set with --handler); the entry exports ${found}\n`,
    );
  }
  const files = result.outputFiles ?? [];
  const code = files.find((file) => path.basename(file.path) === fileName);
  if (code === undefined) throw new Error(`esbuild wrote no ${fileName}; expected one output file`);
  const map = files.find((file) => path.basename(file.path) === `${fileName}.map`);
  const zip = await createZip([
    { name: fileName, data: code.contents },
    ...(map === undefined ? [] : [{ name: `${fileName}.map`, data: map.contents }]),
  ]);
  await mkdir(path.dirname(zipPath), { recursive: true });
  await writeFile(zipPath, zip);
  const inputs = Object.entries(outputOf(metafile, fileName).inputs)
    .map(([input, { bytesInOutput }]) => ({ path: input, bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
  return {
    zipPath,
    zipBytes: zip.byteLength,
    fileName,
    handlerSetting: `index.${handler}`,
    runtime,
    bundleBytes: code.contents.byteLength,
    gzipBytes: gzipSync(code.contents).byteLength,
    largestInputs: inputs.slice(0, 10),
    inputs,
    exports,
    precompiledSerializers: pre?.count ?? 0,
    warnings: [
      ...(pre?.warnings ?? []).map((warning) => `▲ [WARNING] ${warning}\n`),
      ...(await formatted(esbuild, result.warnings, "warning")),
    ],
  };
}
