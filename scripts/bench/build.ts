// Bundles every contestant as its users would: plain esbuild (cjs or esm, as CDK, SAM and serverless-esbuild run it), with our plugin, or our `bundle()`.

import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build, type Metafile, type Plugin } from "esbuild";
import { fromBufferPromise } from "yauzl";
import { AWS_SDK_EXTERNAL, bundle } from "../../lib/cli/bundle.js";
import type { Contestant } from "./contestants.js";
import { POWERTOOLS, POWERTOOLS_EXTERNAL } from "./unused.js";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Scratch space for bundles, profiles and job files (ignored by git). */
export const TMP = path.join(ROOT, ".bench-tmp");

/** One input of a bundle: its path as esbuild names it and the bytes it adds. */
export interface Input {
  readonly path: string;
  readonly bytes: number;
}

/** One contestant's bundle on disk, with its sizes. */
export interface Built {
  readonly id: string;
  /** The bundle's absolute path (`.bench-tmp/bench/bundles/middy-cjs.cjs`). */
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Bytes each input adds to the bundle, largest first. */
  readonly inputs: readonly Input[];
  /** Minified bytes the metafile gives Powertools Logger and the packages it brings. */
  readonly powertoolsBytes: number;
  /**
   * Ours only: gzip bytes of the same build with Powertools' packages left external, i.e. the
   * bundle besides Powertools Logger's own code.
   */
  readonly gzipBesidesPowertools?: number;
}

/**
 * How to build: minified as deployed, or for profiles minified but for identifiers (functions keep
 * their names; our `bundle()` keeps them anyway) with a source map.
 */
export interface BuildMode {
  readonly minify: boolean | "keep-identifiers";
  readonly sourcemap: boolean;
}

export const DEPLOYED: BuildMode = { minify: true, sourcemap: false };

// The banner users of an ESM bundle add so bundled CommonJS code can require Node built-ins
// (CDK's docs give the same one; ours adds its own, lib/cli/bundle.ts).
const ESM_REQUIRE_BANNER =
  'import { createRequire as __benchCreateRequire } from "node:module";\n' +
  "const require = __benchCreateRequire(import.meta.url);";

/** The app file of a contestant, relative to the repository root. */
export function appPath(contestant: Contestant): string {
  return path.join("scripts", "bench", "apps", contestant.file);
}

/** The bundle's file name: `.cjs` for CommonJS so `node` loads it as such whatever package.json says. */
export function bundleName(contestant: Contestant): string {
  return `${contestant.id}.${contestant.format === "cjs" ? "cjs" : "mjs"}`;
}

/** Reads one file out of a zip. */
async function unzipOne(zip: Buffer, name: string): Promise<Buffer> {
  const file = await fromBufferPromise(zip, { lazyEntries: true });
  return new Promise<Buffer>((resolve, reject) => {
    file.on("error", reject);
    file.on("end", () => reject(new Error(`the zip holds no ${name}; expected one`)));
    file.on("entry", (entry: { fileName: string }) => {
      if (entry.fileName !== name) {
        file.readEntry();
        return;
      }
      file
        .openReadStreamPromise(entry as Parameters<typeof file.openReadStreamPromise>[0])
        .then(async (stream) => {
          const chunks: Buffer[] = [];
          for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
          resolve(Buffer.concat(chunks));
        })
        .catch(reject);
    });
    file.readEntry();
  });
}

