// Validation and serialization cost per request, and the cold cost of compiling serializers; run `npx tsx scripts/bench-validation.ts`.
//
// Warm part: a 5-field body schema against JSON.parse alone, a 10-field response schema against
// JSON.stringify, first in isolation (validate(), the serializer) and then through api.handler
// (HTTP API 2.0 events, access log off). Each case runs in interleaved rounds and the median
// round is printed, so figures compare within one run; absolute numbers depend on the machine.
// Cold part: fresh node processes time loading fast-json-stringify, converting and compiling a
// schema, and the first and second call of a route, which decides when serializers compile.
// Not a test: no thresholds.

import { spawnSync } from "node:child_process";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as v from "valibot";
import { createApi } from "../lib/api.js";
import { planInput, validate } from "../lib/input.js";
import { type IncomingRequest, LambdaRequest } from "../lib/request.js";
import { planSerializer, type Serializer, serializerOf } from "../lib/serialize.js";

const ROUNDS = 7;
const OPS = 100_000;
const HANDLER_OPS = 20_000;

const Body = v.object({
  name: v.pipe(v.string(), v.minLength(1)),
  price: v.pipe(v.number(), v.minValue(0)),
  quantity: v.pipe(v.number(), v.integer()),
  email: v.pipe(v.string(), v.email()),
  tags: v.array(v.string()),
});
const bodyText = JSON.stringify({
  name: "Widget",
  price: 9.5,
  quantity: 3,
  email: "ann@example.com",
  tags: ["a", "b"],
});

const Out = v.object({
  id: v.string(),
  name: v.string(),
  price: v.number(),
  quantity: v.number(),
  email: v.string(),
  tags: v.array(v.string()),
  active: v.boolean(),
  created: v.string(),
  owner: v.object({ id: v.string(), name: v.string() }),
  rating: v.nullable(v.number()),
});
const outValue = {
  id: "item-1",
  name: "Widget",
  price: 9.5,
  quantity: 3,
  email: "ann@example.com",
  tags: ["a", "b"],
  active: true,
  created: "2024-01-01T00:00:00.000Z",
  owner: { id: "u-1", name: "Ann" },
  rating: null,
};

function incoming(body: string): IncomingRequest {
  return {
    kind: "http-api",
    method: "POST",
    path: "/items",
    headers: { "content-type": "application/json" },
    query: {},
    cookies: undefined,
    body,
    isBase64Encoded: false,
    requestId: "r",
    sourceIp: undefined,
    multiValueHeaders: false,
  };
}

function event(method: string, path: string, body?: string): Record<string, unknown> {
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: "",
    headers: { "content-type": "application/json" },
    requestContext: {
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "bench" },
      requestId: "bench",
      stage: "$default",
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
}

let sink = 0;

function syncCase(fn: () => unknown): () => number {
  return () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < OPS; i++) if (fn()) sink++;
    return Number(process.hrtime.bigint() - start) / OPS;
  };
}

function asyncCase(fn: () => Promise<unknown>): () => Promise<number> {
  return async () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < HANDLER_OPS; i++) if (await fn()) sink++;
    return Number(process.hrtime.bigint() - start) / HANDLER_OPS;
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

type Case = [name: string, run: () => number | Promise<number>];

async function measure(cases: Case[]): Promise<Map<string, number>> {
  const samples = new Map<string, number[]>(cases.map(([name]) => [name, []]));
  for (const [, run] of cases) await run(); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of cases) samples.get(name)!.push(await run());
  }
  return new Map([...samples].map(([name, values]) => [name, median(values)]));
}

function print(title: string, results: Map<string, number>, baseline: string): void {
  const base = results.get(baseline)!;
  console.log(`\n${title}`);
  for (const [name, ns] of results) {
    const ratio = name === baseline ? "baseline" : `${(ns / base).toFixed(2)}x`;
    console.log(`  ${name.padEnd(58)} ${ns.toFixed(0).padStart(7)} ns/op  ${ratio}`);
  }
}

async function warm(): Promise<void> {
  const plan = planInput({ body: Body, query: undefined, params: undefined, headers: undefined });
  const request = () => new LambdaRequest(incoming(bodyText), undefined, undefined);
  const check = validate(plan, request());
  if (check instanceof Promise || !check.ok) throw new Error("the bench body must validate");
  print(
    "Body, in isolation (5 fields)",
    await measure([
      ["JSON.parse, no schema", syncCase(() => JSON.parse(bodyText))],
      ["JSON.parse + v.safeParse", syncCase(() => v.safeParse(Body, JSON.parse(bodyText)).success)],
      ["request + readBody (a route without schema)", syncCase(() => request().readBody())],
      [
        "request + validate(plan) (a route with body schema)",
        syncCase(() => validate(plan, request())),
      ],
    ]),
    "JSON.parse, no schema",
  );

  const compiled = (await serializerOf(planSerializer("GET /bench", Out, false))) as Serializer;
  const withSecret = { ...outValue, passwordHash: "x".repeat(60) };
  print(
    "Response, in isolation (10 fields)",
    await measure([
      ["JSON.stringify, no schema", syncCase(() => JSON.stringify(outValue))],
      ["compiled serializer (fast-json-stringify)", syncCase(() => compiled(outValue))],
      ["compiled serializer, one undeclared key dropped", syncCase(() => compiled(withSecret))],
    ]),
    "JSON.stringify, no schema",
  );

  // Every POST route reads its body, so the no-schema baseline pays JSON.parse too.
  const used = (body: unknown) => {
    if (!body) throw new Error("the bench body is missing");
    return outValue;
  };
  const api = createApi({ accessLog: false })
    .get("/nothing", () => outValue)
    .post("/plain", ({ body }) => used(body))
    .post("/body", ({ body }) => used(body), { body: Body })
    .post("/response", ({ body }) => used(body), { response: Out })
    .post("/both", ({ body }) => used(body), { body: Body, response: Out });
  const handle = (e: Record<string, unknown>) => () => api.handler(e);
  for (const path of ["/body", "/response", "/both"]) {
    const result = (await api.handler(event("POST", path, bodyText))) as { statusCode: number };
    if (result.statusCode !== 200) throw new Error(`${path} answered ${result.statusCode}`);
  }
  print(
    "Through api.handler (HTTP API event, access log off)",
    await measure([
      ["GET, no body, no schema", asyncCase(handle(event("GET", "/nothing")))],
      ["POST, body read as JSON, no schema", asyncCase(handle(event("POST", "/plain", bodyText)))],
      ["POST, body schema (5 fields)", asyncCase(handle(event("POST", "/body", bodyText)))],
      [
        "POST, response schema (10 fields)",
        asyncCase(handle(event("POST", "/response", bodyText))),
      ],
      ["POST, body and response schemas", asyncCase(handle(event("POST", "/both", bodyText)))],
    ]),
    "POST, body read as JSON, no schema",
  );
}

