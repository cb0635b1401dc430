// Multipart parsing speed, the figures behind the choice of parser: lib/form.ts (Node's built-in web FormData, undici) against @fastify/busboy; run `npx tsx scripts/bench-forms.ts`.
//
// The body: three fields (one repeated, one non-ASCII) and a 1 MiB file of random bytes holding
// 0xff, CRLF and "--". Warm part: both parsers on the same body in interleaved rounds, the
// median round printed with the ratio. Cold part: fresh node processes time loading the parser
// and its first parse, each bundled by esbuild as it ships in a Lambda zip (lib/form.ts adds no
// bytes for undici, which Node loads on first use of its globals), with the bytes each adds to a
// bundle. Correctness part: valid but unusual bodies, and what each parser reads of them. Not a
// test: no thresholds; absolute numbers depend on the machine.

import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { Busboy } from "@fastify/busboy";
import { buildSync } from "esbuild";
import { parseMultipart } from "../lib/form.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BOUNDARY = "----benchBoundary7MA4YWxkTrZu0gW";
const TYPE = `multipart/form-data; boundary=${BOUNDARY}`;
const ROUNDS = 7;
const OPS = 40;
const COLD_RUNS = 9;

function body(): { bytes: Buffer; file: Buffer } {
  const file = randomBytes(1024 * 1024);
  file.set([0xff, 0xfe, 0x0d, 0x0a, 0x2d, 0x2d], 0);
  const field = (name: string, value: string) =>
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const bytes = Buffer.concat([
    Buffer.from(field("title", "héllo") + field("tag", "a") + field("tag", "b")),
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="upload"; filename="résumé.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
  return { bytes, file };
}

/** busboy over a whole body: names → values (Files for file parts), in the order they end. */
function busboy(bytes: Uint8Array, type: string): Promise<Record<string, (string | File)[]>> {
  return new Promise((resolve, reject) => {
    const out: Record<string, (string | File)[]> = {};
    const add = (name: string, value: string | File) => {
      out[name] ??= [];
      out[name].push(value);
    };
    const parser = Busboy({ headers: { "content-type": type } });
    parser.on("field", (name: string, value: string) => add(name, value));
    parser.on("file", (name: string, stream: NodeJS.ReadableStream, filename: string) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => add(name, new File(chunks, filename)));
    });
    parser.on("error", reject);
    parser.on("finish", () => resolve(out));
    parser.end(bytes);
  });
}

// What lib/cli/bundle.ts adds, so CommonJS in an ES module bundle can require Node's built-ins.
const BANNER =
  'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);';

