// The report's figures and tables: warm, wall, cold and size, the performance targets; printed and in docs/performance.md.

import type { RouterFigures } from "../bench-router.js";
import type { Built } from "./build.js";
import type { ColdResults } from "./cold.js";
import { CONTESTANTS, FLOOR } from "./contestants.js";
import type { CaseName } from "./events.js";
import { ROUTER_GOAL, routerRatio } from "./report-sections.js";
import type { WarmOptions, WarmResults } from "./warm.js";
import type { Where } from "./where.js";

/** Everything one `npm run bench` measured. */
export interface Figures {
  readonly mode: "full" | "quick";
  readonly warm: WarmResults;
  readonly warmOptions: WarmOptions;
  readonly cold: ColdResults;
  readonly coldRuns: number;
  readonly built: ReadonlyMap<string, Built>;
  readonly date: Date;
  /** Every input of our log-on bundle, largest first. */
  readonly ourInputs: readonly { path: string; bytes: number }[];
  /** Route matching at 5, 50 and 500 routes (absent from figures saved before it was added). */
  readonly router?: RouterFigures;
  /** Where our time goes, from CPU profiles (absent likewise). */
  readonly profiles?: Where;
}

export const CASE_TITLES: Record<string, string> = {
  "v2 get": "HTTP API GET",
  "v1 get": "REST GET",
  "v2 post": "HTTP API POST",
  "v1 post": "REST POST",
  "v2 missing": "HTTP API 404",
  "v1 missing": "REST 404",
};

export const us = (ns: number) => (ns / 1000).toFixed(ns < 10_000 ? 2 : 1);
export const x = (ratio: number) => (ratio < 10 ? ratio.toFixed(2) : ratio.toFixed(1));
export const kb = (bytes: number) => (bytes / 1000).toFixed(1);

/** The median CPU µs per invocation of one contestant and case. */
export const warmUs = (f: Figures, id: string, name: CaseName) =>
  f.warm[id]![name]!.medianNs / 1000;

/** The bundle's gzip size the issue allows our app. */
export const BUNDLE_GOAL = 15_000;

export function warmTable(f: Figures): string[] {
  const cases = f.warmOptions.cases;
  const head = `| contestant | ${cases.map((c) => `${CASE_TITLES[c] ?? c} µs | × bare (min–max)`).join(" | ")} |`;
  const rule = `| --- | ${cases.map(() => "---: | ---:").join(" | ")} |`;
  const rows = CONTESTANTS.map((c) => {
    const cells = cases.map((name) => {
      const cell = f.warm[c.id]![name]!;
      const ratio =
        c.id === FLOOR ? "1" : `${x(cell.medianRatio)} (${x(cell.minRatio)}–${x(cell.maxRatio)})`;
      return `${us(cell.medianNs)} | ${ratio}`;
    });
    return `| ${c.label} | ${cells.join(" | ")} |`;
  });
  return [head, rule, ...rows];
}

export function wallTable(f: Figures): string[] {
  const cases = f.warmOptions.cases;
  const rows = CONTESTANTS.map((c) => {
    const cells = cases.map((name) => {
      const cell = f.warm[c.id]![name]!;
      const ratio = cell.medianWallNs / f.warm[FLOOR]![name]!.medianWallNs;
      return `${us(cell.medianWallNs)} | ${c.id === FLOOR ? "1" : x(ratio)}`;
    });
    return `| ${c.label} | ${cells.join(" | ")} |`;
  });
  return [
    `| contestant | ${cases.map((c) => `${CASE_TITLES[c] ?? c} µs | × bare`).join(" | ")} |`,
    `| --- | ${cases.map(() => "---: | ---:").join(" | ")} |`,
    ...rows,
  ];
}

export function coldTable(f: Figures): string[] {
  const rows = CONTESTANTS.map((c) => {
    const r = f.cold.contestants[c.id]!;
    const b = f.built.get(c.id)!;
    return `| ${c.label} | ${r.ms.toFixed(1)} | ${r.inProcessMs.toFixed(1)} | ${r.importMs.toFixed(1)} | ${r.firstCallMs.toFixed(1)} | ${r.cpuMs.toFixed(1)} | ${r.rssMb.toFixed(1)} | ${kb(b.bytes)} | ${kb(b.gzipBytes)} |`;
  });
  return [
    "| contestant | from process start ms | import + first invocation ms | import ms | first invocation ms | CPU ms | peak RSS MB | bundle kB | gzip kB |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
  ];
}

