// The report's route-matching section, its profile section, and the gap stated for each target not met.

import type { RouterFigures } from "../bench-router.js";
import { CASE_TITLES, type Figures } from "./report.js";
import { AREAS } from "./where.js";

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);

/** The largest 500-routes ÷ 5-routes ratio over the lookup kinds. */
export function routerRatio(r: RouterFigures): number {
  return Math.max(...r.lookups.map(([, ns]) => ns[ns.length - 1]! / ns[0]!));
}

/** The goal for route matching: flat, whatever the number of routes. */
export const ROUTER_GOAL = 1.25;

export function routerSection(r: RouterFigures | undefined): string {
  if (!r) return "Not measured in this run.";
  const head = `| lookup | ${r.sizes.map((s) => `${s} routes ns`).join(" | ")} | 500 ÷ 5 |`;
  const rule = `| --- | ${r.sizes.map(() => "---:").join(" | ")} | ---: |`;
  const row = (name: string, values: readonly number[], digits = 0) =>
    `| ${name} | ${values.map((v) => v.toFixed(digits)).join(" | ")} | ${f2(values[values.length - 1]! / values[0]!)} |`;
  return [
    `\`router.match\` for each kind of route with 5, 50 and 500 routes registered (best of ${r.rounds} rounds,`,
    "scripts/bench-router.ts), beside a router that tries each route's RegExp in turn, and a whole",
    "`api.handler` call (HTTP API event, access log off):",
    "",
    head,
    rule,
    ...r.lookups.map(([name, ns]) => row(name, ns)),
    row("reference: a miss by a linear RegExp scan", r.linear),
    `| whole \`api.handler\` call (µs) | ${r.handlerUs.map(f2).join(" | ")} | ${f2(r.handlerUs[r.handlerUs.length - 1]! / r.handlerUs[0]!)} |`,
  ].join("\n");
}

export function whereSection(f: Figures): string {
  const w = f.where;
  if (!w)
    return "Not measured in this run: `npx tsx scripts/bench/profile.ts` prints the profiles.";
  const rows = AREAS.map(
    (a) =>
      `| ${a} | ${f2(w.warm.on.byArea[a])} | ${f2(w.warm.off.byArea[a])} | ${f1(w.cold.byArea[a])} |`,
  );
  return [
    `CPU profiles (\`node --cpu-prof\`) of aio-lambda-api bundled unminified with a source map, self time`,
    `summed by area: a warm REST GET (${w.invocations.toLocaleString("en")} invocations per setting, µs per invocation`,
    `as measured under the profiler) and the cold start with the access log on (${w.coldRuns} processes, ms over`,
    "an empty process). `npx tsx scripts/bench/profile.ts` prints them function by function.",
    "",
    "| area | warm, log on µs | warm, log off µs | cold, log on ms |",
    "| --- | ---: | ---: | ---: |",
    ...rows,
    `| **total** | ${f2(w.warm.on.cpuUs)} | ${f2(w.warm.off.cpuUs)} | ${f1(AREAS.reduce((s, a) => s + w.cold.byArea[a], 0))} |`,
    "",
    "lib/ functions with the most time (callees included) in the warm log-on profile:",
    "",
    ...w.topLib.map(([name, pct]) => `- ${f1(pct)}% ${name.replace(/\|/g, "\\|")}`),
  ].join("\n");
}

const ns = (f: Figures, id: string, name: string) => f.warm[id]![name as never]!.medianNs / 1000;
const title = (name: string) => CASE_TITLES[name] ?? name;

