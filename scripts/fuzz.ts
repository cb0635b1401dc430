// Fuzzing at full count: 100,000 mutated AWS events (seeded) through batchHandler(api), with the figures docs/reliability.md quotes.
//
// Run: npx tsx scripts/fuzz.ts [events] [seed]
// Every real fixture of spec/fixtures/aws-events is mutated at random by spec/helpers/mutate.ts
// (strings up to 1,000,000 characters, JSON bodies nested up to 100,000 levels) and run through
// the batch handler of the fuzz app (spec/helpers/fuzz-app.ts), which hands HTTP events on to
// api.handler, checked by the oracle (spec/helpers/oracle.ts) of spec/reliability/fuzz.test.ts.
// A failing case is shrunk by fast-check and printed; the exit code is then 1.

import fc from "fast-check";
import { batchHandler } from "../lib/batch/index.js";
import { fakeContext } from "../spec/helpers/fixtures.js";
import {
  fuzzApp,
  invoke,
  prototypeSnapshot,
  TARGETS,
  trackRejections,
} from "../spec/helpers/fuzz-app.js";
import { expectedKind, problems } from "../spec/helpers/oracle.js";
import { captureLogs } from "../spec/helpers/log.js";
import { fuzzCase } from "../spec/helpers/mutate.js";

const events = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? 20_240_610);
const limits = { maxLength: 1_000_000, maxDepth: 100_000 };

const logs = captureLogs();
const handler = batchHandler(fuzzApp(logs.logger));
const rejections = trackRejections();
const prototypes = prototypeSnapshot();

const byKind = new Map<string, number>();
const byStatus = new Map<string, number>();
const byRoute = new Map<string, number>();
const batchOutcomes = new Map<string, number>();
let lines = 0;
let multipart = 0;
let slowest = 0;
let slowestFrom = "";

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

function record(kind: string, outcome: Awaited<ReturnType<typeof invoke>>): void {
  bump(byKind, kind);
  if (kind === "sqs" || kind === "sns" || kind === "mq") {
    const what =
      outcome.kind === "rejected"
        ? `${kind} rejected: ${(outcome.error as Error).name}`
        : `${kind} resolved`;
    bump(batchOutcomes, what);
  } else if (kind !== "unsupported" && outcome.kind === "resolved") {
    bump(byStatus, String((outcome.value as { statusCode: number }).statusCode));
  }
}

const started = performance.now();
try {
  await fc.assert(
    fc.asyncProperty(fuzzCase(TARGETS, limits), async (generated) => {
      logs.clear();
      const kind = expectedKind(generated.event);
      const at = performance.now();
      const outcome = await invoke(handler, generated.event, fakeContext());
      const took = performance.now() - at;
      if (took > slowest) [slowest, slowestFrom] = [took, generated.from];
      const written = logs.records();
      lines += written.length;
      for (const line of written) {
        if (typeof line.route === "string") bump(byRoute, line.route);
        if (line.form === "multipart/form-data" && line.status_code === 200) multipart += 1;
      }
      const found = problems(kind, generated.event, outcome, written);
      if (prototypeSnapshot() !== prototypes) found.push("a built-in prototype changed");
      if (rejections.seen.length > 0)
        found.push(`unhandled rejection: ${String(rejections.seen[0])}`);
      record(kind, outcome);
      if (found.length > 0) {
        throw new Error(
          `${generated.from}: ${found.join("; ")}\n${JSON.stringify(generated.mutations).slice(0, 2_000)}`,
        );
      }
    }),
    { seed, numRuns: events },
  );
} catch (error) {
  process.stdout.write(`FAILED after ${byKind.size} kinds:\n${String(error)}\n`);
  process.exit(1);
} finally {
  rejections.stop();
}
const seconds = (performance.now() - started) / 1000;

const sorted = (map: Map<string, number>) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .map(([key, count]) => `${key} ${count}`)
    .join(", ");
const total = [...byKind.values()].reduce((a, b) => a + b, 0);

process.stdout.write(
  [
    `fuzz: ${total} events, seed ${seed}, strings up to ${limits.maxLength} characters, JSON up to ${limits.maxDepth} levels`,
    `node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
    `events by kind: ${sorted(byKind)}`,
    `HTTP answers by status: ${sorted(byStatus)}`,
    `batches: ${sorted(batchOutcomes)}`,
    `routes reached: ${byRoute.size} of ${new Set(TARGETS.map((t) => t.split(" ")[1])).size}: ${sorted(byRoute)}`,
    `access-log lines: ${lines}; multipart bodies parsed by the form route: ${multipart}`,
    "problems: 0 (no malformed result, undocumented error, hang, critical line, missing line, prototype change or unhandled rejection)",
    `time: ${seconds.toFixed(1)} s, ${Math.round(total / seconds)} events/s; slowest event ${slowest.toFixed(1)} ms (${slowestFrom})`,
    "",
  ].join("\n"),
);
