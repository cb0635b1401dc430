// Where aio-lambda-api's time goes: the CPU profiles of scripts/bench/profile.ts summed by area, for the report.
//
// The minimal app, access log off and on, bundled by plain esbuild to CommonJS. Warm: the timed
// loop of a REST GET, one process per access-log setting; each area's share of the samples is
// scaled to the CPU time per invocation the process measured under the profiler. Cold: the
// require and first invocation of fresh processes, ms per process under the profiler. Idle samples
// are left out: only CPU counts.

import path from "node:path";
import type { Tally } from "./cpu-profile.js";
import type { CaseName } from "./events.js";
import { PROFILED, profileOurs } from "./profile.js";

/** Areas for the fine summary: each lib/ file by name, and these groups. */
export const GROUPS = {
  powertools: "Powertools Logger (@aws-lambda-powertools/*, @aws/lambda-invoke-store)",
  compile: "bundle: parse, compile, module wrappers",
  topLevel: "bundle: top-level code of its modules (run at load)",
  node: "Node.js internals (node:*)",
  gc: "garbage collection",
  program: "V8: (program)",
  builtins: "V8 builtins",
  harness: "the measuring loop (warm-child.mjs, cold-child.mjs)",
  serializers: "compiled serializers",
} as const;

/** One profile summed: per invocation (warm, µs) or per process (cold, ms). */
export interface ProfileSummary {
  /** Every area's amount added up. */
  readonly total: number;
  /** Amount per area (lib/ files by name, packages by name, the groups above), largest first. */
  readonly areas: readonly [area: string, amount: number][];
  /** The lib/ functions with the most self time: `name  lib/file.ts:line` and amount. */
  readonly topLib: readonly [key: string, amount: number][];
}

/** The profiles of one `npm run bench`. */
export interface Where {
  readonly invocations: number;
  readonly coldRuns: number;
  /** The contestant ids profiled, log off then on. */
  readonly ids: readonly string[];
  /** Warm REST GET, µs per invocation, per contestant id. */
  readonly warm: Record<string, ProfileSummary>;
  /** Require + first invocation, ms per process, per contestant id. */
  readonly cold: Record<string, ProfileSummary>;
}

export const WARM_CASE: CaseName = "v1 get";
const TOP_LIB = 5;

/** The area a profile area (a package, a lib/ file, a node: URL, a V8 part) is summed in. */
function areaOf(area: string): string | undefined {
  if (area === "(idle)") return undefined;
  if (area.startsWith("@aws-lambda-powertools/") || area.startsWith("@aws/"))
    return GROUPS.powertools;
  if (area.startsWith("lib/")) return area;
  if (area.startsWith("aio-lambda-api-precompiled")) return GROUPS.serializers;
  if (area.startsWith("aio-lambda-api-builtin") || area === "(bundle runtime helpers)")
    return GROUPS.compile;
  if (area === "(bundle top level)") return GROUPS.topLevel;
  if (area.startsWith("node:")) return GROUPS.node;
  if (area === "(garbage collector)") return GROUPS.gc;
  if (area === "(program)") return GROUPS.program;
  if (area.startsWith("(")) return GROUPS.builtins;
  if (area.startsWith("file:") && /\/scripts\/bench\/[a-z-]+\.mjs$/.test(area))
    return GROUPS.harness;
  return area;
}

// Node compiles a CommonJS module in wrapSafe and an ES module in compileSourceTextModule: their
// self time is V8 parsing and compiling the bundle, not Node's own work.
const COMPILE = /^(wrapSafe|compileSourceTextModule)\s/;

/** Sums one tally by area; `scale` turns sampled µs into the unit shown. */
function summary(tally: Tally, scale: (us: number) => number): ProfileSummary {
  const raw = new Map<string, number>();
  const add = (area: string, us: number) => raw.set(area, (raw.get(area) ?? 0) + us);
  for (const [area, us] of tally.selfByArea) {
    const a = areaOf(area);
    if (a) add(a, us);
  }
  for (const [key, us] of tally.selfByFunction) {
    if (COMPILE.test(key)) {
      add(GROUPS.node, -us);
      add(GROUPS.compile, us);
    }
  }
  const areas = [...raw]
    .map(([area, us]): [string, number] => [area, scale(Math.max(us, 0))])
    .sort((a, b) => b[1] - a[1]);
  const topLib = [...tally.selfByFunction]
    .filter(([key]) => key.includes(" lib/"))
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP_LIB)
    .map(([key, us]): [string, number] => [key, scale(us)]);
  return { total: areas.reduce((s, [, v]) => s + v, 0), areas, topLib };
}

/** The sampled µs of a tally, idle left out. */
function sampled(tally: Tally): number {
  return tally.totalUs - (tally.selfByArea.get("(idle)") ?? 0);
}

/** Profiles the minimal app warm (REST GET) and cold, log off and on, in `root`/where. */
export async function whereTimeGoes(
  root: string,
  invocations: number,
  coldRuns: number,
): Promise<Where> {
  const p = await profileOurs({
    dir: path.join(root, "where"),
    invocations,
    coldRuns,
    cases: [WARM_CASE],
    ids: PROFILED,
  });
  const warm: Record<string, ProfileSummary> = {};
  const cold: Record<string, ProfileSummary> = {};
  for (const w of p.warm) {
    const total = sampled(w.tally);
    warm[w.id] = summary(w.tally, (us) => (total > 0 ? (us / total) * w.cpuUs : 0));
  }
  for (const c of p.cold) cold[c.id] = summary(c.tally, (us) => us / coldRuns / 1000);
  return { invocations, coldRuns, ids: [...PROFILED], warm, cold };
}
