// One warm measurement: a fresh process imports one bundle, checks its answers, warms up, then times each case.
//
// Plain JavaScript run by plain `node` (no TypeScript loader in the measured process). The job file
// (argument 1) names the bundle, the events, the expected answers and the counts; the figures go
// back over the IPC channel, because stdout and stderr writes are no-ops here: an access-log line
// is built and handed to the stream, then dropped. Each case reports CPU time (user + system of
// this process, GC threads included: what other processes on a busy machine barely move) and
// wall time, both in ns per invocation, and the span of the monotonic clock (µs) the timed loop
// took, so a CPU profile of this process can be cut to it.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));

/** Lambda passes a new context object each invocation: a pool of distinct ones, reused in turn. */
function contexts(count) {
  return Array.from({ length: count }, (_, i) => {
    const id = String(i).padStart(12, "0");
    return {
      callbackWaitsForEmptyEventLoop: true,
      awsRequestId: `c0ffee00-0000-4000-8000-${id}`,
      functionName: "bench",
      functionVersion: "$LATEST",
      invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:bench",
      memoryLimitInMB: "1024",
      logGroupName: "/aws/lambda/bench",
      logStreamName: "2024/06/17/[$LATEST]0123456789abcdef0123456789abcdef",
      getRemainingTimeInMillis: () => 30_000,
      done() {},
      fail() {},
      succeed() {},
    };
  });
}

function header(result, name) {
  for (const [key, value] of Object.entries(result.headers ?? {})) {
    if (key.toLowerCase() === name) return String(value);
  }
  for (const [key, values] of Object.entries(result.multiValueHeaders ?? {})) {
    if (key.toLowerCase() === name) return values.join(", ");
  }
  return undefined;
}

function bodyOf(result) {
  const text =
    result.isBase64Encoded === true
      ? Buffer.from(result.body ?? "", "base64").toString("utf8")
      : (result.body ?? "");
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Every request in both formats must get the expected status and body before any timing. */
async function check(handler, context) {
  for (const [name, event] of Object.entries(job.events)) {
    const request = name.split(" ")[1];
    const expected = job.expected[request];
    const result = await handler(structuredClone(event), context);
    const what = `${job.id}, ${name}: got ${JSON.stringify(result).slice(0, 300)}`;
    assert.ok(result && typeof result === "object", `${what}; expected a result object`);
    if (expected.status === "4xx") {
      assert.equal(result.statusCode, job.invalidStatus, `${what}; expected a refused body`);
      continue;
    }
    assert.equal(result.statusCode, expected.status, `${what}; expected ${expected.status}`);
    const body = bodyOf(result);
    if (request === "missing") {
      assert.deepEqual(body, job.notFound, `${what}; expected the framework's 404 body`);
      continue;
    }
    assert.deepEqual(body, expected.body, `${what}; expected ${JSON.stringify(expected.body)}`);
    assert.match(header(result, "content-type") ?? "", /json/, `${what}; expected a JSON type`);
  }
}

async function run() {
  process.stdout.write = () => true;
  process.stderr.write = () => true;
  // A CommonJS bundle is required, as Lambda's Node runtime loads a .js/.cjs handler.
  const { handler } = job.bundle.endsWith(".cjs")
    ? createRequire(import.meta.url)(job.bundle)
    : await import(pathToFileURL(job.bundle).href);
  const pool = contexts(1024);
  await check(handler, pool[0]);
  const events = job.cases.map((name) => job.events[name]);
  for (let round = 0; round < 2; round++) {
    for (const event of events) {
      for (let i = 0; i < job.warmup; i++) await handler(event, pool[i & 1023]);
    }
  }
  const cpu = {};
  const wall = {};
  const windows = {};
  for (const [index, event] of events.entries()) {
    const n = job.iterations;
    const start = process.hrtime.bigint();
    const used = process.cpuUsage();
    for (let i = 0; i < n; i++) await handler(event, pool[i & 1023]);
    const { user, system } = process.cpuUsage(used);
    const end = process.hrtime.bigint();
    wall[job.cases[index]] = Number(end - start) / n;
    cpu[job.cases[index]] = ((user + system) * 1000) / n;
    windows[job.cases[index]] = [Number(start / 1000n), Number(end / 1000n)];
  }
  return { cpu, wall, windows };
}

run().then(
  (ns) => process.send({ ok: true, ...ns }, () => process.exit(0)),
  (error) =>
    process.send({ ok: false, error: String(error?.stack ?? error) }, () => process.exit(1)),
);
