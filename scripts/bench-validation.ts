// Validation and serialization cost per request, and the cold cost of response schemas; run `npx tsx scripts/bench-validation.ts`.
//
// Warm part: a 5-field body schema against JSON.parse alone; response schemas (10 fields, and the
// bench app's two) against JSON.stringify, each through the schema's run-time writer (any bundle,
// lib/schema-writer.ts) and fast-json-stringify's serializer (what `bundle` and the esbuild plugin
// precompile), first in isolation and then through api.handler (HTTP API 2.0 events, access log
// off). Each case runs in interleaved rounds and the median round is printed, so figures compare
// within one run; absolute numbers depend on the machine.
// Cold part: fresh node processes time walking response schemas at registration, and the first
// and second call of a route with one.
// Not a test: no thresholds.

import { spawnSync } from "node:child_process";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as v from "valibot";
import fastJson from "fast-json-stringify";
import { createApi } from "../lib/api.js";
import { responseJsonSchema } from "../lib/cli/response-schema.js";
import { validate } from "../lib/input.js";
import { planInput } from "../lib/input-plan.js";
import { LambdaRequest } from "../lib/request.js";
import type { IncomingRequest } from "../lib/events/incoming.js";
import { schemaKey } from "../lib/schema-key.js";
import { planSerializer, serializerOf } from "../lib/serialize.js";
import type { AnySchema } from "../lib/types.js";

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

/** The bench app's response schemas (scripts/bench/apps/aio-app.ts) and what its routes return. */
const BENCH_APP: [string, AnySchema, unknown][] = [
  [
    "Response, bench app GET /items/{id} ({ id, q: nullable })",
    v.object({ id: v.string(), q: v.nullable(v.string()) }),
    { id: "42", q: null },
  ],
  [
    "Response, bench app POST /items (Item)",
    v.object({
      name: v.pipe(v.string(), v.minLength(1)),
      price: v.pipe(v.number(), v.minValue(0)),
    }),
    { name: "Widget", price: 9.5 },
  ],
];

/** The table `bundle` and the esbuild plugin install (lib/serialize.ts reads it). */
const PRECOMPILED = Symbol.for("aio-lambda-api.precompiled-serializers");

/** fast-json-stringify on the schema's JSON Schema: the code `bundle` precompiles. */
function precompiled(schema: AnySchema): (value: unknown) => string {
  return fastJson(responseJsonSchema(schema) as unknown as Parameters<typeof fastJson>[0]);
}

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

/**
 * A serializer's case: its text is read once, as Lambda's runtime reads the body, so a string
 * built by concatenation is flattened within the timing as JSON.stringify's is.
 */
function textCase(fn: () => string): () => number {
  return () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < OPS; i++) {
      const text = fn();
      sink += text.charCodeAt(text.length >> 1);
    }
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

  const written = serializerOf(planSerializer("GET /bench", Out, false));
  const compiled = precompiled(Out);
  const withSecret = { ...outValue, passwordHash: "x".repeat(60) };
  print(
    "Response, in isolation (10 fields)",
    await measure([
      ["JSON.stringify, no schema", textCase(() => JSON.stringify(outValue))],
      ["schema writer (run time, any bundle)", textCase(() => written(outValue))],
      ["schema writer, one undeclared key dropped", textCase(() => written(withSecret))],
      ["precompiled (fast-json-stringify)", textCase(() => compiled(outValue))],
      ["precompiled, one undeclared key dropped", textCase(() => compiled(withSecret))],
    ]),
    "JSON.stringify, no schema",
  );
  for (const [title, schema, value] of BENCH_APP) {
    const write = serializerOf(planSerializer("GET /bench", schema, false));
    const fjs = precompiled(schema);
    print(
      title,
      await measure([
        ["JSON.stringify, no schema", textCase(() => JSON.stringify(value))],
        ["schema writer (run time, any bundle)", textCase(() => write(value))],
        ["precompiled (fast-json-stringify)", textCase(() => fjs(value))],
      ]),
      "JSON.stringify, no schema",
    );
  }

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
  // The same route in a bundle with precompiled serializers: the table is installed first.
  (globalThis as Record<symbol, unknown>)[PRECOMPILED] = new Map([[schemaKey(Out), compiled]]);
  const pre = createApi({ accessLog: false }).post("/response", ({ body }) => used(body), {
    response: Out,
  });
  delete (globalThis as Record<symbol, unknown>)[PRECOMPILED];
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
        "POST, response schema (10 fields), schema writer",
        asyncCase(handle(event("POST", "/response", bodyText))),
      ],
      [
        "POST, response schema (10 fields), precompiled",
        asyncCase(() => pre.handler(event("POST", "/response", bodyText))),
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
const { createApi } = await import(LIB);
const fields = (n) => Object.fromEntries(Array.from({ length: n }, (_, i) => ["f" + i, i % 2 ? v.number() : v.string()]));
const schemas = Array.from({ length: 20 }, () => v.object(fields(10)));
let t = performance.now();
let api = createApi({ accessLog: false });
for (const [i, s] of schemas.entries()) api = api.get("/r" + i, () => ({}), { response: s });
const withSchemas = ms(t);
t = performance.now();
let bare = createApi({ accessLog: false });
for (let i = 0; i < 20; i++) bare = bare.get("/r" + i, () => ({}));
const without = ms(t);
console.log(JSON.stringify({ withSchemas, without }));
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
  const lib = await transpileLib();
  const a = cold(COLD, 5, lib);
  const b = cold(COLD_ROUTE, 5, lib);
  console.log("\nCold, fresh processes (median of 5), ms");
  console.log(`  register 20 routes with 10-field response schemas (walked)  ${a.withSchemas}`);
  console.log(`  register 20 routes without schemas                          ${a.without}`);
  console.log(`  first request of the process, route without schema          ${b.plainFirst}`);
  console.log(`  then the first call of a route with a response schema       ${b.typedFirst}`);
  console.log(`  then its second call                                        ${b.typedSecond}`);
}

if (!process.env.COLD_ONLY) await warm();
await printCold();
if (sink < 0) console.log(sink);
