// One cold start: a fresh process imports one bundle and completes one invocation, then reports its clock.
//
// Plain JavaScript run by plain `node`. Arguments: the bundle, the event file. The bundle is the
// empty module for the baseline process, which reads the event too but invokes nothing. The last
// line printed is `BENCH {...}`: ms since the process started (performance.now(), whose zero is
// the start of the process) before and after the import and after the invocation, the CPU ms the process
// used by then (user + system, every thread), and the peak RSS in KB.

import { readFileSync } from "node:fs";
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

const before = performance.now();
const mod = await import(pathToFileURL(bundle).href);
const imported = performance.now();
let status = 0;
if (typeof mod.handler === "function") status = (await mod.handler(event, context)).statusCode;
const done = performance.now();
const { user, system } = process.cpuUsage();
const cpu = (user + system) / 1000;
const rssKb = process.resourceUsage().maxRSS;
const sample = { before, imported, done, cpu, status, rssKb };
process.stdout.write(`\nBENCH ${JSON.stringify(sample)}\n`);
