// Reads `node --cpu-prof` output: self and total time per function and per package, mapped to sources.

import { readFileSync } from "node:fs";
import type { SourceMap } from "./source-map.js";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  /** µs on the monotonic clock `process.hrtime` reads. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A span of the monotonic clock in µs (`process.hrtime.bigint() / 1000n`): `[from, to]`. */
export type Window = readonly [from: number, to: number];

/** Time in µs per key, and the total sampled time. */
export interface Tally {
  readonly totalUs: number;
  /** Self time per function (`name  where`). */
  readonly selfByFunction: Map<string, number>;
  /** Time with callees per function (counted once per sample however deep the recursion). */
  readonly totalByFunction: Map<string, number>;
  /** Self time per package (`valibot`), library file (`lib/pipeline.ts`) or runtime part. */
  readonly selfByArea: Map<string, number>;
  /** Time with callees per area: samples with a frame of that area anywhere on the stack. */
  readonly totalByArea: Map<string, number>;
}

/** An empty tally to add profiles into. */
export function emptyTally(): Tally {
  return {
    totalUs: 0,
    selfByFunction: new Map(),
    totalByFunction: new Map(),
    selfByArea: new Map(),
    totalByArea: new Map(),
  };
}

/** `node_modules/@scope/name/…` → `@scope/name`; `../../lib/x.ts` → `lib/x.ts`. */
function areaOfSource(source: string): string {
  const parts = source.split("/");
  const at = parts.lastIndexOf("node_modules");
  if (at !== -1) {
    const name = parts[at + 1] ?? "?";
    return name.startsWith("@") ? `${name}/${parts[at + 2] ?? "?"}` : name;
  }
  const clean = parts.filter((p) => p !== ".." && p !== ".");
  return clean.join("/");
}

function shortSource(source: string): string {
  const parts = source.split("/");
  const at = parts.lastIndexOf("node_modules");
  return at !== -1
    ? parts.slice(at + 1).join("/")
    : parts.filter((p) => p !== ".." && p !== ".").join("/");
}

/** Where a frame is, and the area it is counted in. */
function place(
  frame: CallFrame,
  bundle: string,
  map: SourceMap | undefined,
): { where: string; area: string } {
  const name = frame.functionName;
  if (name.startsWith("(") && frame.url === "") return { where: "", area: name };
  if (frame.url === "") return { where: "V8 builtin", area: "(V8 builtins)" };
  if (frame.url.startsWith("node:")) {
    return { where: `${frame.url}:${frame.lineNumber + 1}`, area: frame.url };
  }
  // The bundle's own top level (its CommonJS wrapper or ES module body) runs the top-level code
  // of every module esbuild hoisted into it: no one file's.
  if (frame.url.endsWith(bundle) && frame.lineNumber === 0 && frame.columnNumber === 0) {
    return { where: `${bundle} (top level)`, area: "(bundle top level)" };
  }
  // esbuild names a CommonJS module's wrapper after its path; the map may give its position to
  // the module before it.
  if (frame.url.endsWith(bundle) && name.includes("node_modules/")) {
    return { where: "module body", area: areaOfSource(name) };
  }
  if (frame.url.endsWith(bundle) && map) {
    const origin = map.find(frame.lineNumber, frame.columnNumber);
    if (origin) {
      return {
        where: `${shortSource(origin.source)}:${origin.line}`,
        area: areaOfSource(origin.source),
      };
    }
    return { where: `${bundle} (esbuild runtime)`, area: "(bundle runtime helpers)" };
  }
  return { where: `${frame.url}:${frame.lineNumber + 1}`, area: frame.url };
}

function add(map: Map<string, number>, key: string, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}

/**
 * Adds one profile to `tally`. Frames in `bundle` (a file name the profile's URLs end with) are
 * mapped through `map` to their source file and line. With `window`, only the samples taken in
 * it count (the timed loop, the require and first invocation), not the process's start-up.
 */
export function addProfile(
  tally: Tally,
  file: string,
  bundle: string,
  map: SourceMap | undefined,
  window?: Window,
): Tally {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const placed = new Map<number, { key: string; area: string }>();
  for (const node of profile.nodes) {
    const { where, area } = place(node.callFrame, bundle, map);
    const name = node.callFrame.functionName || "(anonymous)";
    placed.set(node.id, { key: where ? `${name}  ${where}` : name, area });
  }
  let total = tally.totalUs;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    at += us;
    if (us <= 0) return;
    if (window && (at - us < window[0] || at > window[1])) return;
    total += us;
    const self = placed.get(id)!;
    add(tally.selfByFunction, self.key, us);
    add(tally.selfByArea, self.area, us);
    const seen = new Set<string>();
    const areas = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { key, area } = placed.get(at)!;
      if (!seen.has(key) && byId.has(at)) {
        seen.add(key);
        add(tally.totalByFunction, key, us);
      }
      if (!areas.has(area)) {
        areas.add(area);
        add(tally.totalByArea, area, us);
      }
    }
  });
  return { ...tally, totalUs: total };
}

/** The `count` largest entries of a map as `[key, µs]`, largest first. */
export function top(map: ReadonlyMap<string, number>, count: number): [string, number][] {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, count);
}
