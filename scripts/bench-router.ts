// Router benchmark: matching cost with 5, 50 and 500 routes must stay flat; run `npx tsx scripts/bench-router.ts` (npm run bench runs it too).
//
// Every route table holds the same five routes the lookups target, plus fillers of every kind
// (static, {param}, {greedy+}, and params under one shared prefix). Sizes are measured in
// interleaved rounds within one run and the best round is printed (the least disturbed by other
// work on the machine), so the figures compare with each other; absolute numbers depend on the
// machine. Not a test: no thresholds.

import { pathToFileURL } from "node:url";
import { createApi } from "../lib/api.js";
import type { RouteRecord } from "../lib/route.js";
import { createRouter, type Router } from "../lib/router.js";
import { inject } from "../lib/testing/index.js";

const SIZES = [5, 50, 500] as const;
const ROUNDS = 15;
const MATCHES_PER_ROUND = 50_000;
const HANDLER_CALLS_PER_ROUND = 2_000;
const HANDLER_PATH = "/param/items/42";

/** The routes the lookups hit: one of each kind, and a pair that forces backtracking. */
const TARGETS: readonly string[] = [
  "/static/items",
  "/param/items/{id}",
  "/greedy/files/{path+}",
  "/bt/x/y/z/{w}",
  "/bt/{a}/{b}/{c}/{d}/end",
];

function filler(i: number): string {
  switch (i % 4) {
    case 0:
      return `/s${i}/items`;
    case 1:
      return `/p${i}/items/{id}`;
    case 2:
      return `/g${i}/files/{path+}`;
    default:
      return `/api/res${i}/{id}`;
  }
}

function templates(size: number): string[] {
  const out = [...TARGETS];
  for (let i = 0; out.length < size; i++) out.push(filler(i));
  return out;
}

const LOOKUPS: readonly [name: string, path: string, expect: string][] = [
  ["static", "/static/items", "route"],
  ["param", "/param/items/42", "route"],
  ["greedy", "/greedy/files/a/b/c.txt", "route"],
  ["backtracking (worst case)", "/bt/x/y/z/q/end", "route"],
  ["miss (404)", "/nope/items/42", "none"],
];

function apiOf(size: number) {
  let api = createApi({ accessLog: false });
  for (const template of templates(size)) api = api.get(template, ({ params }) => params);
  return api;
}

const best = (values: number[]): number => Math.min(...values);

function nsPerMatch(router: Router<RouteRecord>, path: string): number {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < MATCHES_PER_ROUND; i++) {
    if (router.match("GET", path).kind === "route") sink++;
  }
  const ns = Number(process.hrtime.bigint() - start) / MATCHES_PER_ROUND;
  if (sink < 0) console.log(sink);
  return ns;
}

/** A router that tries every route's RegExp in turn: the reference whose cost does grow. */
function linearRouter(routes: readonly RouteRecord[]): Router<RouteRecord> {
  const quote = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const compiled = routes.map((route) => {
    const source = route.parsed.segments
      .map((seg) =>
        seg.kind === "static" ? quote(seg.value) : seg.kind === "param" ? "([^/]+)" : "(.+)",
      )
      .join("/");
    return { route, pattern: new RegExp(`^/${source}/?$`) };
  });
  return {
    match(method, path) {
      for (const { route, pattern } of compiled) {
        if (route.method === method && pattern.test(path))
          return { kind: "route", route, params: {} };
      }
      return { kind: "none" };
    },
  };
}

function httpEvent(path: string): Record<string, unknown> {
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: "",
    headers: { accept: "*/*", "user-agent": "bench" },
    requestContext: {
      domainName: "bench.execute-api.us-east-1.amazonaws.com",
      http: { method: "GET", path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1" },
      requestId: "bench",
      stage: "$default",
    },
    isBase64Encoded: false,
  };
}

