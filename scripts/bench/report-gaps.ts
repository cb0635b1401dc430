// The report's gaps: for each performance target not met, the gap, the figure that explains it, the next step.
//
// Every figure comes from the run (the reference rows, the profiles, the bundle's inputs); the
// explanations and next steps are fixed sentences, from profiles read by hand.

import { f1, f2, ROUTER_GOAL, routerRatio } from "./report-sections.js";
import { BUNDLE_GOAL, byPackage, CASE_TITLES, type Figures, kb, warmUs } from "./report-tables.js";
import { WARM_CASE } from "./where.js";

const title = (name: string) => CASE_TITLES[name] ?? name;

/** kB of the minified bundle whose package or lib/ folder key passes `test`. */
function kbOf(f: Figures, test: (key: string) => boolean): string {
  let bytes = 0;
  for (const [key, b] of byPackage(f.ourInputs)) if (test(key)) bytes += b;
  return kb(bytes);
}
const isPowertools = (key: string) =>
  key.startsWith("@aws-lambda-powertools/") || key.startsWith("@aws/");
const isLib = (key: string) => key.startsWith("lib/");
const isToJsonSchema = (key: string) => key === "@valibot/to-json-schema";

/** lib/ features every Api reaches whether the app uses them or not, by their input files. */
const FEATURES: readonly [name: string, test: (input: string) => boolean][] = [
  ["openapi", (i) => i.startsWith("lib/openapi/")],
  ["batches", (i) => i.startsWith("lib/batch/")],
  ["streaming", (i) => i === "lib/stream.ts" || i === "lib/response-stream.ts"],
  ["forms", (i) => i === "lib/form.ts"],
];

function features(f: Figures): string {
  return FEATURES.map(([name, test]) => {
    const bytes = f.ourInputs.filter((i) => test(i.path)).reduce((s, i) => s + i.bytes, 0);
    return `${name} ${kb(bytes)} kB`;
  }).join(", ");
}

/**
 * Whether the cold profile shows no @valibot/to-json-schema: the bundle's precompiled
 * serializers were found by their schema key (lib/schema-key.ts), so no schema was converted.
 */
function conversionSkipped(f: Figures): boolean {
  return f.profiles !== undefined && f.profiles.coldWithCallees.toJsonSchema < 0.05;
}

function warmOff(f: Figures): string | undefined {
  const missed = f.warmOptions.cases.filter(
    (c) => warmUs(f, "aio-log-off", c) > warmUs(f, "middy", c),
  );
  if (missed.length === 0) return undefined;
  const parts = missed.map(
    (c) => `${title(c)} ${f2(warmUs(f, "aio-log-off", c))} µs against ${f2(warmUs(f, "middy", c))}`,
  );
  const p = f.profiles?.warmOff;
  const profile = p
    ? ` The profile of a log-off ${title(WARM_CASE)} (${f2(p.total)} µs under the profiler): lib/ ${f2(p.byArea["aio-lambda-api (lib/)"])} µs, garbage collection ${f2(p.byArea["garbage collection"])} µs, Node.js internals ${f2(p.byArea["Node.js internals (node:*)"])} µs, valibot ${f2(p.byArea.valibot)} µs.`
    : "";
  return `**Warm, log off vs middy** (${parts.join("; ")}). middy's app validates nothing and normalizes no headers; ours merges and lowercases every header, validates the query and the body with valibot and builds a request record and a response state for each request.${profile} Next: cut the per-request allocations (the merged headers map, the request record, the response state) and the cost of valibot validation.`;
}

function warmOn(f: Figures): string | undefined {
  const missed = f.warmOptions.cases.filter(
    (c) => warmUs(f, "aio-log-on", c) > warmUs(f, "lambda-api", c),
  );
  if (missed.length === 0) return undefined;
  const parts = missed.map((c) => {
    const line = warmUs(f, "pt-logger", c) - warmUs(f, "bare", c);
    const ours = warmUs(f, "aio-log-on", c) - warmUs(f, "aio-log-off", c);
    return `${title(c)} ${f2(warmUs(f, "aio-log-on", c))} µs against ${f2(warmUs(f, "lambda-api", c))}: Powertools Logger alone costs ${f2(line)} µs a line of our ${f2(ours)} µs of access log`;
  });
  const p = f.profiles?.warmOn;
  const profile = p
    ? ` The profile of a log-on ${title(WARM_CASE)} puts ${f2(p.byArea["Powertools (@aws-lambda-powertools/*)"])} of its ${f2(p.total)} µs in Powertools' own code (printLog, JSON.stringify with its replacer, three environment reads a line, the level-name lookup, formatTimestamp, deepMerge, the Console), and more in the Node.js internals it calls (${f2(p.byArea["Node.js internals (node:*)"])} µs in all).`
    : "";
  return `**Warm, log on vs lambda-api** (${parts.join("; ")}; the line's cost is the reference row minus the bare handler, ours is log on minus log off). lambda-api builds its own line with JSON.stringify; a custom LogFormatter or \`logRecordOrder\` does not make a Powertools line cheaper (measured in-process).${profile} Next: DESIGN.md requires Powertools Logger for the access log, so the gap closes only if the default access log may write the same keys without it, keeping Powertools for a logger the user passes.`;
}

