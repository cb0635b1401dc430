// Where aio-lambda-api's time goes: CPU profiles of a warm REST GET and of a cold start, summed by area, for the report.
//
// The apps are bundled through `bundle()` unminified with a source map, so every sampled frame
// maps back to its package or lib/ file (scripts/bench/cpu-profile.ts). Warm: one process per
// access-log setting under `node --cpu-prof`; cold: processes sampled every 50 µs, minus an
// empty process's samples. scripts/bench/profile.ts prints the same profiles in full.

import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildContestant, emptyModule } from "./build.js";
import { runColdChild } from "./cold.js";
import { CONTESTANTS } from "./contestants.js";
import { addProfile, emptyTally, type Tally } from "./cpu-profile.js";
import { buildEvents, type CaseName } from "./events.js";
import { loadSourceMap, type SourceMap } from "./source-map.js";
import { runWarmChild, writeJob } from "./warm.js";

/** The areas the report sums profiles into, in the order it shows them. */
export const AREAS = [
  "Powertools Logger",
  "aio-lambda-api (lib/)",
  "valibot",
  "fast-json-stringify (compiled serializers)",
  "Node.js, V8 and GC",
  "other",
] as const;
export type Area = (typeof AREAS)[number];

/** µs per invocation (warm) or ms per process (cold) by area, and lib/'s costliest functions. */
export interface Where {
  readonly warm: Record<"on" | "off", { cpuUs: number; byArea: Record<Area, number> }>;
  readonly cold: { byArea: Record<Area, number> };
  /** The lib/ functions with the most time (callees included) in the warm log-on profile, %. */
  readonly topLib: readonly [name: string, percent: number][];
  readonly invocations: number;
  readonly coldRuns: number;
}

const CASE: CaseName = "v1 get";

function areaOf(area: string): Area {
  if (area.startsWith("@aws-lambda-powertools/") || area.startsWith("@aws/")) {
    return "Powertools Logger";
  }
  if (area.startsWith("lib/") || area.startsWith("aio-lambda-api")) return "aio-lambda-api (lib/)";
  if (area.startsWith("valibot")) return "valibot";
  if (area.startsWith("fast-json-stringify")) return "fast-json-stringify (compiled serializers)";
  if (area.startsWith("node:") || area.startsWith("(")) return "Node.js, V8 and GC";
  return "other";
}

/** Self time by area, scaled so the areas sum to `total` (µs per invocation, or ms per run). */
function byArea(tally: Tally, total: number, minus?: Tally, runs = 1): Record<Area, number> {
  const out = Object.fromEntries(AREAS.map((a) => [a, 0])) as Record<Area, number>;
  for (const [area, us] of tally.selfByArea) out[areaOf(area)] += us / runs;
  if (minus) for (const [area, us] of minus.selfByArea) out[areaOf(area)] -= us / runs;
  const sum = AREAS.reduce((s, a) => s + Math.max(out[a], 0), 0);
  for (const a of AREAS) out[a] = sum > 0 ? (Math.max(out[a], 0) / sum) * total : 0;
  return out;
}

async function tallyOf(dir: string, bundle: string, map: SourceMap | undefined): Promise<Tally> {
  let tally = emptyTally();
  for (const file of await readdir(dir)) {
    if (file.endsWith(".cpuprofile")) {
      tally = addProfile(tally, path.join(dir, file), path.basename(bundle), map);
    }
  }
  return tally;
}

async function coldTally(
  bundle: string,
  eventFile: string,
  dir: string,
  runs: number,
  map: SourceMap | undefined,
): Promise<Tally> {
  for (let run = 0; run < runs; run++) {
    await runColdChild(bundle, eventFile, [
      "--cpu-prof",
      "--cpu-prof-interval=50",
      `--cpu-prof-dir=${dir}`,
    ]);
  }
  return tallyOf(dir, bundle, map);
}

/** Profiles aio-lambda-api warm (REST GET, log on and off) and cold (log on) in `root`. */
export async function whereTimeGoes(
  root: string,
  invocations: number,
  coldRuns: number,
): Promise<Where> {
  const dir = path.join(root, "where");
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const events = buildEvents();
  const eventFile = path.join(dir, "event.json");
  await writeFile(eventFile, JSON.stringify(events["v2 get"]));
  const warm = {} as Where["warm"];
  let topLib: [string, number][] = [];
  let cold: Where["cold"] = { byArea: byArea(emptyTally(), 0) };
  const baseline = await coldTally(
    await emptyModule(dir),
    eventFile,
    path.join(dir, "empty"),
    coldRuns,
    undefined,
  );
  for (const log of ["on", "off"] as const) {
    const contestant = CONTESTANTS.find((c) => c.id === `aio-log-${log}`)!;
    const built = await buildContestant(contestant, dir, { minify: false, sourcemap: true });
    const map = loadSourceMap(`${built.file}.map`);
    const job = await writeJob(dir, contestant, built.file, events, {
      iterations: invocations,
      warmup: 5_000,
      rounds: 1,
      cases: [CASE],
    });
    const sub = path.join(dir, `warm-${log}`);
    const result = await runWarmChild(job, ["--cpu-prof", `--cpu-prof-dir=${sub}`]);
    const tally = await tallyOf(sub, built.file, map);
    const cpuUs = result.cpu[CASE]! / 1000;
    warm[log] = { cpuUs, byArea: byArea(tally, cpuUs) };
    if (log === "on") {
      topLib = [...tally.totalByFunction]
        .filter(([key]) => key.includes(" lib/"))
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([key, us]) => [key.replace(/\s+/, " "), (100 * us) / tally.totalUs]);
      const coldOn = await coldTally(
        built.file,
        eventFile,
        path.join(dir, "cold-on"),
        coldRuns,
        map,
      );
      const spanMs = (coldOn.totalUs - baseline.totalUs) / coldRuns / 1000;
      cold = { byArea: byArea(coldOn, spanMs, baseline, coldRuns) };
    }
  }
  return { warm, cold, topLib, invocations, coldRuns };
}
