// Cold starts: fresh `node` processes load a bundle and complete one invocation, minus a baseline process of the same format.

import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Built } from "./build.js";
import type { Contestant } from "./contestants.js";
import { median } from "./stats.js";

const CHILD = fileURLToPath(new URL("./cold-child.mjs", import.meta.url));

/** What one cold process reported. */
export interface ColdSample {
  /** ms from process start to the start of the import. */
  readonly before: number;
  /** ms from process start to the end of the import. */
  readonly imported: number;
  /** ms from process start to the end of the first invocation. */
  readonly done: number;
  /** CPU ms the process used by the end of the invocation (user + system, every thread). */
  readonly cpu: number;
  readonly status: number;
  readonly rssKb: number;
  /** The import and first invocation on the monotonic clock, µs: `[start, end]`. */
  readonly window: [number, number];
}

/** A contestant's cold-start figures (medians over the runs). */
export interface ColdResult {
  /**
   * ms from process start to the answer, minus the same in the baseline process of the same
   * round (which imports an empty module and invokes nothing).
   */
  readonly ms: number;
  /**
   * ms from the start of the import to the answer, measured inside the process, minus the
   * baseline's import of an empty module: the same work without Node's own start-up, whose
   * variance on a busy machine is larger than most of these figures.
   */
  readonly inProcessMs: number;
  /** ms of the import alone, over the baseline's. */
  readonly importMs: number;
  /** ms of the first invocation alone. */
  readonly firstCallMs: number;
  /** CPU ms over the baseline process's (user + system, every thread). */
  readonly cpuMs: number;
  /** Peak RSS of the process, MB. */
  readonly rssMb: number;
  readonly runs: number;
}

/** Cold figures: contestant id → result, and the baseline processes' own medians. */
export interface ColdResults {
  readonly contestants: Record<string, ColdResult>;
  /** The baseline that imports an empty ES module (subtracted from ESM bundles). */
  readonly baseline: { readonly ms: number; readonly cpuMs: number; readonly rssMb: number };
  /** The baseline that requires an empty CommonJS module (subtracted from CJS bundles). */
  readonly baselineCjs?: { readonly ms: number; readonly cpuMs: number; readonly rssMb: number };
}

/** Runs cold-child.mjs once; `nodeArgs` go before the script (`--cpu-prof` for profiles). */
export function runColdChild(
  bundle: string,
  eventFile: string,
  nodeArgs: readonly string[] = [],
): Promise<ColdSample> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, CHILD, bundle, eventFile], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("exit", (code) => {
      const line = stdout.split("\n").find((l) => l.startsWith("BENCH "));
      if (code !== 0 || !line) {
        reject(
          new Error(
            `cold run of ${path.basename(bundle)} failed (exit ${code}): ${stderr.trim() || stdout.trim()}`,
          ),
        );
        return;
      }
      resolve(JSON.parse(line.slice(6)) as ColdSample);
    });
  });
}

const EMPTY_ESM = "(empty esm)";
const EMPTY_CJS = "(empty cjs)";

/**
 * `runs` rounds; each round starts both baselines and every contestant once, in a rotating order.
 * Every invocation must answer 200. Each bundle is measured over the baseline of its format.
 */
export async function runCold(
  contestants: readonly Contestant[],
  built: ReadonlyMap<string, Built>,
  empty: { readonly esm: string; readonly cjs: string },
  eventFile: string,
  runs: number,
  log: (line: string) => void,
): Promise<ColdResults> {
  const ids = [EMPTY_ESM, EMPTY_CJS, ...contestants.map((c) => c.id)];
  const files = new Map<string, string>([
    [EMPTY_ESM, empty.esm],
    [EMPTY_CJS, empty.cjs],
    ...contestants.map((c): [string, string] => [c.id, built.get(c.id)!.file]),
  ]);
  const samples = new Map<string, ColdSample[]>(ids.map((id) => [id, []]));
  for (let run = 0; run < runs; run++) {
    const order = ids.map((_, i) => ids[(i + run) % ids.length]!);
    for (const id of order) {
      const sample = await runColdChild(files.get(id)!, eventFile);
      if (!id.startsWith("(") && sample.status !== 200) {
        throw new Error(`cold run of ${id} answered ${sample.status}; expected 200`);
      }
      samples.get(id)!.push(sample);
    }
    if ((run + 1) % 5 === 0 || run + 1 === runs) log(`cold: ${run + 1}/${runs} runs`);
  }
  const baseOf = (id: string) => {
    const base = samples.get(id)!;
    return {
      samples: base,
      importMs: median(base.map((s) => s.imported - s.before)),
      cpuMs: median(base.map((s) => s.cpu)),
      summary: {
        ms: median(base.map((s) => s.done)),
        cpuMs: median(base.map((s) => s.cpu)),
        rssMb: median(base.map((s) => s.rssKb)) / 1024,
      },
    };
  };
  const esm = baseOf(EMPTY_ESM);
  const cjs = baseOf(EMPTY_CJS);
  const results: Record<string, ColdResult> = {};
  for (const contestant of contestants) {
    const list = samples.get(contestant.id)!;
    const base = built.get(contestant.id)!.file.endsWith(".cjs") ? cjs : esm;
    results[contestant.id] = {
      ms: median(list.map((s, run) => s.done - base.samples[run]!.done)),
      inProcessMs: median(list.map((s) => s.done - s.before)) - base.importMs,
      importMs: median(list.map((s) => s.imported - s.before)) - base.importMs,
      firstCallMs: median(list.map((s) => s.done - s.imported)),
      cpuMs: median(list.map((s) => s.cpu)) - base.cpuMs,
      rssMb: median(list.map((s) => s.rssKb)) / 1024,
      runs: list.length,
    };
  }
  return { contestants: results, baseline: esm.summary, baselineCjs: cjs.summary };
}
