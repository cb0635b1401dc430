// The report: Markdown tables and the chart for docs/performance.md, with machine, versions and date.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { RouterFigures } from "../bench-router.js";
import { type Built, ROOT } from "./build.js";
import type { ColdResults } from "./cold.js";
import { CONTESTANTS, FLOOR } from "./contestants.js";
import { COLD_CASE, type CaseName } from "./events.js";
import { gapsSection, ROUTER_GOAL, routerRatio, routerSection, whereSection } from "./gaps.js";
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
  /** The largest inputs of our log-on bundle. */
  readonly ourInputs: readonly { path: string; bytes: number }[];
  /** Route matching at 5, 50 and 500 routes (absent from figures saved before it was added). */
  readonly router?: RouterFigures;
  /** Where our time goes, from CPU profiles (absent likewise). */
  readonly where?: Where;
}

export const CASE_TITLES: Record<string, string> = {
  "v2 get": "HTTP API GET",
  "v1 get": "REST GET",
  "v2 post": "HTTP API POST",
  "v1 post": "REST POST",
  "v2 missing": "HTTP API 404",
  "v1 missing": "REST 404",
};

function version(name: string): string {
  try {
    const file = path.join(ROOT, "node_modules", name, "package.json");
    return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}

function ourVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    version: string;
  };
  try {
    const commit = execFileSync("git", ["describe", "--always", "--dirty"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    return `${pkg.version} (${commit})`;
  } catch {
    return pkg.version;
  }
}

export const us = (ns: number) => (ns / 1000).toFixed(ns < 10_000 ? 2 : 1);
export const x = (ratio: number) => (ratio < 10 ? ratio.toFixed(2) : ratio.toFixed(1));
export const kb = (bytes: number) => (bytes / 1000).toFixed(1);

function warmTable(f: Figures): string[] {
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

function wallTable(f: Figures): string[] {
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

function coldTable(f: Figures): string[] {
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

/** The issue's targets, as ratios in this run. */
function targetRows(f: Figures): string[] {
  const ratio = (a: string, b: string, name: CaseName) =>
    f.warm[a]![name]!.medianNs / f.warm[b]![name]!.medianNs;
  const rows: string[] = [];
  const verdict = (ok: boolean) => (ok ? "met" : "**not met**");
  for (const name of f.warmOptions.cases) {
    const off = ratio("aio-log-off", "middy", name);
    const on = ratio("aio-log-on", "lambda-api", name);
    rows.push(
      `| warm ${CASE_TITLES[name] ?? name}, log off vs middy | ≤ 1.00× | ${off.toFixed(2)}× | ${verdict(off <= 1)} |`,
      `| warm ${CASE_TITLES[name] ?? name}, log on vs lambda-api | ≤ 1.00× | ${on.toFixed(2)}× | ${verdict(on <= 1)} |`,
    );
  }
  const ours = f.cold.contestants["aio-log-on"]!;
  const middy = f.cold.contestants.middy!;
  const gz = f.built.get("aio-log-on")!.gzipBytes;
  const cold = (what: string, a: number, b: number) =>
    b > 0
      ? `| cold start (${what}), log on + validation + response schema, vs middy | ≤ 1.00× | ${(a / b).toFixed(2)}× | ${verdict(a <= b)} |`
      : `| cold start (${what}), log on + validation + response schema, vs middy | ≤ 1.00× | ${a.toFixed(1)} vs ${b.toFixed(1)} ms | noise: middy's figure is not above zero |`;
  rows.push(
    cold("import + first invocation", ours.inProcessMs, middy.inProcessMs),
    cold("from process start", ours.ms, middy.ms),
    `| bundle of that app, gzip | ≤ 15.0 kB | ${kb(gz)} kB | ${verdict(gz <= 15_000)} |`,
  );
  if (f.router) {
    const worst = routerRatio(f.router);
    rows.push(
      `| route matching, 500 routes vs 5 (worst kind) | ≤ ${ROUTER_GOAL.toFixed(2)}× (flat) | ${worst.toFixed(2)}× | ${verdict(worst <= ROUTER_GOAL)} |`,
    );
  }
  return ["| target | goal | measured | |", "| --- | ---: | ---: | --- |", ...rows];
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
function byPackage(inputs: readonly { path: string; bytes: number }[]): Map<string, number> {
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

/** docs/performance.md. */
export function markdown(f: Figures): string {
  const o = f.warmOptions;
  const peers = CONTESTANTS.flatMap((c) =>
    c.bundler === "esbuild" && !c.reference ? c.packages : [],
  );
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const memory = (os.totalmem() / 2 ** 30).toFixed(0);
  const inputs = [...byPackage(f.ourInputs)]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([name, bytes]) => `| ${name} | ${kb(bytes)} |`);
  return `# Performance

Generated by \`npm run bench\` (scripts/bench/) on ${f.date.toISOString().slice(0, 10)}: do not edit by hand.
${f.mode === "quick" ? "\n**Quick run (`--quick`): fewer invocations and rounds than the full benchmark; figures are indicative.**\n" : ""}
- Machine: ${cpu}, ${os.availableParallelism()} cores, ${memory} GiB, ${os.platform()} ${os.arch()}; Node ${process.version}.
- aio-lambda-api ${ourVersion()}, with valibot ${version("valibot")}, @valibot/to-json-schema ${version("@valibot/to-json-schema")}, fast-json-stringify ${version("fast-json-stringify")}, @aws-lambda-powertools/logger ${version("@aws-lambda-powertools/logger")}; bundled by esbuild ${version("esbuild")}.
- Peers: ${peers.map((p) => `${p} ${version(p)}`).join(", ")}.
- Warm: ${o.iterations.toLocaleString("en")} timed invocations per case and round after ${(2 * o.warmup).toLocaleString("en")} untimed ones, ${o.rounds} rounds, a fresh process per contestant and round. Cold: ${f.coldRuns} fresh processes per contestant.

![Warm ratio to the bare handler, cold start and gzip size of every contestant](performance.svg)

Absolute numbers depend on the machine and on what else runs on it; the ratios, measured in the
same run, are what carry over.

## The app

Every contestant serves the same three requests, and each is checked (status and body, both event
formats) before anything is timed: \`GET /items/{id}?q=\` answers \`{"id", "q"}\`; \`POST /items\` with
a JSON body \`{name, price}\` (name a non-empty string, price a number ≥ 0) answers it back with 201,
and a body that breaks those rules is refused; an unknown path answers 404. The apps are in
scripts/bench/apps/: peers check the body by hand (hono through its own \`validator\`); aio-lambda-api
uses valibot schemas for the query, the body and both answers (\`response\`), as its users write it.
The access log, when on, is the default Powertools Logger writing one JSON line a request to
stdout, whose writes are no-ops in the measuring process (the line is built, then dropped).

Events: an API Gateway REST (payload 1.0) request and an HTTP API (payload 2.0) request captured
from deployed APIs (../shared/fixtures/aws-events/: apigw-rest/powertools-ts-real-no-auth.json,
apigw-http/powertools-ts-real-jwt-authorizer.json), edited to these paths and bodies: 17 and 15
headers (a POST adds its content type), full requestContext (JWT claims in the 2.0 one).

## Warm invocations

CPU time per awaited invocation (user + system time of the measuring process, its GC threads
included), median over the rounds, and its ratio to the bare handler measured in the same round
(median, and min–max over the rounds). CPU time is the headline because other processes on a busy
machine barely move it; wall time is below.

${warmTable(f).join("\n")}

Wall-clock time per invocation, medians over the rounds:

${wallTable(f).join("\n")}

## Cold start and size

One invocation (${CASE_TITLES[COLD_CASE]}) in a fresh \`node\` process that imports the bundle, ${f.coldRuns}
processes per contestant, each round starting every contestant and a baseline process (which
imports an empty module and invokes nothing) in a rotating order. Medians over the runs:

- from process start: \`performance.now()\` at the answer (its zero is the start of the process),
  minus the baseline process's of the same round (${f.cold.baseline.ms.toFixed(1)} ms here). This includes the
  variance of Node's own start-up, which on a busy machine can exceed the smaller figures.
- import + first invocation: the same span measured inside the process from just before the
  \`import()\`, minus the baseline's import of an empty module; split into import and first
  invocation. The steadier figure, and the one the chart shows.
- CPU: the process's user + system time at the answer (every thread: V8 compiles and collects on
  others), minus the baseline's (${f.cold.baseline.cpuMs.toFixed(1)} ms); as noisy as the first column on a busy machine.
- peak RSS: \`process.resourceUsage().maxRSS\` (the baseline's: ${f.cold.baseline.rssMb.toFixed(1)} MB).

Bundles are what users deploy: aio-lambda-api through its own \`bundle()\` (lib/cli/bundle.ts:
esbuild, ESM, minified, \`@aws-sdk/*\` external), peers through esbuild with the same settings.
gzip: node:zlib at its default level.

${coldTable(f).join("\n")}

What the aio-lambda-api bundle (access log on) is made of, kB of the minified bundle by package
(lib/ by folder; \`lib/*.ts\` are the core's top-level files); \`npm run budget\` prints the same:

| package | kB |
| --- | ---: |
${inputs.join("\n")}

## Route matching

${routerSection(f.router)}

## Where the time goes

${whereSection(f)}

## Targets of issue 8

${targetRows(f).join("\n")}

Reference rows are floors to read the others against, not peers: the bare handler, and the same
handler writing one Powertools Logger line shaped like our access-log line (scripts/bench/apps/).

### The gaps

${gapsSection(f)}

## Rerun

\`npm run bench\` (about 12 minutes on 2 cores) rewrites this file and performance.svg and prints
the tables; \`npm run bench -- --quick\` takes about two minutes and writes its report to
.bench-tmp/bench/ instead; \`npm run bench -- --render\` rewrites this file from the last full
run's saved figures. \`npx tsx scripts/bench/profile.ts\`
profiles aio-lambda-api (warm GET with the access log on and off, and its cold start).
`;
}