/** `source` bundled as one minified ESM file, as `bundle` puts it in a Lambda zip; its gzip bytes. */
function bundleTo(source: string, outfile: string): number {
  buildSync({
    stdin: { contents: source, resolveDir: ROOT, loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    minify: true,
    banner: { js: BANNER },
    outfile,
    logLevel: "error",
  });
  return gzipSync(readFileSync(outfile)).byteLength;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

async function warm(bytes: Buffer, file: Buffer): Promise<void> {
  const checks: [string, File][] = [
    ["lib/form.ts", (await parseMultipart(bytes, TYPE)).upload![0] as File],
    ["busboy", (await busboy(bytes, TYPE)).upload![0] as File],
  ];
  for (const [who, upload] of checks) {
    if (!Buffer.from(await upload.arrayBuffer()).equals(file))
      throw new Error(`${who} changed the file`);
  }
  const rounds: { own: number; other: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let start = performance.now();
    for (let i = 0; i < OPS; i++) await parseMultipart(bytes, TYPE);
    const own = (performance.now() - start) / OPS;
    start = performance.now();
    for (let i = 0; i < OPS; i++) await busboy(bytes, TYPE);
    rounds.push({ own, other: (performance.now() - start) / OPS });
  }
  const own = median(rounds.map((r) => r.own));
  const other = median(rounds.map((r) => r.other));
  console.log("warm, 1 MiB body with a file (median of rounds, ms per parse):");
  console.log(`  lib/form.ts (undici)   ${own.toFixed(3)}`);
  console.log(
    `  @fastify/busboy        ${other.toFixed(3)}   (${(other / own).toFixed(2)}× lib/form.ts)`,
  );
}

function cold(bytes: Buffer): void {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-forms-"));
  try {
    writeFileSync(path.join(dir, "body.bin"), bytes);
    const formBytes = bundleTo(
      'export { parseMultipart } from "./lib/form.ts";',
      path.join(dir, "form.mjs"),
    );
    const busboyBytes = bundleTo(
      'export { Busboy } from "@fastify/busboy";',
      path.join(dir, "busboy.mjs"),
    );
    const child = (code: string) => {
      const times: number[] = [];
      for (let run = 0; run < COLD_RUNS; run++) {
        const out = spawnSync(process.execPath, ["--input-type=module", "-e", code], {
          cwd: dir,
          encoding: "utf8",
        });
        if (out.status !== 0) throw new Error(out.stderr);
        times.push(Number(out.stdout.trim()));
      }
      return times;
    };
    const read = `import { readFileSync } from "node:fs"; const bytes = readFileSync("body.bin");`;
    const own = child(
      `${read} const t = performance.now(); const { parseMultipart } = await import("./form.mjs"); await parseMultipart(bytes, ${JSON.stringify(TYPE)}); console.log(performance.now() - t);`,
    );
    const other = child(
      `${read} const t = performance.now(); const { Busboy } = await import("./busboy.mjs"); await new Promise((done) => { const p = Busboy({ headers: { "content-type": ${JSON.stringify(TYPE)} } }); p.on("file", (n, s) => s.resume()); p.on("finish", done); p.end(bytes); }); console.log(performance.now() - t);`,
    );
    const show = (times: number[]) =>
      `median ${median(times).toFixed(1)} (${Math.min(...times).toFixed(1)}–${Math.max(...times).toFixed(1)})`;
    const kb = (n: number) => `${(n / 1000).toFixed(1)} kB gzipped`;
    console.log(`cold, load + first parse of the 1 MiB body, ${COLD_RUNS} fresh processes (ms):`);
    console.log(`  lib/form.ts (undici)   ${show(own)}   bundled ${kb(formBytes)}`);
    console.log(`  @fastify/busboy        ${show(other)}   bundled ${kb(busboyBytes)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function unusual(): Promise<void> {
  const b = "XyZ";
  const type = `multipart/form-data; boundary=${b}`;
  const part = (headers: string, value = "1") =>
    `--${b}\r\n${headers}\r\n\r\n${value}\r\n--${b}--\r\n`;
  const cases: [string, string][] = [
    [
      "the boundary's text inside a value",
      part('Content-Disposition: form-data; name="a"', `x--${b}y`),
    ],
    ["FORM-DATA and NAME in upper case", part('Content-Disposition: FORM-DATA; NAME="a"')],
    ["an unquoted name (RFC 2183 token)", part("Content-Disposition: form-data; name=a")],
    [
      "a preamble before the first boundary",
      `preamble\r\n${part('Content-Disposition: form-data; name="a"')}`,
    ],
    [
      "spaces after a boundary (RFC 2046 padding)",
      `--${b}  \r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--${b}--`,
    ],
    [
      "filename*=UTF-8''… (RFC 5987)",
      part(`Content-Disposition: form-data; name="f"; filename*=UTF-8''r%C3%A9sum%C3%A9`),
    ],
    ["a part without Content-Disposition", part("Content-Type: text/plain")],
  ];
  console.log("valid or unusual bodies (what each parser reads: the names, or REFUSES):");
  const names = (keys: Iterable<string>) => `reads {${[...new Set(keys)].join(", ")}}`;
  const tryRead = async (read: () => Promise<Record<string, unknown>>) => {
    try {
      return names(Object.keys(await read()));
    } catch {
      return "REFUSES";
    }
  };
  for (const [what, text] of cases) {
    const bytes = Buffer.from(text);
    const own = await tryRead(() => parseMultipart(bytes, type));
    const other = await tryRead(() => busboy(bytes, type));
    console.log(`  ${what.padEnd(45)} lib/form.ts ${own}, busboy ${other}`);
  }
}

const { bytes, file } = body();
await warm(bytes, file);
cold(bytes);
await unusual();