/** Runs in a fresh process: each figure is what a cold execution environment pays. */
const COLD = `
const ms = (t) => Math.round((performance.now() - t) * 100) / 100;
const v = await import("valibot");
const { toJsonSchema } = await import("@valibot/to-json-schema");
const fields = (n) => Object.fromEntries(Array.from({ length: n }, (_, i) => ["f" + i, i % 2 ? v.number() : v.string()]));
const schemas = Array.from({ length: 20 }, () => v.object(fields(10)));
let t = performance.now();
const json = schemas.map((s) => toJsonSchema(s, { errorMode: "throw", typeMode: "input" }));
const convert20 = ms(t);
t = performance.now();
const fjs = (await import("fast-json-stringify")).default;
const load = ms(t);
t = performance.now();
fjs(json[0]);
const compileFirst = ms(t);
t = performance.now();
for (const s of json.slice(1)) fjs(s);
const compileNext = Math.round(ms(t) / 19 * 100) / 100;
console.log(JSON.stringify({ convert20, load, compileFirst, compileNext }));
`;

const COLD_ROUTE = `
const v = await import("valibot");
const { createApi } = await import(LIB);
const api = createApi({ accessLog: false })
  .get("/plain", () => ({ a: "x", b: 1 }))
  .get("/typed", () => ({ a: "x", b: 1 }), { response: v.object({ a: v.string(), b: v.number() }) });
const event = (path) => ({ version: "2.0", rawPath: path, rawQueryString: "", headers: {},
  requestContext: { http: { method: "GET", path }, stage: "$default" } });
const time = async (path) => {
  const t = performance.now();
  await api.handler(event(path));
  return Math.round((performance.now() - t) * 100) / 100;
};
// The plain route goes first and pays what every first request pays (lazy modules, JIT).
const plainFirst = await time("/plain");
const typedFirst = await time("/typed");
const typedSecond = await time("/typed");
console.log(JSON.stringify({ plainFirst, typedFirst, typedSecond }));
`;

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * Transpiles lib/ file by file (as the published dist/ is) into node_modules/.cache, so cold runs
 * load plain JavaScript: the tsx loader would slow every module load and inflate the figures.
 */
async function transpileLib(): Promise<string> {
  const { build } = await import("esbuild");
  const lib = path.join(root, "lib");
  const outdir = path.join(root, "node_modules", ".cache", "bench-validation");
  const files = (await readdir(lib, { recursive: true })).filter((f) => f.endsWith(".ts"));
  await build({
    entryPoints: files.map((file) => path.join(lib, file)),
    outdir,
    outbase: lib,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "error",
  });
  return pathToFileURL(path.join(outdir, "index.js")).href;
}

function cold(script: string, runs: number, lib = ""): Record<string, number> {
  const samples: Record<string, number[]> = {};
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(
      process.execPath,
      ["--input-type=module", "--eval", script.replace("LIB", JSON.stringify(lib))],
      { encoding: "utf8", cwd: root },
    );
    if (child.status !== 0) throw new Error(`cold run failed: ${child.stderr}`);
    const figures = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as Record<string, number>;
    for (const [key, value] of Object.entries(figures)) (samples[key] ??= []).push(value);
  }
  return Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, median(values)]));
}

async function printCold(): Promise<void> {
  const a = cold(COLD, 5);
  const b = cold(COLD_ROUTE, 5, await transpileLib());
  console.log("\nCold, fresh processes (median of 5), ms");
  console.log(`  toJsonSchema, 20 routes of 10 fields (at build time)  ${a.convert20}`);
  console.log(`  load fast-json-stringify and ajv (once)               ${a.load}`);
  console.log(`  compile the first schema (JIT cold)                   ${a.compileFirst}`);
  console.log(`  compile each further schema                           ${a.compileNext}`);
  console.log(`  first request of the process, route without schema    ${b.plainFirst}`);
  console.log(`  then the first call of a route with a response schema ${b.typedFirst}`);
  console.log(`  then its second call                                  ${b.typedSecond}`);
  const eager20 = a.load! + a.compileFirst! + 19 * a.compileNext!;
  console.log(
    `  => compiling 20 routes at build time would add ~${eager20.toFixed(0)} ms to every cold start;`,
  );
  console.log(
    `     on first call, a cold request pays ~${(a.load! + a.compileFirst!).toFixed(0)} ms once and each other route ~${a.compileNext} ms when first hit`,
  );
}

if (!process.env.COLD_ONLY) await warm();
await printCold();
if (sink < 0) console.log(sink);
