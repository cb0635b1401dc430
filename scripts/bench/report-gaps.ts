// The report's gaps: for each performance target not met, the gap, the figure that explains it, the next step.
//
// Every figure comes from the run (the reference rows, the profiles, the bundles' metafiles); the
// explanations and next steps are fixed sentences, from profiles read by hand.

import type { Built } from "./build.js";
import { PAIRS, type Pair } from "./contestants.js";
import { pairings, TARGET_CASES, unusedLine, warmRatio } from "./report-targets.js";
import { f1, f2, ROUTER_GOAL, routerRatio, topAreas } from "./report-sections.js";
import { byPackage, CASE_TITLES, type Figures, kb, warmUs, x } from "./report-tables.js";
import type { ProfileSummary } from "./where.js";

/** The profiled contestant of each pair (the minimal app bundled by plain esbuild, CommonJS). */
const PROFILE_OF: Record<string, string> = { "aio-off": "aio-off-cjs", "aio-on": "aio-on-cjs" };

/** `area 1.23 (45%)` for the top `count` areas of a profile. */
function areas(s: ProfileSummary | undefined, count: number, digits: number): string {
  if (!s) return "";
  return topAreas(s, count)
    .filter(([a]) => a !== "everything else")
    .map(([a, v]) => `${a} ${v.toFixed(digits)} (${((100 * v) / s.total).toFixed(0)}%)`)
    .join(", ");
}

/** The largest lib/ files and packages of a bundle, minified kB. */
function largest(built: Built, count: number): string {
  return [...byPackage(built.inputs)]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => `${name} ${kb(bytes)}`)
    .join(", ");
}

function libKb(built: Built): string {
  return kb(built.inputs.filter((i) => i.path.startsWith("lib/")).reduce((s, i) => s + i.bytes, 0));
}

function warmGap(f: Figures, pair: Pair): string | undefined {
  const missed = pairings(f, pair).flatMap(([label, ours, peer]) =>
    TARGET_CASES.filter((c) => warmRatio(f, ours, peer, c) > 1).map(
      (c) =>
        `${label} ${CASE_TITLES[c]} ${f2(warmUs(f, ours, c))} µs against ${f2(warmUs(f, peer, c))} (${x(warmRatio(f, ours, peer, c))}×)`,
    ),
  );
  if (missed.length === 0) return undefined;
  const profile = f.profiles?.warm[PROFILE_OF[pair.ours]!];
  const where = profile
    ? ` The warm profile (${f2(profile.total)} µs a REST GET under the profiler): ${areas(profile, 6, 2)}.`
    : "";
  const line =
    pair.ours === "aio-on" && f.warm["pt-logger-esm"] && f.warm["bare-esm"]
      ? ` Powertools Logger alone costs ${f2(warmUs(f, "pt-logger-esm", "v2 get") - warmUs(f, "bare-esm", "v2 get"))} µs a line (the reference row minus the bare handler); our access log costs ${f2(warmUs(f, "aio-on-esm", "v2 get") - warmUs(f, "aio-off-esm", "v2 get"))} µs (log on minus log off, HTTP API GET).`
      : "";
  const next =
    pair.ours === "aio-on"
      ? "Next: the Logger's own work per line is the floor; cut what we add around it (the record we build, the context we set per invocation)."
      : "Next: cut the per-request allocations the profile names (the merged headers map, the request record, the response state).";
  return `**Warm, ${pair.name}** (${missed.join("; ")}).${line}${where} ${next}`;
}

