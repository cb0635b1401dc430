// Multipart parsing for issue 12: lib/form.ts against Node's built-in `Request.formData()` (undici); run `npx tsx scripts/bench-forms.ts`.
//
// The body: three fields (one repeated, one non-ASCII) and a 1 MiB file of random bytes holding
// 0xff, CRLF and "--". Warm part: both parsers on the same body in interleaved rounds, the
// median round printed with the ratio. Cold part: fresh node processes time loading the parser
// and its first parse (lib/form.ts bundled by esbuild, as it ships in a Lambda zip; undici is
// loaded by Node on first use of its globals). Correctness part: the edge cases where the two
// disagree. Not a test: no thresholds; absolute numbers depend on the machine.

import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
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

const undici = (bytes: Uint8Array) =>
  new Request("http://bench/", { method: "POST", body: bytes, headers: { "content-type": TYPE } })
    .formData()
    .then((form) => form.get("upload") as File);

/** lib/form.ts as one ESM file, as esbuild puts it in a Lambda zip. */
function bundleForm(outfile: string): void {
  buildSync({
    entryPoints: [path.join(ROOT, "lib/form.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile,
    logLevel: "error",
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

async function warm(bytes: Buffer, file: Buffer): Promise<void> {
  const checks: [string, File][] = [
    ["lib/form.ts", parseMultipart(bytes, TYPE).upload![0] as File],
    ["undici", await undici(bytes)],
  ];
  for (const [who, upload] of checks) {
    if (!Buffer.from(await upload.arrayBuffer()).equals(file))
      throw new Error(`${who} changed the file`);
  }
  const rounds: { own: number; undici: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let start = performance.now();
    for (let i = 0; i < OPS; i++) parseMultipart(bytes, TYPE);
    const ownMs = (performance.now() - start) / OPS;
    start = performance.now();
    for (let i = 0; i < OPS; i++) await undici(bytes);
    rounds.push({ own: ownMs, undici: (performance.now() - start) / OPS });
  }
  const own = median(rounds.map((r) => r.own));
  const ref = median(rounds.map((r) => r.undici));
  console.log("warm, 1 MiB body with a file (median of rounds, ms per parse):");
  console.log(`  lib/form.ts            ${own.toFixed(3)}`);
  console.log(
    `  Request.formData()     ${ref.toFixed(3)}   (${(ref / own).toFixed(1)}× lib/form.ts)`,
  );
}

function cold(bytes: Buffer): void {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-forms-"));
  try {
    writeFileSync(path.join(dir, "body.bin"), bytes);
    bundleForm(path.join(dir, "form.mjs"));
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
      `${read} const t = performance.now(); const { parseMultipart } = await import("./form.mjs"); parseMultipart(bytes, ${JSON.stringify(TYPE)}); console.log(performance.now() - t);`,
    );
    const ref = child(
      `${read} const t = performance.now(); const form = await new Request("http://x/", { method: "POST", body: bytes, headers: { "content-type": ${JSON.stringify(TYPE)} } }).formData(); console.log(performance.now() - t);`,
    );
    const show = (times: number[]) =>
      `median ${median(times).toFixed(1)} (${Math.min(...times).toFixed(1)}–${Math.max(...times).toFixed(1)})`;
    console.log(`cold, load + first parse of the 1 MiB body, ${COLD_RUNS} fresh processes (ms):`);
    console.log(`  lib/form.ts (bundled)  ${show(own)}`);
    console.log(`  Request.formData()     ${show(ref)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function disagreements(): Promise<void> {
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
  ];
  console.log("valid bodies (does each parser accept them?):");
  for (const [what, text] of cases) {
    const bytes = Buffer.from(text);
    let own = "accepts";
    let ref = "accepts";
    try {
      parseMultipart(bytes, type);
    } catch {
      own = "REJECTS";
    }
    try {
      await new Request("http://x/", {
        method: "POST",
        body: bytes,
        headers: { "content-type": type },
      }).formData();
    } catch {
      ref = "REJECTS";
    }
    console.log(`  ${what.padEnd(45)} lib/form.ts ${own}, Request.formData() ${ref}`);
  }
}

const { bytes, file } = body();
await warm(bytes, file);
cold(bytes);
await disagreements();
