// The report's route-matching and profile sections ("Where the time goes"), from one run's figures.

import type { RouterFigures } from "../bench-router.js";
import type { Figures } from "./report-tables.js";
import { type ProfileSummary, WARM_CASE, type Where } from "./where.js";

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

/** The areas of a profile, top `count` and the rest summed: `[area, amount]`. */
export function topAreas(s: ProfileSummary, count: number): [string, number][] {
  const head = s.areas.slice(0, count);
  const rest = s.areas.slice(count).reduce((sum, [, v]) => sum + v, 0);
  return rest > 0 ? [...head, ["everything else", rest]] : head;
}

/** `amount (share%)`. */
function cell(value: number | undefined, s: ProfileSummary, digits: number): string {
  if (value === undefined) return "";
  const share = s.total > 0 ? (100 * value) / s.total : 0;
  return `${value.toFixed(digits)} (${share.toFixed(0)}%)`;
}

/** One table for a kind of profile (warm or cold), log off and on side by side, top 10 areas each. */
function profileTable(w: Where, kind: "warm" | "cold", unit: string, digits: number): string[] {
  const summaries = w.ids.map((id) => [id, w[kind][id]!] as const);
  const keys: string[] = [];
  for (const [, s] of summaries)
    for (const [area] of topAreas(s, 10)) if (!keys.includes(area)) keys.push(area);
  keys.sort((a, b) => (a === "everything else" ? 1 : b === "everything else" ? -1 : 0));
  const value = (s: ProfileSummary, area: string) => {
    if (area !== "everything else") return s.areas.find(([a]) => a === area)?.[1] ?? 0;
    return s.areas.filter(([a]) => !keys.includes(a)).reduce((sum, [, v]) => sum + v, 0);
  };
  return [
    `| area | ${summaries.map(([id]) => `${LABELS[id] ?? id}: ${unit} (share)`).join(" | ")} |`,
    `| --- | ${summaries.map(() => "---:").join(" | ")} |`,
    ...keys.map(
      (area) =>
        `| ${area} | ${summaries.map(([, s]) => cell(value(s, area), s, digits)).join(" | ")} |`,
    ),
    `| **total** | ${summaries.map(([, s]) => s.total.toFixed(digits)).join(" | ")} |`,
  ];
}

const LABELS: Record<string, string> = { "aio-off-cjs": "log off", "aio-on-cjs": "log on" };

export function whereSection(f: Figures): string {
  const w = f.profiles;
  if (!w)
    return "Not measured in this run: `npx tsx scripts/bench/profile.ts` prints the profiles.";
  const top = (["warm", "cold"] as const).flatMap((kind) =>
    w.ids.map(
      (id) =>
        `| ${kind} ${LABELS[id] ?? id} | ${w[kind][id]!.topLib.map(([key, v]) => `${fn(key)} ${v.toFixed(2)}`).join("; ")} |`,
    ),
  );
  return [
    "CPU profiles (`node --cpu-prof`) of the minimal app (access log off and on), bundled as CDK or",
    "SAM would (plain esbuild, CommonJS) but with identifiers kept and a source map, so each sample",
    "maps to its package or lib/ file; self time summed by area, each lib/ file by name. Each profile",
    "is cut to the span that matters, on the clock the measuring process reads: warm, the timed loop",
    `of ${w.invocations.toLocaleString("en")} ${WARM_CASE === "v1 get" ? "REST GETs" : WARM_CASE} (each area's share of the samples times the CPU µs per`,
    "invocation measured under the profiler, slower than the tables above); cold, the `require` of the",
    `bundle and its first invocation in ${w.coldRuns} fresh processes sampled every 50 µs (ms per process under`,
    "the profiler, about twice the unprofiled figure). `npx tsx scripts/bench/profile.ts` prints them",
    "function by function.",
    "",
    `Warm ${WARM_CASE === "v1 get" ? "REST GET" : WARM_CASE}, µs per invocation, top 10 areas of each:`,
    "",
    ...profileTable(w, "warm", "µs", 2),
    "",
    "Cold start (require + first invocation), ms per process, top 10 areas of each:",
    "",
    ...profileTable(w, "cold", "ms", 2),
    "",
    "The lib/ functions with the most self time in each profile (µs warm, ms cold):",
    "",
    "| profile | lib/ functions, self time |",
    "| --- | --- |",
    ...top,
  ].join("\n");
}

export { f1, f2 };
