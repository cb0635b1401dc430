// The performance targets in one run: each pair's warm, cold and size ratios per bundling, and the app with schemas against the logged peer.

import type { Built } from "./build.js";
import { howBundled, PAIRINGS, PAIRS, type Pair } from "./contestants.js";
import type { CaseName } from "./events.js";
import { CASE_TITLES, type Figures, kb, x } from "./report-tables.js";
import { median } from "./stats.js";
import { unusedInputs } from "./unused.js";

/** The warm cases the targets name: GET in both API Gateway formats. */
export const TARGET_CASES: readonly CaseName[] = ["v2 get", "v1 get"];

/** The stretch goal of the log-off pair's warm GET. */
export const STRETCH = 0.5;

/** Ours over the peer's CPU time per invocation, per round (both ran in every round), median. */
export function warmRatio(f: Figures, ours: string, peer: string, name: CaseName): number {
  const a = f.warm[ours]?.[name];
  const b = f.warm[peer]?.[name];
  if (!a || !b) return Number.NaN;
  return median(a.ns.map((ns, round) => ns / b.ns[round]!));
}

/** Ours over the peer's import + first invocation (medians of each). */
export function coldRatio(f: Figures, ours: string, peer: string): number {
  const a = f.cold.contestants[ours];
  const b = f.cold.contestants[peer];
  if (!a || !b || b.inProcessMs <= 0) return Number.NaN;
  return a.inProcessMs / b.inProcessMs;
}

/** One comparison of a target: the cell shown, whether it is met, the gap when not. */
interface Cell {
  readonly text: string;
  readonly met: boolean;
  readonly gap: string;
}

/** The pairs' bundlings measured in this run: `[label, ours id, peer id]`. */
export function pairings(f: Figures, pair: Pair): [string, string, string][] {
  return PAIRINGS.map((p): [string, string, string] => [
    p.ours === "cli" ? "bundle" : p.ours,
    `${pair.ours}-${p.ours}`,
    `${pair.peer}-${p.peer}`,
  ]).filter(([, ours, peer]) => f.built.has(ours) && f.built.has(peer) && f.warm[ours]);
}

function ratioCell(ratio: number, goal: number, gap: () => string): Cell {
  if (Number.isNaN(ratio)) return { text: "n/a", met: false, gap: "not measured" };
  return { text: `${x(ratio)}×`, met: ratio <= goal, gap: gap() };
}

function warmCell(f: Figures, ours: string, peer: string, name: CaseName, goal: number): Cell {
  const ratio = warmRatio(f, ours, peer, name);
  // The gap in µs, from the ratio (a median of per-round ratios) and the peer's median.
  const gap = ((ratio - goal) * f.warm[peer]![name]!.medianNs) / 1000;
  return ratioCell(ratio, goal, () => `+${gap.toFixed(2)} µs`);
}

function coldCell(f: Figures, ours: string, peer: string): Cell {
  const a = f.cold.contestants[ours]!.inProcessMs;
  const b = f.cold.contestants[peer]!.inProcessMs;
  if (b <= 0)
    return {
      text: `${a.toFixed(1)} vs ${b.toFixed(1)} ms`,
      met: a <= b,
      gap: "peer's figure is noise (≤ 0)",
    };
  return ratioCell(a / b, 1, () => `+${(a - b).toFixed(1)} ms`);
}

function bundleCell(pair: Pair, ours: Built, peer: Built): Cell {
  if (pair.bundleGoal.kind === "besides") {
    const rest = ours.gzipBesidesPowertools ?? ours.gzipBytes;
    return {
      text: `${kb(rest)} kB (${kb(ours.gzipBytes)} with Powertools)`,
      met: rest <= pair.bundleGoal.bytes,
      gap: `+${kb(rest - pair.bundleGoal.bytes)} kB`,
    };
  }
  const limit = peer.gzipBytes + pair.bundleGoal.bytes;
  return {
    text: `${kb(ours.gzipBytes)} kB vs ${kb(peer.gzipBytes)} kB`,
    met: ours.gzipBytes <= limit,
    gap: `+${kb(ours.gzipBytes - limit)} kB`,
  };
}

/** A target's row: its cells per bundling, then met or the gaps. */
function row(name: string, goal: string, cells: readonly [string, Cell][]): string {
  const missed = cells.filter(([, c]) => !c.met);
  const verdict =
    cells.length === 0
      ? "not measured"
      : missed.length === 0
        ? "met"
        : `**not met**: ${missed.map(([label, c]) => `${label} ${c.gap}`).join(", ")}`;
  return `| ${name} | ${goal} | ${cells.map(([label, c]) => `${label} ${c.text}`).join("; ")} | ${verdict} |`;
}

