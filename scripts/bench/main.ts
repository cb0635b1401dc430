// `npm run bench`: bundles every contestant, checks its answers, times warm and cold, writes docs/performance.md.
//
// Run: npm run bench [-- --quick | --render]
// Full: 100k timed invocations per case and round, 5 rounds, 20 cold starts per contestant, then
// route matching (scripts/bench-router.ts) and CPU profiles of ours (scripts/bench/profile.ts,
// summed by scripts/bench/where.ts): about four minutes on 2 cores. --quick: 20k invocations,
// 2 rounds, 10 cold starts, shorter profiles (under a minute), for trying a change: it prints the
// tables and writes its report to .bench-tmp/bench/, leaving docs/performance.md as it is. Every
// run saves its figures to .bench-tmp/figures-<mode>.json; --render rewrites docs/performance.md
// and .svg from the last full run's figures without measuring again (after a change to the
// report's wording).

import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { measureRouter } from "../bench-router.js";
import { type Built, buildContestant, emptyModule, ROOT, TMP } from "./build.js";
import { runCold } from "./cold.js";
import { CONTESTANTS } from "./contestants.js";
import { buildEvents, COLD_CASE, type CaseName } from "./events.js";
import { type Figures, markdown, tables } from "./report.js";
import { chart } from "./report-chart.js";
import { runWarm, type WarmOptions, writeJobs } from "./warm.js";
import { whereTimeGoes } from "./where.js";

const quick = process.argv.includes("--quick");
const render = process.argv.includes("--render");
const CASES: readonly CaseName[] = ["v2 get", "v1 get", "v2 post"];
const warmOptions: WarmOptions = quick
  ? { iterations: 20_000, warmup: 2_000, rounds: 2, cases: CASES }
  : { iterations: 100_000, warmup: 3_000, rounds: 5, cases: CASES };
const coldRuns = quick ? 10 : 20;
const saved = path.join(TMP, `figures-${quick ? "quick" : "full"}.json`);

const started = Date.now();
const log = (line: string) =>
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

/** Bundles, checks and times every contestant. */
async function measure(): Promise<Figures> {
  const dir = path.join(TMP, "bench");
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const built = new Map<string, Built>();
  for (const contestant of CONTESTANTS) {
    const result = await buildContestant(contestant, path.join(dir, "bundles"));
    built.set(contestant.id, result);
    log(
      `bundled ${contestant.id}: ${result.bytes} bytes, ${result.gzipBytes} gzipped (${contestant.bundler})`,
    );
  }
  const events = buildEvents();
  const eventFile = path.join(dir, "cold-event.json");
  await writeFile(eventFile, JSON.stringify(events[COLD_CASE]));
  const jobs = await writeJobs(dir, built, events, warmOptions);
  const warm = await runWarm(jobs, warmOptions, log);
  const cold = await runCold(built, await emptyModule(dir), eventFile, coldRuns, log);
  log("route matching at 5, 50 and 500 routes");
  const router = await measureRouter(quick ? 5 : 15);
  log("profiling aio-lambda-api: warm REST GET (log on, off) and cold start");
  const profiles = await whereTimeGoes(dir, quick ? 50_000 : 200_000, quick ? 5 : 20);
  return {
    mode: quick ? "quick" : "full",
    warm,
    warmOptions,
    cold,
    coldRuns,
    built,
    date: new Date(),
    ourInputs: built.get("aio-log-on")!.inputs,
    router,
    profiles,
  };
}

/** Figures as JSON (the bundles' map as entries, the date as text) and back. */
function toJson(f: Figures): string {
  return JSON.stringify({ ...f, built: [...f.built], date: f.date.toISOString() });
}
function fromJson(text: string): Figures {
  const raw = JSON.parse(text) as Omit<Figures, "built" | "date"> & {
    built: [string, Built][];
    date: string;
  };
  return { ...raw, built: new Map(raw.built), date: new Date(raw.date) };
}

let figures: Figures;
if (render) {
  figures = fromJson(await readFile(saved, "utf8"));
} else {
  figures = await measure();
  await writeFile(saved, toJson(figures));
}
// A quick run never replaces the published figures: its report stays in .bench-tmp.
const out = quick ? path.join(TMP, "bench") : path.join(ROOT, "docs");
await writeFile(path.join(out, "performance.md"), markdown(figures));
await writeFile(path.join(out, "performance.svg"), chart(figures));
process.stdout.write(`\n${tables(figures)}\n`);
log(`wrote ${path.relative(ROOT, out)}/performance.md and performance.svg`);
