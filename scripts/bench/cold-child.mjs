// One cold start: a fresh process imports (or requires) one bundle and completes one invocation, then reports its clock.
//
// Plain JavaScript run by plain `node`. Arguments: the bundle, the event file. The bundle is the
// empty module for the baseline process, which reads the event too but invokes nothing. The last
// line printed is `BENCH {...}`: ms since the process started (performance.now(), whose zero is
// the start of the process) before and after the import and after the invocation, the CPU ms the process
// used by then (user + system, every thread), the peak RSS in KB, and the span from the import to
// the answer on the monotonic clock in µs (`window`), so a CPU profile can be cut to it.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const [bundle, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, "utf8"));
const context = {
  callbackWaitsForEmptyEventLoop: true,
  awsRequestId: "c0ffee00-0000-4000-8000-000000000001",
  functionName: "bench",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:bench",
  memoryLimitInMB: "1024",
  logGroupName: "/aws/lambda/bench",
  logStreamName: "2024/06/17/[$LATEST]0123456789abcdef0123456789abcdef",
  getRemainingTimeInMillis: () => 30_000,
};

// A CommonJS bundle (.cjs) is required, as Lambda's Node runtime loads a CommonJS handler;
// `require` is made before the clock starts.
const require = createRequire(import.meta.url);
const startUs = Number(process.hrtime.bigint() / 1000n);
const before = performance.now();
const mod = bundle.endsWith(".cjs") ? require(bundle) : await import(pathToFileURL(bundle).href);
const imported = performance.now();
let status = 0;
if (typeof mod.handler === "function") status = (await mod.handler(event, context)).statusCode;
const done = performance.now();
const endUs = Number(process.hrtime.bigint() / 1000n);
const { user, system } = process.cpuUsage();
const cpu = (user + system) / 1000;
const rssKb = process.resourceUsage().maxRSS;
const sample = { before, imported, done, cpu, status, rssKb, window: [startUs, endUs] };
process.stdout.write(`\nBENCH ${JSON.stringify(sample)}\n`);