/** Every target of the two pairs, one row each. */
export function targetRows(f: Figures): string[] {
  const rows: string[] = [];
  for (const pair of PAIRS) {
    const list = pairings(f, pair);
    const peerName =
      pair.peer === "middy" ? "middy + http-router" : "middy + http-router + Powertools Logger";
    for (const name of TARGET_CASES) {
      const cells = list.map(([label, ours, peer]): [string, Cell] => [
        label,
        warmCell(f, ours, peer, name, 1),
      ]);
      rows.push(row(`${pair.name}: warm ${CASE_TITLES[name]}`, `≤ 1.00× ${peerName}`, cells));
      if (pair.bundleGoal.kind === "besides") {
        const stretch = list.map(([label, ours, peer]): [string, Cell] => [
          label,
          warmCell(f, ours, peer, name, STRETCH),
        ]);
        rows.push(
          row(
            `${pair.name}: warm ${CASE_TITLES[name]} (stretch)`,
            `≤ ${STRETCH.toFixed(2)}×`,
            stretch,
          ),
        );
      }
    }
    rows.push(
      row(
        `${pair.name}: cold start (import + first invocation)`,
        `≤ 1.00× ${peerName}`,
        list.map(([label, ours, peer]) => [label, coldCell(f, ours, peer)]),
      ),
    );
    const goal =
      pair.bundleGoal.kind === "besides"
        ? `≤ ${kb(pair.bundleGoal.bytes)} kB besides Powertools`
        : `≤ ${peerName} + ${kb(pair.bundleGoal.bytes)} kB`;
    rows.push(
      row(
        `${pair.name}: bundle, gzip`,
        goal,
        list.map(([label, ours, peer]) => [
          label,
          bundleCell(pair, f.built.get(ours)!, f.built.get(peer)!),
        ]),
      ),
    );
  }
  return [
    "| target | goal | measured (esbuild cjs; esbuild esm; our bundle) | |",
    "| --- | --- | --- | --- |",
    ...rows,
  ];
}

/** The bundlings of the app with schemas, and the peer bundle each is set against. */
const THIRD: readonly { readonly id: string; readonly peer: string; readonly clean: boolean }[] = [
  { id: "aio-schemas-cli", peer: "middy-log-esm", clean: true },
  { id: "aio-schemas-plugin-cjs", peer: "middy-log-cjs", clean: true },
  { id: "aio-schemas-plugin-esm", peer: "middy-log-esm", clean: true },
  { id: "aio-schemas-cjs", peer: "middy-log-cjs", clean: false },
  { id: "aio-schemas-esm", peer: "middy-log-esm", clean: false },
];

const AJV = /(^|\/)node_modules\/(ajv|ajv-formats|fast-uri)\//;
const CONVERTER = /(^|\/)node_modules\/@valibot\/to-json-schema\//;

/** kB of the minified bundle from inputs matching `pattern`, or "no". */
function carried(built: Built, pattern: RegExp): string {
  const bytes = built.inputs.filter((i) => pattern.test(i.path)).reduce((s, i) => s + i.bytes, 0);
  return bytes === 0 ? "no" : `yes, ${kb(bytes)} kB`;
}

/** The app with schemas: size and cold start against the logged peer, and what it carries. */
export function thirdLineRows(f: Figures): string[] {
  const rows = THIRD.map(({ id, peer, clean }) => {
    const label = howBundled({
      bundler: id.endsWith("cli") ? "cli" : id.includes("plugin") ? "plugin" : "esbuild",
      format: id.endsWith("cjs") ? "cjs" : "esm",
    });
    const missing = f.unavailable.find((u) => u.id === id);
    if (missing) return `| ${label} | ${missing.reason} | | | | | |`;
    const b = f.built.get(id);
    const p = f.built.get(peer);
    if (!b || !p || !f.warm[id]) return `| ${label} | not measured in this run | | | | | |`;
    const ajv = carried(b, AJV);
    const converter = carried(b, CONVERTER);
    const goal = clean
      ? ajv === "no" && converter === "no"
        ? "met: neither"
        : "**not met**"
      : "(what plain esbuild costs)";
    const cold = f.cold.contestants[id]!.inProcessMs;
    const warm = warmRatio(f, id, peer, "v2 get");
    return `| ${label} | ${kb(b.gzipBytes)} kB (${x(b.gzipBytes / p.gzipBytes)}× the peer's ${kb(p.gzipBytes)}) | ${cold.toFixed(1)} ms (${x(coldRatio(f, id, peer))}×) | ${x(warm)}× | ${ajv} | ${converter} | ${goal} |`;
  });
  return [
    "| bundled by | gzip (× peer) | cold start (× peer) | warm HTTP API GET × peer | ajv, fast-uri in it | JSON Schema converter in it | no ajv, no converter |",
    "| --- | ---: | ---: | ---: | --- | --- | --- |",
    ...rows,
  ];
}

/** What the minimal app's bundle carries that it does not use, listed from the metafile. */
export function unusedLine(built: Built | undefined): string {
  if (!built) return "not measured";
  const found = unusedInputs(built.inputs);
  if (found.length === 0) return "nothing it does not use";
  return found
    .map((u) => `${u.name} ${kb(u.files.reduce((s, i) => s + i.bytes, 0))} kB`)
    .join(", ");
}
