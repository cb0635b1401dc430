// Profiles aio-lambda-api under `node --cpu-prof`: the minimal app's warm GET and cold start, access log off and on.
//
// Run: npx tsx scripts/bench/profile.ts [invocations]
// The minimal app (scripts/bench/apps/aio-min-*.ts) is bundled as CDK or SAM would, plain esbuild
// to CommonJS, minified but for its identifiers (so functions keep their names) and with a source
// map, so every frame maps back to its source file and line (lib/… or the package under
// node_modules). Each profile is cut to the span that matters, read on the monotonic clock the
// measuring process reports: the timed loop of a warm process (not its start-up and warm-up),
// the require and first invocation of a cold one (10 processes, sampled every 50 µs; not Node's
// own start-up). Prints, for each profile, self time per package or lib/ file, the functions
// with the most self time, and lib/ functions with their callees.
// The .cpuprofile files stay in .bench-tmp/profile/ for Chrome DevTools or speedscope.
// `npm run bench` calls profileOurs() and sums the same profiles by area (scripts/bench/where.ts).

import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type BuildMode, buildContestant, TMP } from "./build.js";
import { runColdChild } from "./cold.js";
import { CONTESTANTS, type Contestant } from "./contestants.js";
import { addProfile, emptyTally, type Tally, top } from "./cpu-profile.js";
import { buildEvents, type CaseName } from "./events.js";
import { loadSourceMap } from "./source-map.js";
import { runWarmChild, writeJob } from "./warm.js";

/** What to profile, and where to keep the bundles and .cpuprofile files. */
export interface ProfileOptions {
  readonly dir: string;
  /** Timed invocations per warm profile (after 10,000 untimed ones). */
  readonly invocations: number;
  /** Cold processes per bundle. */
  readonly coldRuns: number;
  /** The cases profiled warm, each in its own process, for every contestant profiled. */
  readonly cases: readonly CaseName[];
  /** The contestants profiled warm and cold (`aio-off-cjs`, `aio-on-cjs`). */
  readonly ids: readonly string[];
}

/** The contestants profiled by default: the minimal app, log off and on, as CDK bundles it. */
export const PROFILED = ["aio-off-cjs", "aio-on-cjs"] as const;

/** Minified but for identifiers, with a source map: near the deployed size, names kept. */
const PROFILING: BuildMode = { minify: "keep-identifiers", sourcemap: true };

/** One warm profile: µs of CPU per invocation as measured under the profiler, and its samples. */
export interface WarmProfile {
  readonly id: string;
  readonly name: CaseName;
  readonly cpuUs: number;
  readonly tally: Tally;
}

/** One contestant's cold profiles, summed over `coldRuns` processes. */
export interface ColdProfile {
  readonly id: string;
  readonly tally: Tally;
}

/** Every profile of one run. */
export interface Profiles {
  readonly options: ProfileOptions;
  readonly warm: readonly WarmProfile[];
  readonly cold: readonly ColdProfile[];
}

function contestantOf(id: string): Contestant {
  const found = CONTESTANTS.find((c) => c.id === id);
  if (!found)
    throw new Error(`no contestant ${JSON.stringify(id)}; expected one of contestants.ts`);
  return found;
}

/** Bundles the contestants for profiling and profiles each warm and cold. */
export async function profileOurs(options: ProfileOptions): Promise<Profiles> {
  const { dir } = options;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const events = buildEvents();
  const eventFile = path.join(dir, "event.json");
  await writeFile(eventFile, JSON.stringify(events["v2 get"]));
  const warm: WarmProfile[] = [];
  const cold: ColdProfile[] = [];
  for (const id of options.ids) {
    const contestant = contestantOf(id);
    const built = await buildContestant(contestant, dir, PROFILING);
    const map = loadSourceMap(`${built.file}.map`);
    const bundle = path.basename(built.file);
    for (const name of options.cases) {
      const job = await writeJob(dir, contestant, built.file, events, {
        iterations: options.invocations,
        warmup: 5_000,
        rounds: 1,
        cases: [name],
      });
      const profile = path.join(dir, `${id}-${name.replace(" ", "-")}.cpuprofile`);
      const result = await runWarmChild(job, [
        "--cpu-prof",
        `--cpu-prof-dir=${path.dirname(profile)}`,
        `--cpu-prof-name=${path.basename(profile)}`,
      ]);
      const tally = addProfile(emptyTally(), profile, bundle, map, result.windows[name]);
      warm.push({ id, name, cpuUs: result.cpu[name]! / 1000, tally });
    }
    let tally = emptyTally();
    for (let run = 0; run < options.coldRuns; run++) {
      const profile = path.join(dir, `${id}-cold-${run}.cpuprofile`);
      const sample = await runColdChild(built.file, eventFile, [
        "--cpu-prof",
        "--cpu-prof-interval=50",
        `--cpu-prof-dir=${path.dirname(profile)}`,
        `--cpu-prof-name=${path.basename(profile)}`,
      ]);
      tally = addProfile(tally, profile, bundle, map, sample.window);
    }
    cold.push({ id, tally });
  }
  return { options, warm, cold };
}

const pct = (us: number, total: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const ms = (us: number) => `${(us / 1000).toFixed(2).padStart(8)} ms`;

function print(title: string, tally: Tally, perRun = 1): void {
  const total = tally.totalUs;
  console.log(
    `\n## ${title}: ${(total / 1000 / perRun).toFixed(1)} ms sampled${perRun > 1 ? " per run" : ""}\n`,
  );
  console.log("Self time by package / file:");
  for (const [area, us] of top(tally.selfByArea, 16)) {
    console.log(`  ${pct(us, total)} ${ms(us / perRun)}  ${area}`);
  }
  console.log(
    "\nTime with callees by package / file (a sample counts once for each on its stack):",
  );
  const skip = new Set(["(root)", "(program)", "(idle)", "(garbage collector)"]);
  const areas = new Map([...tally.totalByArea].filter(([area]) => !skip.has(area)));
  for (const [area, us] of top(areas, 12)) {
    console.log(`  ${pct(us, total)} ${ms(us / perRun)}  ${area}`);
  }
  console.log("\nTop self time by function:");
  for (const [key, us] of top(tally.selfByFunction, 25)) {
    console.log(`  ${pct(us, total)} ${ms(us / perRun)}  ${key}`);
  }
  const ours = new Map([...tally.totalByFunction].filter(([key]) => key.includes(" lib/")));
  console.log("\nTime with callees, lib/ functions:");
  for (const [key, us] of top(ours, 18)) {
    console.log(`  ${pct(us, total)} ${ms(us / perRun)}  ${key}`);
  }
}

async function main(): Promise<void> {
  const invocations = Number(process.argv[2] ?? 200_000);
  const p = await profileOurs({
    dir: path.join(TMP, "profile"),
    invocations,
    coldRuns: 10,
    cases: ["v2 get", "v1 get"],
    ids: PROFILED,
  });
  for (const id of p.options.ids) {
    const label = contestantOf(id).label;
    for (const w of p.warm.filter((w) => w.id === id)) {
      print(
        `Warm ${w.name}, ${label} (${invocations} invocations, ${w.cpuUs.toFixed(2)} µs CPU each under the profiler; the timed loop only)`,
        w.tally,
      );
    }
    const { tally } = p.cold.find((c) => c.id === id)!;
    const runs = p.options.coldRuns;
    print(`Cold start, ${label} (${runs} processes, require + first invocation)`, tally, runs);
  }
}

// Run as a script; `npm run bench` imports profileOurs instead.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
