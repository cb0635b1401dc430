// Where aio-lambda-api's time goes: the CPU profiles of scripts/bench/profile.ts summed by area, for the report.
//
// Warm: a REST GET in one process per access-log setting; each area's share of the samples is
// scaled to the CPU time per invocation the process measured under the profiler. Cold: the log-on
// app's processes minus as many empty processes (ms per process, under the profiler). Idle
// samples are left out: only CPU counts.

import path from "node:path";
import type { Tally } from "./cpu-profile.js";
import type { CaseName } from "./events.js";
import { profileOurs } from "./profile.js";

/** The areas the report sums profiles into, in the order it shows them. */
export const AREAS = [
  "Powertools (@aws-lambda-powertools/*)",
  "aio-lambda-api (lib/)",
  "valibot",
  "@valibot/to-json-schema",
  "fast-json-stringify (compiled serializers)",
  "bundle: parse, compile, module wrappers",
  "Node.js internals (node:*)",
  "garbage collection",
  "V8: (program), builtins",
  "other",
] as const;
export type Area = (typeof AREAS)[number];

/** One profile summed: per invocation (warm, µs) or per process (cold, ms). */
export interface ProfileSummary {
  readonly total: number;
  readonly byArea: Record<Area, number>;
  /** The lib/ functions with the most self time: `name  lib/file.ts:line` and amount. */
  readonly topLib: readonly [key: string, amount: number][];
}

/** The profiles of one `npm run bench`. */
export interface Where {
  readonly invocations: number;
  readonly coldRuns: number;
  /** Warm REST GET, µs per invocation. */
  readonly warmOn: ProfileSummary;
  readonly warmOff: ProfileSummary;
  /** Cold start of the log-on app over an empty process, ms per process. */
  readonly cold: ProfileSummary;
  /** Cold: ms per process with these packages on the stack (their callees included). */
  readonly coldWithCallees: { readonly powertools: number; readonly toJsonSchema: number };
}

export const WARM_CASE: CaseName = "v1 get";
const TOP_LIB = 4;

function areaOf(area: string): Area | undefined {
  if (area === "(idle)") return undefined;
  if (area.startsWith("@aws-lambda-powertools/") || area.startsWith("@aws/")) return AREAS[0];
  if (area.startsWith("lib/") || area.startsWith("aio-lambda-api-builtin")) return AREAS[1];
  if (area === "valibot") return AREAS[2];
  if (area === "@valibot/to-json-schema") return AREAS[3];
  if (area === "fast-json-stringify" || area === "aio-lambda-api-precompiled:serializers") {
    return AREAS[4];
  }
  if (area === "(bundle runtime helpers)") return AREAS[5];
  if (area.startsWith("node:")) return AREAS[6];
  if (area === "(garbage collector)") return AREAS[7];
  if (area.startsWith("(")) return AREAS[8];
  return AREAS[9];
}

// Node's ESM loader compiles a module in this function: its self time is V8 parsing and
// compiling the bundle, not Node's own work.
const COMPILE = /^compileSourceTextModule\s/;

/** Adds `sign` × each sample's self µs to its area (idle left out). */
function addAreas(out: Record<Area, number>, tally: Tally, sign: number): void {
  for (const [area, us] of tally.selfByArea) {
    const a = areaOf(area);
    if (a) out[a] += sign * us;
  }
  for (const [key, us] of tally.selfByFunction) {
    if (COMPILE.test(key)) {
      out["Node.js internals (node:*)"] -= sign * us;
      out["bundle: parse, compile, module wrappers"] += sign * us;
    }
  }
}

/** Self µs by area, optionally minus another tally's. */
function rawByArea(tally: Tally, minus?: Tally): Record<Area, number> {
  const out = Object.fromEntries(AREAS.map((a) => [a, 0])) as Record<Area, number>;
  addAreas(out, tally, 1);
  if (minus) addAreas(out, minus, -1);
  for (const a of AREAS) out[a] = Math.max(out[a], 0);
  return out;
}

/** Sums one tally; `scale` turns sampled µs into the unit shown (µs per invocation, ms per run). */
function summary(tally: Tally, scale: (us: number) => number, minus?: Tally): ProfileSummary {
  const raw = rawByArea(tally, minus);
  const byArea = Object.fromEntries(AREAS.map((a) => [a, scale(raw[a])])) as Record<Area, number>;
  const topLib = [...tally.selfByFunction]
    .filter(([key]) => key.includes(" lib/"))
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP_LIB)
    .map(([key, us]): [string, number] => [key, scale(us)]);
  return { total: AREAS.reduce((s, a) => s + byArea[a], 0), byArea, topLib };
}

/** Profiles aio-lambda-api warm (REST GET, log on and off) and cold (log on), in `root`/where. */
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
    cold: ["aio-log-on"],
  });
  const warm = (id: string): ProfileSummary => {
    const w = p.warm.find((w) => w.id === id)!;
    const sampled = AREAS.reduce((s, a) => s + rawByArea(w.tally)[a], 0);
    return summary(w.tally, (us) => (sampled > 0 ? (us / sampled) * w.cpuUs : 0));
  };
  const cold = p.cold.find((c) => c.id === "aio-log-on")!.tally;
  const perRun = (us: number) => us / coldRuns / 1000;
  return {
    invocations,
    coldRuns,
    warmOn: warm("aio-log-on"),
    warmOff: warm("aio-log-off"),
    cold: summary(cold, perRun, p.baseline),
    coldWithCallees: {
      powertools: perRun(cold.totalByArea.get("@aws-lambda-powertools/logger") ?? 0),
      toJsonSchema: perRun(cold.totalByArea.get("@valibot/to-json-schema") ?? 0),
    },
  };
}