async function usPerCall(handler: ReturnType<typeof apiOf>["handler"], path: string) {
  const event = httpEvent(path);
  const context = { awsRequestId: "bench", getRemainingTimeInMillis: () => 30_000 };
  const start = process.hrtime.bigint();
  for (let i = 0; i < HANDLER_CALLS_PER_ROUND; i++) await handler(event, context);
  return Number(process.hrtime.bigint() - start) / HANDLER_CALLS_PER_ROUND / 1000;
}

function table(title: string, unit: string, rows: [string, number[]][], digits: number): void {
  console.log(`\n${title}\n`);
  console.log(`| lookup | ${SIZES.map((s) => `${s} routes (${unit})`).join(" | ")} | 500/5 |`);
  console.log(`| --- | ${SIZES.map(() => "---:").join(" | ")} | ---: |`);
  for (const [name, values] of rows) {
    const ratio = values[values.length - 1]! / values[0]!;
    console.log(
      `| ${name} | ${values.map((v) => v.toFixed(digits)).join(" | ")} | ${ratio.toFixed(2)} |`,
    );
  }
}

/** Route matching at 5, 50 and 500 routes: best ns per match, and µs per full handler call. */
export interface RouterFigures {
  readonly sizes: readonly number[];
  readonly rounds: number;
  /** Per lookup kind: best ns per match at each size. */
  readonly lookups: readonly [name: string, ns: number[]][];
  /** The linear RegExp scan's miss at each size: the reference whose cost does grow. */
  readonly linear: readonly number[];
  /** `api.handler` GET /param/items/42 (HTTP API event, log off): best µs per call at each size. */
  readonly handlerUs: readonly number[];
}

/** Measures the router in interleaved rounds (the best round of each is kept). */
export async function measureRouter(rounds = ROUNDS): Promise<RouterFigures> {
  const apis = SIZES.map(apiOf);
  const routers = apis.map((api) => createRouter(api.routes));

  for (const [name, path, expect] of LOOKUPS) {
    for (const [i, router] of routers.entries()) {
      const kind = router.match("GET", path).kind;
      if (kind !== expect) throw new Error(`${name} with ${SIZES[i]} routes gave ${kind}`);
    }
  }
  for (const router of routers) for (const [, path] of LOOKUPS) nsPerMatch(router, path);

  const samples = LOOKUPS.map(() => SIZES.map((): number[] => []));
  for (let round = 0; round < rounds; round++) {
    for (const [l, [, path]] of LOOKUPS.entries()) {
      for (const [s, router] of routers.entries()) samples[l]![s]!.push(nsPerMatch(router, path));
    }
  }
  const missPath = LOOKUPS[LOOKUPS.length - 1]![1];
  const linear = apis.map((api) => linearRouter(api.routes));
  const reference = SIZES.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    for (const [s, router] of linear.entries()) reference[s]!.push(nsPerMatch(router, missPath));
  }

  for (const api of apis) {
    const res = await inject(api, { path: HANDLER_PATH });
    if (res.status !== 200) throw new Error(`handler answered ${res.status}`);
    await usPerCall(api.handler, HANDLER_PATH);
  }
  const full = SIZES.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    for (const [s, api] of apis.entries())
      full[s]!.push(await usPerCall(api.handler, HANDLER_PATH));
  }
  return {
    sizes: SIZES,
    rounds,
    lookups: LOOKUPS.map(([name], l): [string, number[]] => [name, samples[l]!.map(best)]),
    linear: reference.map(best),
    handlerUs: full.map(best),
  };
}

async function main(): Promise<void> {
  const f = await measureRouter();
  table(
    `router.match, best of ${f.rounds} rounds of ${MATCHES_PER_ROUND} matches`,
    "ns",
    [...f.lookups, ["reference: miss (404) by a linear RegExp scan", [...f.linear]]],
    0,
  );
  table(
    `api.handler GET ${HANDLER_PATH} (HTTP API event, access log off), best of ${f.rounds} rounds of ${HANDLER_CALLS_PER_ROUND} calls`,
    "µs",
    [["full handler call", [...f.handlerUs]]],
    2,
  );
}

// Run as a script; `npm run bench` imports measureRouter instead.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
