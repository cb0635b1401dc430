// Cold starts: fresh `node` processes import a bundle and complete one invocation, minus a baseline process.

import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Built } from "./build.js";
import { CONTESTANTS } from "./contestants.js";
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

/** Cold figures: contestant id → result, and the baseline process's own medians. */
export interface ColdResults {
  readonly contestants: Record<string, ColdResult>;
  readonly baseline: { readonly ms: number; readonly cpuMs: number; readonly rssMb: number };
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

/**
 * `runs` rounds; each round starts the baseline and every contestant once, in a rotating order.
 * Every invocation must answer 200.
 */
export async function runCold(
  built: ReadonlyMap<string, Built>,
  empty: string,
  eventFile: string,
  runs: number,
  log: (line: string) => void,
): Promise<ColdResults> {
  const ids = ["", ...CONTESTANTS.map((c) => c.id)];
  const samples = new Map<string, ColdSample[]>(ids.map((id) => [id, []]));
  for (let run = 0; run < runs; run++) {
    const order = ids.map((_, i) => ids[(i + run) % ids.length]!);
    for (const id of order) {
      const bundle = id === "" ? empty : built.get(id)!.file;
      const sample = await runColdChild(bundle, eventFile);
      if (id !== "" && sample.status !== 200) {
        throw new Error(`cold run of ${id} answered ${sample.status}; expected 200`);
      }
      samples.get(id)!.push(sample);
    }
    if ((run + 1) % 5 === 0 || run + 1 === runs) log(`cold: ${run + 1}/${runs} runs`);
  }
  const base = samples.get("")!;
  const baseImport = median(base.map((s) => s.imported - s.before));
  const baseCpu = median(base.map((s) => s.cpu));
  const contestants: Record<string, ColdResult> = {};
  for (const contestant of CONTESTANTS) {
    const list = samples.get(contestant.id)!;
    contestants[contestant.id] = {
      ms: median(list.map((s, run) => s.done - base[run]!.done)),
      inProcessMs: median(list.map((s) => s.done - s.before)) - baseImport,
      importMs: median(list.map((s) => s.imported - s.before)) - baseImport,
      firstCallMs: median(list.map((s) => s.done - s.imported)),
      cpuMs: median(list.map((s) => s.cpu)) - baseCpu,
      rssMb: median(list.map((s) => s.rssKb)) / 1024,
      runs: list.length,
    };
  }
  return {
    contestants,
    baseline: {
      ms: median(base.map((s) => s.done)),
      cpuMs: baseCpu,
      rssMb: median(base.map((s) => s.rssKb)) / 1024,
    },
  };
}
