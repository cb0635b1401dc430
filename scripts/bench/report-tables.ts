// The report's figures and tables: warm, wall, cold and size of every contestant; printed and in docs/performance.md.

import type { RouterFigures } from "../bench-router.js";
import type { Built } from "./build.js";
import type { ColdResults } from "./cold.js";
import { CONTESTANTS, type Contestant, FLOOR } from "./contestants.js";
import type { CaseName } from "./events.js";
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
  /** Contestants that could not be built in this run (our plugin not written yet), and why. */
  readonly unavailable: readonly { readonly id: string; readonly reason: string }[];
  readonly date: Date;
  /** How long the run took, s. */
  readonly seconds: number;
  /** Route matching at 5, 50 and 500 routes. */
  readonly router?: RouterFigures;
  /** Where our time goes, from CPU profiles. */
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

/** The contestants this run measured, in the list's order. */
export function measured(f: Figures): Contestant[] {
  return CONTESTANTS.filter((c) => f.built.has(c.id) && f.warm[c.id] !== undefined);
}

/** The median CPU µs per invocation of one contestant and case. */
export const warmUs = (f: Figures, id: string, name: CaseName) =>
  f.warm[id]![name]!.medianNs / 1000;

export function warmTable(f: Figures): string[] {
  const cases = f.warmOptions.cases;
  const head = `| contestant | ${cases.map((c) => `${CASE_TITLES[c] ?? c} µs | × bare (min–max)`).join(" | ")} |`;
  const rule = `| --- | ${cases.map(() => "---: | ---:").join(" | ")} |`;
  const rows = measured(f).map((c) => {
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
  const rows = measured(f).map((c) => {
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
  const rows = measured(f).map((c) => {
    const r = f.cold.contestants[c.id]!;
    const b = f.built.get(c.id)!;
    const besides =
      b.gzipBesidesPowertools === undefined
        ? ""
        : ` (${kb(b.gzipBesidesPowertools)} besides Powertools)`;
    return `| ${c.label} | ${r.ms.toFixed(1)} | ${r.inProcessMs.toFixed(1)} | ${r.importMs.toFixed(1)} | ${r.firstCallMs.toFixed(1)} | ${r.cpuMs.toFixed(1)} | ${r.rssMb.toFixed(1)} | ${kb(b.bytes)} | ${kb(b.gzipBytes)}${besides} |`;
  });
  return [
    "| contestant | from process start ms | import + first invocation ms | import ms | first invocation ms | CPU ms | peak RSS MB | bundle kB | gzip kB |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
  ];
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