function coldGap(f: Figures, pair: Pair): string | undefined {
  const missed = pairings(f, pair).filter(([, ours, peer]) => {
    const a = f.cold.contestants[ours]!.inProcessMs;
    return a > f.cold.contestants[peer]!.inProcessMs;
  });
  if (missed.length === 0) return undefined;
  const parts = missed.map(
    ([label, ours, peer]) =>
      `${label} ${f1(f.cold.contestants[ours]!.inProcessMs)} ms against ${f1(f.cold.contestants[peer]!.inProcessMs)}`,
  );
  const profile = f.profiles?.cold[PROFILE_OF[pair.ours]!];
  const where = profile
    ? ` The cold profile (require + first invocation, ${f2(profile.total)} ms a process under the profiler): ${areas(profile, 6, 2)}.`
    : "";
  const built = f.built.get(`${pair.ours}-cjs`);
  const carried = built
    ? ` The CommonJS bundle is ${kb(built.bytes)} kB minified and carries ${unusedLine(built)}: V8 parses and compiles what it carries, used or not.`
    : "";
  const pt = f.cold.contestants["pt-logger-esm"];
  const floor =
    pair.ours === "aio-on" && pt
      ? ` Powertools Logger alone (reference row) cold-starts in ${f1(pt.inProcessMs)} ms.`
      : "";
  return `**Cold start, ${pair.name}** (import + first invocation: ${parts.join("; ")}).${carried}${floor}${where} Next: the bundle carries nothing the app does not use, so what is left is the size of what it does use (parse and compile grow with it) and the first request's own work: a smaller core (see the bundle gap) and building less at registration (buildRoute, the route map), then profile again.`;
}

function bundleGap(f: Figures, pair: Pair): string | undefined {
  const missed = pairings(f, pair).filter(([, ours, peer]) => {
    const b = f.built.get(ours)!;
    return pair.bundleGoal.kind === "besides"
      ? (b.gzipBesidesPowertools ?? b.gzipBytes) > pair.bundleGoal.bytes
      : b.gzipBytes > f.built.get(peer)!.gzipBytes + pair.bundleGoal.bytes;
  });
  if (missed.length === 0) return undefined;
  const [label, ours, peer] = missed[0]!;
  const built = f.built.get(ours)!;
  const size =
    pair.bundleGoal.kind === "besides"
      ? `${kb(built.gzipBesidesPowertools ?? built.gzipBytes)} kB gzipped besides Powertools (${kb(built.gzipBytes)} kB with it; Powertools' packages are ${kb(built.powertoolsBytes)} kB of the minified bundle) against ${kb(pair.bundleGoal.bytes)} kB`
      : `${kb(built.gzipBytes)} kB gzipped against ${kb(f.built.get(peer)!.gzipBytes + pair.bundleGoal.bytes)} kB (the peer's ${kb(f.built.get(peer)!.gzipBytes)} kB + ${kb(pair.bundleGoal.bytes)})`;
  return `**Bundle, ${pair.name}** (${label}: ${size}). It carries ${unusedLine(built)}; lib/ is ${libKb(built)} kB of its ${kb(built.bytes)} kB minified; largest parts: ${largest(built, 8)}. Next: the core must shrink to what every app needs: the response-schema writer and the schema key only when a route declares a response schema, cookie parsing and serializing only when an app reads or sets cookies, the AWS-fault and provide code only when used, the authorizer readers and the sub-API checks behind their own options; \`npm run budget\` fails on anything unused that comes back.`;
}

function thirdLine(f: Figures): string | undefined {
  const dirty = ["aio-schemas-cli", "aio-schemas-plugin-cjs", "aio-schemas-plugin-esm"].filter(
    (id) =>
      f.built
        .get(id)
        ?.inputs.some(
          (i) => i.bytes > 0 && /node_modules\/(ajv|@valibot\/to-json-schema)\//.test(i.path),
        ),
  );
  if (dirty.length === 0) return undefined;
  return `**The app with schemas**: ${dirty.join(", ")} still carry ajv or the JSON Schema converter (table above). Next: precompiled serializers found by their schema key without converting at start, so neither is reachable.`;
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
  const out = [
    ...PAIRS.flatMap((pair) => [warmGap(f, pair), coldGap(f, pair), bundleGap(f, pair)]),
    thirdLine(f),
    router(f),
  ].filter((p): p is string => p !== undefined);
  return out.length > 0 ? out.join("\n\n") : "Every target is met in this run.";
}
