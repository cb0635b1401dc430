// Benchmark: the per-request cost of the access log, on vs off, through api.handler.
//
// Run: npx tsx scripts/bench-access-log.ts [requests per sample] [rounds]
// Every variant serves the same HTTP API (payload 2.0) event through `api.handler`, each
// invocation with a new Lambda context (as the runtime passes), so Powertools' addContext runs
// every time, as in Lambda. While measuring, process.stdout and process.stderr writes are no-ops:
// the JSON line is built and handed to the stream, then dropped. Figures are CPU time per
// request (user + system of the measuring process), steadier than wall time on a shared
// machine. Each variant runs in its own
// child process (AsyncLocalStorage's promise hooks, once on, stay on for the whole process), the
// rounds alternate the variants so machine noise hits them alike, and medians are reported.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createApi, getLogger } from "../lib/index.js";

const requests = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 5);
const child = process.env.BENCH_VARIANT;

const event = {
  version: "2.0",
  routeKey: "$default",
  rawPath: "/items/42",
  rawQueryString: "q=shoes",
  headers: {
    accept: "application/json",
    host: "abc123.execute-api.eu-west-1.amazonaws.com",
    "user-agent": "Mozilla/5.0 (bench)",
    "x-request-id": "bench-request-0001",
  },
  queryStringParameters: { q: "shoes" },
  requestContext: {
    accountId: "000000000000",
    apiId: "abc123",
    domainName: "abc123.execute-api.eu-west-1.amazonaws.com",
    http: {
      method: "GET",
      path: "/items/42",
      protocol: "HTTP/1.1",
      sourceIp: "192.0.2.1",
      userAgent: "Mozilla/5.0 (bench)",
    },
    requestId: "JKJaXmPLvHcESHA=",
    routeKey: "$default",
    stage: "$default",
    timeEpoch: 1_700_000_000_000,
  },
  isBase64Encoded: false,
};

let invocation = 0;
function context() {
  invocation++;
  return {
    awsRequestId: `00000000-0000-4000-8000-${String(invocation).padStart(12, "0")}`,
    functionName: "bench",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:eu-west-1:000000000000:function:bench",
    memoryLimitInMB: "1024",
    logGroupName: "/aws/lambda/bench",
    logStreamName: "2024/01/01/[$LATEST]0123456789abcdef",
    getRemainingTimeInMillis: () => 30_000,
  };
}

const route = ({ params }: { params: { id: string } }) => ({ id: params.id, name: "shoe" });
const withFields = ({ params }: { params: { id: string } }) => {
  const log = getLogger();
  log.user_id = "u-123";
  log.tenant = "acme";
  log.cache_hit = true;
  return { id: params.id, name: "shoe" };
};

const variants = {
  "log off": () => createApi({ accessLog: false }).get("/items/{id}", route).handler,
  "log on": () => createApi().get("/items/{id}", route).handler,
  "log on + 3 fields": () => createApi().get("/items/{id}", withFields).handler,
};
type Name = keyof typeof variants;
const names = Object.keys(variants) as Name[];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/** In a child: warms up, then prints the median CPU ns/op of five samples of `requests` requests. */
async function measure(name: Name): Promise<void> {
  const handler = variants[name]();
  // CPU time of this process (user + system), not wall time: other processes on a busy
  // machine barely move it. Wall time is printed beside it by the parent, for reference.
  const sample = async (n: number) => {
    const cpu = process.cpuUsage();
    for (let i = 0; i < n; i++) await handler(event, context());
    const used = process.cpuUsage(cpu);
    return ((used.user + used.system) * 1e3) / n;
  };
  const out = process.stdout.write;
  const noop = (() => true) as typeof process.stdout.write;
  const samples: number[] = [];
  process.stdout.write = noop;
  process.stderr.write = noop;
  try {
    await sample(requests);
    for (let i = 0; i < 5; i++) samples.push(await sample(requests));
  } finally {
    process.stdout.write = out;
  }
  process.stdout.write(`${median(samples)}\n`);
}

if (child) {
  await measure(child as Name);
} else {
  const self = fileURLToPath(import.meta.url);
  const results: Record<Name, number[]> = { "log off": [], "log on": [], "log on + 3 fields": [] };
  for (let r = 0; r < rounds; r++) {
    for (const name of r % 2 === 0 ? names : [...names].reverse()) {
      const run = spawnSync(process.execPath, ["--import", "tsx", self, String(requests)], {
        env: { ...process.env, BENCH_VARIANT: name },
        encoding: "utf8",
      });
      if (run.status !== 0) throw new Error(`variant ${name} failed: ${run.stderr}`);
      results[name].push(Number(run.stdout.trim()));
    }
  }
  const off = median(results["log off"]);
  console.log(
    `node ${process.version}, CPU time per request, median of ${rounds} rounds (one process per variant and round, ${requests} requests a sample)`,
  );
  for (const name of names) {
    const ns = median(results[name]);
    const spread = `${Math.round(Math.min(...results[name]))}-${Math.round(Math.max(...results[name]))}`;
    const diff =
      name === "log off" ? "" : `  +${Math.round(ns - off)} ns (${(ns / off).toFixed(2)}x)`;
    console.log(
      `${name.padEnd(18)} ${String(Math.round(ns)).padStart(7)} ns/op  [${spread}]${diff}`,
    );
  }
}
