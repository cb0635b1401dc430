// Bundles every contestant as its users would: ours through our own `bundle()`, peers with esbuild.

import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";
import { fromBufferPromise } from "yauzl";
import { AWS_SDK_EXTERNAL, bundle } from "../../lib/cli/bundle.js";
import type { Contestant } from "./contestants.js";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Scratch space for bundles, profiles and job files (ignored by git). */
export const TMP = path.join(ROOT, ".bench-tmp");

/** One contestant's bundle on disk, with its sizes. */
export interface Built {
  readonly id: string;
  /** The bundle's absolute path (`.bench-tmp/bundles/middy.mjs`). */
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Bytes each input adds to the bundle, largest first. */
  readonly inputs: readonly { path: string; bytes: number }[];
}

/** How to build: minified as deployed, or readable with a source map for profiles. */
export interface BuildMode {
  readonly minify: boolean;
  readonly sourcemap: boolean;
}

export const DEPLOYED: BuildMode = { minify: true, sourcemap: false };

// The banner users of an ESM bundle add so bundled CommonJS code can require Node built-ins
// (ours adds the same one itself, lib/cli/bundle.ts).
const ESM_REQUIRE_BANNER =
  'import { createRequire as __benchCreateRequire } from "node:module";\n' +
  "const require = __benchCreateRequire(import.meta.url);";

/** The app file of a contestant, relative to the repository root. */
export function appPath(contestant: Contestant): string {
  return path.join("scripts", "bench", "apps", contestant.app);
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

function inputsOf(metafile: Metafile): { path: string; bytes: number }[] {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  return Object.entries(output?.inputs ?? {})
    .map(([input, { bytesInOutput }]) => ({ path: input, bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes);
}

/** Ours: `bundle()` of lib/cli/bundle.ts writes the Lambda zip; index.mjs is taken out of it. */
async function buildOurs(contestant: Contestant, dir: string, mode: BuildMode) {
  const zipName = path.join(dir, `${contestant.id}.zip`);
  const result = await bundle({
    entry: appPath(contestant),
    out: path.relative(ROOT, zipName),
    cwd: ROOT,
    minify: mode.minify,
    sourcemap: mode.sourcemap,
  });
  const zip = await readFile(result.zipPath);
  const code = await unzipOne(zip, "index.mjs");
  if (mode.sourcemap) {
    await writeFile(
      path.join(dir, `${contestant.id}.mjs.map`),
      await unzipOne(zip, "index.mjs.map"),
    );
  }
  await rm(result.zipPath);
  return { code, inputs: result.inputs.map((i) => ({ path: i.path, bytes: i.bytes })) };
}

/** Peers: esbuild, platform node, ESM, minified, `@aws-sdk/*` left to the Lambda runtime. */
async function buildPeer(contestant: Contestant, file: string, mode: BuildMode) {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [appPath(contestant)],
    outfile: file,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    minify: mode.minify,
    sourcemap: mode.sourcemap ? "linked" : false,
    sourcesContent: false,
    external: [AWS_SDK_EXTERNAL],
    banner: { js: ESM_REQUIRE_BANNER },
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles.find((f) => f.path === file);
  if (!code) throw new Error(`esbuild wrote no ${file} for ${contestant.id}`);
  const map = result.outputFiles.find((f) => f.path === `${file}.map`);
  if (map) await writeFile(map.path, map.contents);
  return { code: Buffer.from(code.contents), inputs: inputsOf(result.metafile) };
}

/** Bundles one contestant into `dir` (`<id>.mjs`), and measures it. */
export async function buildContestant(
  contestant: Contestant,
  dir: string,
  mode: BuildMode = DEPLOYED,
): Promise<Built> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${contestant.id}.mjs`);
  const { code, inputs } =
    contestant.bundler === "cli"
      ? await buildOurs(contestant, dir, mode)
      : await buildPeer(contestant, file, mode);
  await writeFile(file, code);
  return {
    id: contestant.id,
    file,
    bytes: code.byteLength,
    gzipBytes: gzipSync(code).byteLength,
    inputs,
  };
}

/** An empty module: what the cold-start baseline process imports. */
export async function emptyModule(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, "empty.mjs");
  await writeFile(file, "export {};\n");
  return file;
}
