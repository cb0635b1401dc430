// `npm run bench`: bundles every contestant, checks its answers, times warm and cold, writes docs/performance.md.
//
// Run: npm run bench [-- --quick | --render]
// Full: 100k timed invocations per case and round, 5 rounds, 20 cold starts per contestant, the
// context peers (lambda-api, hono, Powertools event-handler) too, then route matching
// (scripts/bench-router.ts) and CPU profiles of the minimal app (scripts/bench/profile.ts, summed
// by scripts/bench/where.ts): about 12 minutes of CPU on 2 cores, so about 12 minutes when the
// machine is otherwise idle and two to three times that when other work shares it. --quick: 10k
// invocations, 3 rounds, 8 cold starts, no context peers, shorter profiles: about two minutes of
// CPU, for trying a change; it prints the tables and writes its report to .bench-tmp/bench/,
// leaving docs/performance.md as it is. Every run saves its figures to
// .bench-tmp/figures-<mode>.json; --render rewrites the report from the last run's figures of that
// mode (docs/performance.md and .svg from the full run's) without measuring again, after a change
// to the report's wording.

import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { measureRouter } from "../bench-router.js";
import { type Built, buildContestant, emptyModules, ROOT, TMP } from "./build.js";
import { runCold } from "./cold.js";
import { type Contestant, selected } from "./contestants.js";
import { buildEvents, COLD_CASE, type CaseName } from "./events.js";
import { type OurPlugin, ourPlugin } from "./plugin.js";
import { type Figures, markdown, tables } from "./report.js";
import { chart } from "./report-chart.js";
import { runWarm, type WarmOptions, writeJobs } from "./warm.js";
import { whereTimeGoes } from "./where.js";

const quick = process.argv.includes("--quick");
const render = process.argv.includes("--render");
const CASES: readonly CaseName[] = ["v2 get", "v1 get", "v2 post"];
const warmOptions: WarmOptions = quick
  ? { iterations: 10_000, warmup: 1_000, rounds: 3, cases: CASES }
  : { iterations: 100_000, warmup: 3_000, rounds: 5, cases: CASES };
const coldRuns = quick ? 8 : 20;
const saved = path.join(TMP, `figures-${quick ? "quick" : "full"}.json`);

const started = Date.now();
const log = (line: string) =>
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

/** Bundles, checks and times every contestant. */
async function measure(): Promise<Figures> {
  const dir = path.join(TMP, "bench");
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const plugin = await ourPlugin();
  const unavailable: { id: string; reason: string }[] = [];
  const contestants = selected(quick).filter((c) => {
    if (c.bundler !== "plugin" || "plugin" in plugin) return true;
    unavailable.push({ id: c.id, reason: "missing" in plugin ? plugin.missing : "" });
    return false;
  });
  for (const { id, reason } of unavailable) log(`not measured: ${id}: ${reason}`);
  // Outside the repository, as in /var/task: a bundle that still needs node_modules fails here.
  const bundles = await mkdtemp(path.join(os.tmpdir(), "aio-lambda-api-bench-"));
  try {
    return await measureIn(bundles, dir, contestants, unavailable, plugin);
  } finally {
    await rm(bundles, { recursive: true, force: true });
  }
}

async function measureIn(
  bundles: string,
  dir: string,
  contestants: readonly Contestant[],
  unavailable: Figures["unavailable"],
  plugin: OurPlugin,
): Promise<Figures> {
  const built = new Map<string, Built>();
  for (const contestant of contestants) {
    const result = await buildContestant(
      contestant,
      bundles,
      undefined,
      "plugin" in plugin ? plugin.plugin : undefined,
    );
    built.set(contestant.id, result);
    log(`bundled ${contestant.id}: ${result.bytes} bytes, ${result.gzipBytes} gzipped`);
  }
  const events = buildEvents();
  const eventFile = path.join(dir, "cold-event.json");
  await writeFile(eventFile, JSON.stringify(events[COLD_CASE]));
  const jobs = await writeJobs(dir, contestants, built, events, warmOptions);
  const warm = await runWarm(contestants, jobs, warmOptions, log);
  const empty = await emptyModules(dir);
  const cold = await runCold(contestants, built, empty, eventFile, coldRuns, log);
  log("route matching at 5, 50 and 500 routes");
  const router = await measureRouter(quick ? 3 : 15);
  log("profiling the minimal app: warm REST GET and cold start, access log off and on");
  const profiles = await whereTimeGoes(dir, quick ? 30_000 : 200_000, quick ? 4 : 20);
  log("profiled");
  return {
    mode: quick ? "quick" : "full",
    warm,
    warmOptions,
    cold,
    coldRuns,
    built,
    unavailable,
    date: new Date(),
    seconds: Math.round((Date.now() - started) / 1000),
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