/** One paragraph per target not met: the gap, what the profile or the floors say, the next step. */
export function gapsSection(f: Figures): string {
  const out: string[] = [];
  const cases = f.warmOptions.cases;
  const missedOff = cases.filter((c) => ns(f, "aio-log-off", c) > ns(f, "middy", c));
  if (missedOff.length > 0) {
    const parts = missedOff.map(
      (c) =>
        `${title(c)}: ${f2(ns(f, "aio-log-off", c))} µs against middy's ${f2(ns(f, "middy", c))}`,
    );
    const lib = f.where
      ? ` The profile puts ${f2(f.where.warm.off.byArea["aio-lambda-api (lib/)"])} µs of a log-off REST GET in lib/, ${f2(f.where.warm.off.byArea.valibot)} µs in valibot (the query schema) and ${f2(f.where.warm.off.byArea["Node.js, V8 and GC"])} µs in Node, V8 and GC.`
      : "";
    out.push(
      `**Warm, log off vs middy** (${parts.join("; ")}). middy's app validates nothing and normalizes no headers; ours lowercases and merges every header, parses the query and body into validated objects and builds a request record.${lib} Next: build the merged header map and the request record only when read, and skip the query schema's output copy when it changes nothing.`,
    );
  }
  const missedOn = cases.filter((c) => ns(f, "aio-log-on", c) > ns(f, "lambda-api", c));
  if (missedOn.length > 0) {
    const parts = missedOn.map((c) => {
      const floor = ns(f, "pt-logger", c) - ns(f, "bare", c);
      const ours = ns(f, "aio-log-on", c) - ns(f, "aio-log-off", c);
      return `${title(c)}: ${f2(ns(f, "aio-log-on", c))} µs against lambda-api's ${f2(ns(f, "lambda-api", c))}; one Powertools Logger line alone costs ${f2(floor)} µs (the reference row minus the bare handler), our access log ${f2(ours)} µs (log on minus log off), so the log-off pipeline plus that one line is already ${f2((ns(f, "aio-log-off", c) + floor) / ns(f, "lambda-api", c))}× lambda-api`;
    });
    const pt = f.where
      ? ` The profile of a log-on REST GET puts ${f2(f.where.warm.on.byArea["Powertools Logger"])} of its ${f2(f.where.warm.on.cpuUs)} µs in Powertools' own code (JSON.stringify with its replacer, three environment reads a line, the level-name lookup, the timestamp, the attribute merge, the Console) and more in the Node internals it calls.`
      : "";
    out.push(
      `**Warm, log on vs lambda-api** (${parts.join("; ")}). DESIGN.md requires the access log through Powertools Logger; a custom LogFormatter or \`logRecordOrder\` made no line cheaper (7.2 and 9.0 µs against 7.3 µs, measured in-process). lambda-api writes its own JSON line.${pt} Next: ask whether the default logger may write the same keys without Powertools, keeping Powertools for a logger the user passes.`,
    );
  }
  const ours = f.cold.contestants["aio-log-on"]!;
  const middy = f.cold.contestants.middy!;
  const pt = f.cold.contestants["pt-logger"];
  if (ours.inProcessMs > middy.inProcessMs && pt) {
    const w = f.where?.cold.byArea;
    const split = w
      ? ` The cold profile (over an empty process): ${AREAS.filter((a) => w[a] >= 0.05)
          .map((a) => `${a} ${f1(w[a])} ms`)
          .join(", ")}.`
      : "";
    out.push(
      `**Cold start vs middy** (${f1(ours.inProcessMs)} ms against ${f1(middy.inProcessMs)} ms, import + first invocation). Powertools Logger alone, importing and writing one line, takes ${f1(pt.inProcessMs)} ms (the reference row; it loads node:crypto and creates the stdout stream), already ${f2(pt.inProcessMs / Math.max(middy.inProcessMs, 0.1))}× middy's whole cold start; with the log off ours takes ${f1(f.cold.contestants["aio-log-off"]!.inProcessMs)} ms.${split} (Profiled runs are slower than measured ones; "Node.js, V8 and GC" holds the compile of the bundle and Node's own modules.) Next: less lib/ work at import (building routes) and a smaller bundle to compile (below).`,
    );
  }
  const gz = f.built.get("aio-log-on")!.gzipBytes;
  if (gz > 15_000) {
    const ptGz = f.built.get("pt-logger")?.gzipBytes ?? 0;
    out.push(
      `**Bundle** (${f1(gz / 1000)} kB gzipped against 15 kB). Powertools Logger with the bare handler is ${f1(ptGz / 1000)} kB of it; the rest is lib/ (openapi, batches, streaming, forms and the web entry are reachable from every Api, so esbuild keeps them), @valibot/to-json-schema (for api.docs()), valibot and cookie: the table above. Next: make api.docs() and the batch and streaming paths imports of their own that \`bundle\` can leave out when the app does not use them.`,
    );
  }
  return out.length > 0 ? out.join("\n\n") : "Every target is met in this run.";
}