/** The issue's targets in this run: goal, measured, met or not, and the gap in absolute terms. */
export function targetRows(f: Figures): string[] {
  const rows: string[] = [];
  const row = (target: string, goal: string, measured: string, ok: boolean, gap: string) =>
    rows.push(
      `| ${target} | ${goal} | ${measured} | ${ok ? "met" : "**not met**"} | ${ok ? "" : gap} |`,
    );
  const plus = (value: number, unit: string) => `+${value.toFixed(2)} ${unit}`;
  for (const name of f.warmOptions.cases) {
    const title = CASE_TITLES[name] ?? name;
    for (const [log, peer] of [
      ["off", "middy"],
      ["on", "lambda-api"],
    ] as const) {
      const ours = warmUs(f, `aio-log-${log}`, name);
      const theirs = warmUs(f, peer, name);
      row(
        `warm ${title}, log ${log} vs ${peer}`,
        "≤ 1.00×",
        `${(ours / theirs).toFixed(2)}×`,
        ours <= theirs,
        plus(ours - theirs, "µs"),
      );
    }
  }
  const ours = f.cold.contestants["aio-log-on"]!;
  const middy = f.cold.contestants.middy!;
  for (const [what, a, b] of [
    ["import + first invocation", ours.inProcessMs, middy.inProcessMs],
    ["from process start", ours.ms, middy.ms],
  ] as const) {
    const target = `cold start (${what}), log on + validation + response schema, vs middy`;
    if (b > 0) row(target, "≤ 1.00×", `${(a / b).toFixed(2)}×`, a <= b, plus(a - b, "ms"));
    else
      row(
        target,
        "≤ 1.00×",
        `${a.toFixed(1)} vs ${b.toFixed(1)} ms`,
        a <= b,
        "middy's figure is noise (≤ 0)",
      );
  }
  const gz = f.built.get("aio-log-on")!.gzipBytes;
  row(
    "bundle of that app, gzip",
    `≤ ${kb(BUNDLE_GOAL)} kB`,
    `${kb(gz)} kB`,
    gz <= BUNDLE_GOAL,
    `+${kb(gz - BUNDLE_GOAL)} kB`,
  );
  if (f.router) {
    const { ratio, name } = routerRatio(f.router);
    row(
      "route matching, 500 vs 5 routes (worst lookup kind)",
      `≤ ${ROUTER_GOAL.toFixed(2)}× (flat)`,
      `${ratio.toFixed(2)}×`,
      ratio <= ROUTER_GOAL,
      `${name}: ${ratio.toFixed(2)}×`,
    );
  }
  return ["| target | goal | measured | | gap |", "| --- | ---: | ---: | --- | ---: |", ...rows];
}

/** The tables alone, as printed to stdout. */
export function tables(f: Figures): string {
  return [
    "Warm invocations, CPU time (median over rounds; × bare in the same round, median and min–max):",
    "",
    ...warmTable(f),
    "",
    "Warm invocations, wall time (medians):",
    "",
    ...wallTable(f),
    "",
    "Cold start and size (medians; the baseline process is subtracted):",
    "",
    ...coldTable(f),
    "",
    "Targets of issue 8:",
    "",
    ...targetRows(f),
    "",
  ].join("\n");
}

/** Bytes of the bundle per package (`@scope/name`), per lib/ folder, and `lib/*.ts`. */
export function byPackage(inputs: readonly { path: string; bytes: number }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const input of inputs) {
    const parts = input.path.split("/");
    const at = parts.lastIndexOf("node_modules");
    const name = parts[at + 1] ?? "";
    const key =
      at !== -1
        ? name.startsWith("@")
          ? `${name}/${parts[at + 2] ?? ""}`
          : name
        : input.path.includes(":")
          ? input.path
          : parts.length > 2
            ? parts.slice(0, 2).join("/")
            : `${parts[0]}/*.ts`;
    out.set(key, (out.get(key) ?? 0) + input.bytes);
  }
  return out;
}
