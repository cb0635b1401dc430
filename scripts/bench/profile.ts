// Profiles aio-lambda-api under `node --cpu-prof`: warm GET (access log on and off) and cold start.
//
// Run: npx tsx scripts/bench/profile.ts [invocations]
// The apps are bundled through `bundle()` unminified with a source map, so every frame maps back
// to its source file and line (lib/… or the package under node_modules). Prints, for each warm
// profile, the functions with the most self time and the most time with callees (lib/ only), and
// self time per package; for cold starts (10 processes, sampled every 50 µs), self time per
// package for the whole process and over an empty process.
// The .cpuprofile files stay in .bench-tmp/profile/ for Chrome DevTools or speedscope.
// `npm run bench` calls profileOurs() and sums the same profiles by area (scripts/bench/where.ts).

import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildContestant, emptyModule, TMP } from "./build.js";
import { runColdChild } from "./cold.js";
import { CONTESTANTS } from "./contestants.js";
import { addProfile, emptyTally, type Tally, top } from "./cpu-profile.js";
import { buildEvents, type CaseName } from "./events.js";
import { loadSourceMap, type SourceMap } from "./source-map.js";
import { runWarmChild, writeJob } from "./warm.js";

/** What to profile, and where to keep the bundles and .cpuprofile files. */
export interface ProfileOptions {
  readonly dir: string;
  /** Timed invocations per warm profile (after 10,000 untimed ones). */
  readonly invocations: number;
  /** Cold processes per bundle (and for the empty baseline). */
  readonly coldRuns: number;
  /** The cases profiled warm, each in its own process, for both access-log settings. */
  readonly cases: readonly CaseName[];
  /** The contestants (`aio-log-on`, `aio-log-off`) whose cold start is profiled. */
  readonly cold: readonly string[];
}

/** One warm profile: µs of CPU per invocation as measured under the profiler, and its samples. */
export interface WarmProfile {
  readonly id: string;
  readonly name: CaseName;
  readonly cpuUs: number;
  readonly tally: Tally;
}

/** Every profile of one run; cold tallies sum `coldRuns` processes, as does `baseline`. */
export interface Profiles {
  readonly options: ProfileOptions;
  readonly warm: readonly WarmProfile[];
  readonly cold: readonly { readonly id: string; readonly tally: Tally }[];
  /** Processes that import an empty module and invoke nothing. */
  readonly baseline: Tally;
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

/** Profiles `runs` cold processes of one bundle, sampled every 50 µs, into one tally. */
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

/** Bundles our app (log on and off) for profiling and profiles it warm and cold. */
export async function profileOurs(options: ProfileOptions): Promise<Profiles> {
  const { dir } = options;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const events = buildEvents();
  const eventFile = path.join(dir, "event.json");
  await writeFile(eventFile, JSON.stringify(events["v2 get"]));
  const empty = await emptyModule(dir);
  const baseline = await coldTally(
    empty,
    eventFile,
    path.join(dir, "empty"),
    options.coldRuns,
    undefined,
  );
  const warm: WarmProfile[] = [];
  const cold: { id: string; tally: Tally }[] = [];
  for (const id of ["aio-log-on", "aio-log-off"]) {
    const contestant = CONTESTANTS.find((c) => c.id === id)!;
    const built = await buildContestant(contestant, dir, { minify: false, sourcemap: true });
    const map = loadSourceMap(`${built.file}.map`);
    for (const name of options.cases) {
      const job = await writeJob(dir, contestant, built.file, events, {
        iterations: options.invocations,
        warmup: 5_000,
        rounds: 1,
        cases: [name],
      });
      const sub = path.join(dir, `${id}-${name.replace(" ", "-")}`);
      const result = await runWarmChild(job, ["--cpu-prof", `--cpu-prof-dir=${sub}`]);
      const tally = await tallyOf(sub, built.file, map);
      warm.push({ id, name, cpuUs: result.cpu[name]! / 1000, tally });
    }
    if (options.cold.includes(id)) {
      const sub = path.join(dir, `${id}-cold`);
      cold.push({ id, tally: await coldTally(built.file, eventFile, sub, options.coldRuns, map) });
    }
  }
  return { options, warm, cold, baseline };
}

const pct = (us: number, total: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const ms = (us: number) => `${(us / 1000).toFixed(1).padStart(8)} ms`;

function print(title: string, tally: Tally, perRun = 1): void {
  const total = tally.totalUs;
  console.log(
    `\n## ${title}: ${(total / 1000 / perRun).toFixed(1)} ms sampled${perRun > 1 ? " per run" : ""}\n`,
  );
  console.log("Self time by package / file:");
  for (const [area, us] of top(tally.selfByArea, 14)) {
    console.log(`  ${pct(us, total)} ${ms(us / perRun)}  ${area}`);
  }
  console.log(
    "\nTime with callees by package / file (a sample counts once for each on its stack):",
  );
  const skip = new Set(["(root)", "(program)", "(idle)", "(garbage collector)"]);
  const areas = new Map([...tally.totalByArea].filter(([area]) => !skip.has(area)));
  for (const [area, us] of top(areas, 14)) {
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

/** Self time per area over the baseline process's, per run: what the bundle adds, and where. */
function printOverBaseline(title: string, tally: Tally, base: Tally, runs: number): void {
  const areas = new Set([...tally.selfByArea.keys(), ...base.selfByArea.keys()]);
  const diff = [...areas].map((area): [string, number] => [
    area,
    ((tally.selfByArea.get(area) ?? 0) - (base.selfByArea.get(area) ?? 0)) / runs,
  ]);
  const added = (tally.totalUs - base.totalUs) / runs;
  console.log(`
## ${title}: ${(added / 1000).toFixed(1)} ms of samples over the baseline per run
`);
  console.log("Self time over the baseline by package / file (largest first):");
  for (const [area, us] of diff.sort((a, b) => b[1] - a[1]).slice(0, 16)) {
    console.log(`  ${ms(us)}  ${area}`);
  }
}

async function main(): Promise<void> {
  const invocations = Number(process.argv[2] ?? 200_000);
  const ids = ["aio-log-on", "aio-log-off"];
  const p = await profileOurs({
    dir: path.join(TMP, "profile"),
    invocations,
    coldRuns: 10,
    cases: ["v2 get", "v1 get"],
    cold: ids,
  });
  for (const id of ids) {
    const label = CONTESTANTS.find((c) => c.id === id)!.label;
    for (const w of p.warm.filter((w) => w.id === id)) {
      print(
        `Warm ${w.name}, ${label} (${invocations} invocations, ${w.cpuUs.toFixed(2)} µs CPU each under the profiler)`,
        w.tally,
      );
    }
    const { tally } = p.cold.find((c) => c.id === id)!;
    const runs = p.options.coldRuns;
    print(`Cold start, ${label} (${runs} processes, whole process)`, tally, runs);
    printOverBaseline(`Cold start, ${label}, over an empty process`, tally, p.baseline, runs);
  }
}

// Run as a script; `npm run bench` imports profileOurs instead.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
