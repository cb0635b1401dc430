// Profiles aio-lambda-api under `node --cpu-prof`: warm GET (access log on and off) and cold start.
//
// Run: npx tsx scripts/bench/profile.ts [invocations]
// The apps are bundled through `bundle()` unminified with a source map, so every frame maps back
// to its source file and line (lib/… or the package under node_modules). Prints, for each warm
// profile, the functions with the most self time and the most time with callees (lib/ only), and
// self time per package; for cold starts (10 processes, sampled every 50 µs), self time per
// package for the whole process and over an empty process.
// The .cpuprofile files stay in .bench-tmp/profile/ for Chrome DevTools or speedscope.

import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildContestant, emptyModule, TMP } from "./build.js";
import { runColdChild } from "./cold.js";
import { CONTESTANTS } from "./contestants.js";
import { addProfile, emptyTally, type Tally, top } from "./cpu-profile.js";
import { buildEvents, type CaseName } from "./events.js";
import { loadSourceMap } from "./source-map.js";
import { runWarmChild, writeJob } from "./warm.js";

const invocations = Number(process.argv[2] ?? 200_000);
const dir = path.join(TMP, "profile");
const COLD_RUNS = 10;
await rm(dir, { recursive: true, force: true });

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

async function profiles(sub: string): Promise<string[]> {
  const files = await readdir(path.join(dir, sub));
  return files.filter((f) => f.endsWith(".cpuprofile")).map((f) => path.join(dir, sub, f));
}

/** Profiles COLD_RUNS cold processes of one bundle (sampled every 50 µs) into one tally. */
async function coldTally(
  bundle: string,
  sub: string,
  map: ReturnType<typeof loadSourceMap> | undefined,
): Promise<Tally> {
  for (let run = 0; run < COLD_RUNS; run++) {
    await runColdChild(bundle, eventFile, [
      "--cpu-prof",
      "--cpu-prof-interval=50",
      `--cpu-prof-dir=${path.join(dir, sub)}`,
    ]);
  }
  let tally = emptyTally();
  for (const file of await profiles(sub))
    tally = addProfile(tally, file, path.basename(bundle), map);
  return tally;
}

/** Self time per area over the baseline process's, per run: what the bundle adds, and where. */
function printOverBaseline(title: string, tally: Tally, base: Tally): void {
  const areas = new Set([...tally.selfByArea.keys(), ...base.selfByArea.keys()]);
  const diff = [...areas].map((area): [string, number] => [
    area,
    ((tally.selfByArea.get(area) ?? 0) - (base.selfByArea.get(area) ?? 0)) / COLD_RUNS,
  ]);
  const added = (tally.totalUs - base.totalUs) / COLD_RUNS;
  console.log(`
## ${title}: ${(added / 1000).toFixed(1)} ms of samples over the baseline per run
`);
  console.log("Self time over the baseline by package / file (largest first):");
  for (const [area, us] of diff.sort((a, b) => b[1] - a[1]).slice(0, 16)) {
    console.log(`  ${ms(us)}  ${area}`);
  }
}

const events = buildEvents();
const cases: CaseName[] = ["v2 get", "v1 get"];
const eventFile = path.join(dir, "event.json");
await mkdir(dir, { recursive: true });
await writeFile(eventFile, JSON.stringify(events["v2 get"]));
const baseline = await coldTally(await emptyModule(dir), "baseline-cold", undefined);
for (const id of ["aio-log-on", "aio-log-off"]) {
  const contestant = CONTESTANTS.find((c) => c.id === id)!;
  const built = await buildContestant(contestant, dir, { minify: false, sourcemap: true });
  const map = loadSourceMap(`${built.file}.map`);
  const bundleName = path.basename(built.file);
  for (const name of cases) {
    const sub = `${id}-${name.replace(" ", "-")}`;
    const job = await writeJob(dir, contestant, built.file, events, {
      iterations: invocations,
      warmup: 5_000,
      rounds: 1,
      cases: [name],
    });
    const result = await runWarmChild(job, ["--cpu-prof", `--cpu-prof-dir=${path.join(dir, sub)}`]);
    let tally = emptyTally();
    for (const file of await profiles(sub)) tally = addProfile(tally, file, bundleName, map);
    print(
      `Warm ${name}, ${contestant.label} (${invocations} invocations, ${(result.cpu[name]! / 1000).toFixed(2)} µs CPU each under the profiler)`,
      tally,
    );
  }
  const tally = await coldTally(built.file, `${id}-cold`, map);
  print(
    `Cold start, ${contestant.label} (${COLD_RUNS} processes, whole process)`,
    tally,
    COLD_RUNS,
  );
  printOverBaseline(`Cold start, ${contestant.label}, over an empty process`, tally, baseline);
}
