// Warm invocations: a fresh process per contestant and round, rounds alternating the order, ratios to the floor.

import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Built } from "./build.js";
import { type Contestant, FLOOR } from "./contestants.js";
import { type CaseName, EXPECTED } from "./events.js";
import { median, spread } from "./stats.js";

const CHILD = fileURLToPath(new URL("./warm-child.mjs", import.meta.url));

/** Counts of a warm run. */
export interface WarmOptions {
  /** Timed invocations per case and round (a full run times 100k). */
  readonly iterations: number;
  /** Untimed invocations per case, twice over, before timing. */
  readonly warmup: number;
  readonly rounds: number;
  readonly cases: readonly CaseName[];
}

/** What one warm process measured: ns per invocation of each case, CPU time and wall time. */
export interface WarmSample {
  readonly cpu: Record<string, number>;
  readonly wall: Record<string, number>;
  /** Each case's timed loop on the monotonic clock, µs: `[start, end]`. */
  readonly windows: Record<string, [number, number]>;
}

/** A contestant's figures for one case over all rounds (ratios and medians are of CPU time). */
export interface WarmCell {
  /** CPU ns per invocation, one per round. */
  readonly ns: readonly number[];
  /** Wall-clock ns per invocation, one per round. */
  readonly wallNs: readonly number[];
  readonly medianWallNs: number;
  /** ns divided by the floor's ns in the same round, one per round. */
  readonly ratios: readonly number[];
  readonly medianNs: number;
  readonly medianRatio: number;
  readonly minRatio: number;
  readonly maxRatio: number;
}

/** Warm figures: contestant id → case → cell. */
export type WarmResults = Record<string, Record<string, WarmCell>>;

/**
 * Writes the job file a child reads: what to load, what it must answer, how long to run;
 * `extra` fields are added as they are.
 */
export async function writeJob(
  dir: string,
  contestant: Contestant,
  bundle: string,
  events: Record<string, unknown>,
  options: WarmOptions,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const file = path.join(dir, `job-${contestant.id}.json`);
  const job = {
    id: contestant.id,
    bundle,
    events,
    expected: EXPECTED,
    notFound: contestant.notFound,
    invalidStatus: contestant.invalidStatus,
    cases: options.cases,
    iterations: options.iterations,
    warmup: options.warmup,
    ...extra,
  };
  await writeFile(file, JSON.stringify(job));
  return file;
}

/**
 * Runs warm-child.mjs for one contestant in a fresh `node` and resolves to its ns per case.
 * `nodeArgs` go before the script (`--cpu-prof` for profiles).
 */
export function runWarmChild(
  jobFile: string,
  nodeArgs: readonly string[] = [],
): Promise<WarmSample> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, CHILD, jobFile], {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    let stderr = "";
    let answer: ({ ok: boolean; error?: string } & Partial<WarmSample>) | undefined;
    child.stderr?.on("data", (chunk) => (stderr += chunk));
    child.on("message", (message) => (answer = message as typeof answer));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (answer?.ok && answer.cpu && answer.wall && answer.windows)
        resolve({ cpu: answer.cpu, wall: answer.wall, windows: answer.windows });
      else
        reject(
          new Error(
            `warm run failed (exit ${code}): ${answer?.error ?? (stderr.trim() || "no answer")}`,
          ),
        );
    });
  });
}

/** Writes the job files of every contestant: the same events and counts for all. */
export async function writeJobs(
  dir: string,
  contestants: readonly Contestant[],
  built: ReadonlyMap<string, Built>,
  events: Record<string, unknown>,
  options: WarmOptions,
): Promise<Map<string, string>> {
  const jobs = new Map<string, string>();
  for (const contestant of contestants) {
    const bundle = built.get(contestant.id);
    if (!bundle) throw new Error(`no bundle for ${contestant.id}`);
    jobs.set(contestant.id, await writeJob(dir, contestant, bundle.file, events, options));
  }
  return jobs;
}

/**
 * Every contestant, `rounds` times, each time in a fresh process: even rounds in list order,
 * odd rounds reversed, so drift on the machine hits all alike. `log` reports progress.
 */
export async function runWarm(
  contestants: readonly Contestant[],
  jobs: ReadonlyMap<string, string>,
  options: WarmOptions,
  log: (line: string) => void,
): Promise<WarmResults> {
  const raw = new Map<string, WarmSample[]>();
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? contestants : [...contestants].reverse();
    for (const contestant of order) {
      const started = Date.now();
      const sample = await runWarmChild(jobs.get(contestant.id)!);
      const list = raw.get(contestant.id) ?? [];
      list.push(sample);
      raw.set(contestant.id, list);
      const shown = options.cases
        .map(
          (c) =>
            `${c} ${(sample.cpu[c]! / 1000).toFixed(2)} µs cpu ${(sample.wall[c]! / 1000).toFixed(2)} wall`,
        )
        .join(", ");
      log(
        `round ${round + 1}/${options.rounds} ${contestant.id.padEnd(20)} ${shown} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
    }
  }
  const floor = raw.get(FLOOR)!;
  const results: WarmResults = {};
  for (const contestant of contestants) {
    const rounds = raw.get(contestant.id)!;
    results[contestant.id] = {};
    for (const name of options.cases) {
      const ns = rounds.map((r) => r.cpu[name]!);
      const wallNs = rounds.map((r) => r.wall[name]!);
      const ratios = ns.map((value, round) => value / floor[round]!.cpu[name]!);
      const { min, max } = spread(ratios);
      results[contestant.id]![name] = {
        ns,
        wallNs,
        medianWallNs: median(wallNs),
        ratios,
        medianNs: median(ns),
        medianRatio: median(ratios),
        minRatio: min,
        maxRatio: max,
      };
    }
  }
  return results;
}
