// The report's route-matching and profile sections ("Where the time goes"), from one run's figures.

import type { RouterFigures } from "../bench-router.js";
import type { Figures } from "./report-tables.js";
import { AREAS, type ProfileSummary, WARM_CASE } from "./where.js";

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);

/**
 * The goal for route matching: flat, whatever the number of routes. A static route is a Map
 * lookup, a few ns slower in a 500-entry map than in a 5-entry one (CPU cache, 1.04–1.11× over
 * runs here); a linear scan grows about 150×. 1.20× leaves room for that, not for growth.
 */
export const ROUTER_GOAL = 1.2;

/** The largest 500-routes ÷ 5-routes ratio over the lookup kinds, and that kind. */
export function routerRatio(r: RouterFigures): { ratio: number; name: string } {
  let worst = { ratio: 0, name: "" };
  for (const [name, ns] of r.lookups) {
    const ratio = ns[ns.length - 1]! / ns[0]!;
    if (ratio > worst.ratio) worst = { ratio, name };
  }
  return worst;
}

export function routerSection(r: RouterFigures | undefined): string {
  if (!r) return "Not measured in this run: `npx tsx scripts/bench-router.ts` prints it.";
  const last = r.sizes[r.sizes.length - 1];
  const head = `| lookup | ${r.sizes.map((s) => `${s} routes ns`).join(" | ")} | ${last} ÷ ${r.sizes[0]} |`;
  const rule = `| --- | ${r.sizes.map(() => "---:").join(" | ")} | ---: |`;
  const row = (name: string, values: readonly number[], digits = 0) =>
    `| ${name} | ${values.map((v) => v.toFixed(digits)).join(" | ")} | ${f2(values[values.length - 1]! / values[0]!)} |`;
  return [
    `ns per \`router.match\` for each kind of route with ${r.sizes.join(", ")} routes registered (best of`,
    `${r.rounds} interleaved rounds; scripts/bench-router.ts), beside a router that tries each route's`,
    "RegExp in turn (the cost that grows), and µs per whole `api.handler` call (HTTP API GET, access",
    "log off). The target is the worst ratio of the lookup kinds.",
    "",
    head,
    rule,
    ...r.lookups.map(([name, ns]) => row(name, ns)),
    row("reference: a miss by a linear RegExp scan", r.linear),
    row("whole `api.handler` call (µs)", r.handlerUs, 2),
  ].join("\n");
}

/** `name  lib/file.ts:12` → `` `name` lib/file.ts:12 ``. */
function fn(key: string): string {
  const [name, where] = key.split(/\s{2,}/);
  return `\`${name}\` ${where ?? ""}`.trim().replace(/\|/g, "\\|");
}

/** µs or ms and the share of the profile's CPU. */
function cell(value: number, s: ProfileSummary, digits: number): string {
  const share = s.total > 0 ? (100 * value) / s.total : 0;
  return `${value.toFixed(digits)} (${share.toFixed(0)}%)`;
}

export function whereSection(f: Figures): string {
  const w = f.profiles;
  if (!w)
    return "Not measured in this run: `npx tsx scripts/bench/profile.ts` prints the profiles.";
  const profiles: [string, ProfileSummary, string, number][] = [
    ["warm REST GET, log on", w.warmOn, "µs", 2],
    ["warm REST GET, log off", w.warmOff, "µs", 2],
    ["cold start, log on", w.cold, "ms", 1],
  ];
  const rows = AREAS.map(
    (a) => `| ${a} | ${profiles.map(([, s, , d]) => cell(s.byArea[a], s, d)).join(" | ")} |`,
  );
  const top = profiles.map(
    ([title, s, unit, d]) =>
      `| ${title} | ${s.topLib.map(([key, v]) => `${fn(key)} ${v.toFixed(d)} ${unit}`).join("; ")} |`,
  );
  return [
    "CPU profiles (`node --cpu-prof`) of aio-lambda-api, bundled unminified with a source map so each",
    "sample maps to its package or lib/ file; self time summed by area. Warm: one process per",
    `access-log setting, ${w.invocations.toLocaleString("en")} timed ${WARM_CASE === "v1 get" ? "REST GETs" : WARM_CASE}; each area's share of the samples`,
    "times the CPU µs per invocation the process measured under the profiler (slower than the",
    `tables above). Cold: ${w.coldRuns} processes sampled every 50 µs, minus as many empty processes, ms per process.`,
    "`npx tsx scripts/bench/profile.ts` prints them function by function.",
    "",
    `| area | ${profiles.map(([title, , unit]) => `${title}: ${unit} (share)`).join(" | ")} |`,
    `| --- | ${profiles.map(() => "---:").join(" | ")} |`,
    ...rows,
    `| **total** | ${profiles.map(([, s, , d]) => s.total.toFixed(d)).join(" | ")} |`,
    "",
    `In the cold start, ${f1(w.coldWithCallees.powertools)} ms a process has Powertools Logger on the stack (its`,
    `callees included: the Node.js modules it loads, its Console) and ${f2(w.coldWithCallees.toJsonSchema)} ms @valibot/to-json-schema.`,
    "The profiled bundle is unminified, so its parse and compile take longer than the deployed one's.",
    "",
    "The lib/ functions with the most self time in each profile:",
    "",
    "| profile | lib/ functions, self time |",
    "| --- | --- |",
    ...top,
  ].join("\n");
}

export { f1, f2 };