/** Every input of the metafile's one output, largest first. */
export function inputsOf(metafile: Metafile): Input[] {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  return Object.entries(output?.inputs ?? {})
    .map(([input, { bytesInOutput }]) => ({ path: input, bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
}

interface Made {
  readonly code: Buffer;
  readonly inputs: Input[];
}

/** Ours: `bundle()` of lib/cli/bundle.ts writes the Lambda zip; index.mjs is taken out of it. */
async function buildWithCli(
  contestant: Contestant,
  dir: string,
  mode: BuildMode,
  external: readonly string[] = [],
): Promise<Made> {
  const zipName = path.join(dir, `${contestant.id}${external.length > 0 ? "-ext" : ""}.zip`);
  const result = await bundle({
    entry: appPath(contestant),
    out: path.relative(ROOT, zipName),
    cwd: ROOT,
    minify: mode.minify !== false,
    sourcemap: mode.sourcemap,
    external,
  });
  const zip = await readFile(result.zipPath);
  const code = await unzipOne(zip, "index.mjs");
  if (mode.sourcemap && external.length === 0) {
    await writeFile(
      path.join(dir, `${bundleName(contestant)}.map`),
      await unzipOne(zip, "index.mjs.map"),
    );
  }
  await rm(result.zipPath);
  return { code, inputs: result.inputs.map((i) => ({ path: i.path, bytes: i.bytes })) };
}

/**
 * The esbuild options CDK NodejsFunction, SAM's esbuild builder and serverless-esbuild use:
 * bundle, minify, platform node, target node20, `@aws-sdk/*` left to the Lambda runtime.
 */
export function plainOptions(
  entry: string,
  outfile: string,
  format: "esm" | "cjs",
  mode: BuildMode = DEPLOYED,
): BuildOptions {
  return {
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format,
    ...(mode.minify === "keep-identifiers"
      ? { minifyWhitespace: true, minifySyntax: true }
      : { minify: mode.minify }),
    sourcemap: mode.sourcemap ? "linked" : false,
    sourcesContent: false,
    external: [AWS_SDK_EXTERNAL],
    ...(format === "esm" ? { banner: { js: ESM_REQUIRE_BANNER } } : {}),
    metafile: true,
    write: false,
    logLevel: "silent",
  };
}

/** Plain esbuild (with our plugin when given), as a user's own build runs it. */
async function buildPlain(
  contestant: Contestant,
  file: string,
  mode: BuildMode,
  plugin: Plugin | undefined,
  external: readonly string[] = [],
): Promise<Made> {
  const options = plainOptions(appPath(contestant), file, contestant.format, mode);
  const result = await build({
    ...options,
    external: [...(options.external ?? []), ...external],
    ...(plugin ? { plugins: [plugin] } : {}),
  });
  const outputs = result.outputFiles ?? [];
  const code = outputs.find((f) => f.path === file);
  if (!code || !result.metafile) throw new Error(`esbuild wrote no ${file} for ${contestant.id}`);
  const map = outputs.find((f) => f.path === `${file}.map`);
  if (map && external.length === 0) await writeFile(map.path, map.contents);
  return { code: Buffer.from(code.contents), inputs: inputsOf(result.metafile) };
}

function make(
  contestant: Contestant,
  file: string,
  mode: BuildMode,
  plugin: Plugin | undefined,
  external?: readonly string[],
): Promise<Made> {
  if (contestant.bundler === "cli")
    return buildWithCli(contestant, path.dirname(file), mode, external);
  if (contestant.bundler === "plugin" && !plugin) {
    throw new Error(`${contestant.id} is bundled with our esbuild plugin, but none was given`);
  }
  return buildPlain(
    contestant,
    file,
    mode,
    contestant.bundler === "plugin" ? plugin : undefined,
    external,
  );
}

/**
 * Bundles one contestant into `dir` (`<id>.cjs` or `<id>.mjs`) and measures it; ours a second
 * time with Powertools' packages external, for the size besides Powertools Logger.
 */
export async function buildContestant(
  contestant: Contestant,
  dir: string,
  mode: BuildMode = DEPLOYED,
  plugin?: Plugin,
): Promise<Built> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, bundleName(contestant));
  const { code, inputs } = await make(contestant, file, mode, plugin);
  await writeFile(file, code);
  let gzipBesidesPowertools: number | undefined;
  if (contestant.ours && mode.minify === true) {
    const rest = await make(contestant, file, mode, plugin, POWERTOOLS_EXTERNAL);
    gzipBesidesPowertools = gzipSync(rest.code).byteLength;
  }
  return {
    id: contestant.id,
    file,
    bytes: code.byteLength,
    gzipBytes: gzipSync(code).byteLength,
    inputs,
    powertoolsBytes: inputs.filter((i) => POWERTOOLS.test(i.path)).reduce((s, i) => s + i.bytes, 0),
    ...(gzipBesidesPowertools === undefined ? {} : { gzipBesidesPowertools }),
  };
}

/** Empty modules, ES and CommonJS: what the cold-start baseline processes load. */
export async function emptyModules(dir: string): Promise<{ esm: string; cjs: string }> {
  await mkdir(dir, { recursive: true });
  const esm = path.join(dir, "empty.mjs");
  const cjs = path.join(dir, "empty.cjs");
  await writeFile(esm, "export {};\n");
  await writeFile(cjs, "module.exports = {};\n");
  return { esm, cjs };
}