function cold(f: Figures): string | undefined {
  const ours = f.cold.contestants["aio-log-on"]!;
  const middy = f.cold.contestants.middy!;
  const pt = f.cold.contestants["pt-logger"];
  if (ours.inProcessMs <= middy.inProcessMs && ours.ms <= middy.ms) return undefined;
  const floor = pt
    ? ` Powertools Logger alone cold-starts in ${f1(pt.inProcessMs)} ms (the reference row: its import and one line); middy's whole cold start is ${f1(middy.inProcessMs)} ms.`
    : "";
  const w = f.profiles;
  const p = w?.cold;
  const profile =
    w && p
      ? ` The cold profile, ms a process over an empty one: Powertools ${f1(p.byArea["Powertools (@aws-lambda-powertools/*)"])} (${f1(w.coldWithCallees.powertools)} with what it calls), lib/ ${f1(p.byArea["aio-lambda-api (lib/)"])}, the bundle's parse, compile and module wrappers ${f1(p.byArea["bundle: parse, compile, module wrappers"])}, Node.js internals ${f1(p.byArea["Node.js internals (node:*)"])}, garbage collection ${f1(p.byArea["garbage collection"])}.`
      : "";
  const toJson = kbOf(f, isToJsonSchema);
  const conversion = !w
    ? `@valibot/to-json-schema (${toJson} kB of the minified bundle)`
    : conversionSkipped(f)
      ? `@valibot/to-json-schema no longer runs at registration (the precompiled serializers are found by their schema key) but still adds ${toJson} kB to the minified bundle`
      : `the @valibot/to-json-schema conversion at registration (${f1(w.coldWithCallees.toJsonSchema)} ms), which a schema key for the precompiled serializers would skip, dropping its ${toJson} kB of the minified bundle`;
  const bundle = kb(f.built.get("aio-log-on")!.bytes);
  return `**Cold start vs middy** (${f1(ours.inProcessMs)} ms against ${f1(middy.inProcessMs)} ms import + first invocation, ${f1(ours.ms)} against ${f1(middy.ms)} ms from process start).${floor}${profile} Next: Powertools Logger's own load (it loads node:crypto and creates a Console on stdout); ${conversion}; the parse of the ${bundle} kB bundle (next paragraph).`;
}

function bundle(f: Figures): string | undefined {
  const gz = f.built.get("aio-log-on")!.gzipBytes;
  if (gz <= BUNDLE_GOAL) return undefined;
  const min = kb(f.built.get("aio-log-on")!.bytes);
  const ptGz = f.built.get("pt-logger")?.gzipBytes;
  const floor = ptGz
    ? ` (the Powertools Logger reference bundle alone is ${kb(ptGz)} kB gzipped)`
    : "";
  return `**Bundle** (${kb(gz)} kB gzipped against ${kb(BUNDLE_GOAL)} kB). Of its ${min} kB minified, lib/ is ${kbOf(f, isLib)} kB, with features the Api object reaches whether the app uses them or not (${features(f)}); Powertools is ${kbOf(f, isPowertools)} kB${floor}; @valibot/to-json-schema ${kbOf(f, isToJsonSchema)} kB (the table above has the rest). Next: make those features imports of their own that \`bundle()\` leaves out when the app does not use them, and leave @valibot/to-json-schema out of a bundle whose serializers are all precompiled.`;
}

function router(f: Figures): string | undefined {
  if (!f.router) return undefined;
  const { ratio, name } = routerRatio(f.router);
  if (ratio <= ROUTER_GOAL) return undefined;
  const sizes = f.router.sizes;
  // Best-of-rounds figures a few percent apart can still be noise from other work on the machine.
  const noise =
    ratio < 1.25
      ? " A ratio this close to 1 can be noise from other work on the machine: rerun `npx tsx scripts/bench-router.ts`."
      : "";
  return `**Route matching** (${name}: ${f2(ratio)}× from ${sizes[0]} to ${sizes[sizes.length - 1]} routes, against ${f2(ROUTER_GOAL)}×).${noise} Next: profile that lookup kind with 500 routes registered.`;
}

/** One paragraph per target not met: the gap, what the floors and the profiles say, the next step. */
export function gapsSection(f: Figures): string {
  const out = [warmOff(f), warmOn(f), cold(f), bundle(f), router(f)].filter(
    (p): p is string => p !== undefined,
  );
  return out.length > 0 ? out.join("\n\n") : "Every target is met in this run.";
}
