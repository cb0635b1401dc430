// Soak: 1,000,000 invocations of a mixed app in one process; heap, RSS, timers and signals after warm-up, for docs/reliability.md.
//
// Run: npx tsx scripts/soak.ts [invocations] [warm-up]
// The app (spec/helpers/soak.ts) has thirteen kinds of request in turn: static, param with
// query and response schemas, valid and invalid bodies, 404, 405, HTTPException, an uncaught
// error (rethrown), a route that never settles (1 ms timeout, 504), a route that listens on its
// signal, cookies and getLogger() fields, a HEAD of a binary answer, a provided resource; every
// 50th invocation is an SQS batch of four. Every request has its own path and request id, and
// the access log is on (Powertools Logger, lines dropped). Memory is sampled after a full
// collection, after the warm-up and then every 100,000 invocations.

import { type Sample, soak } from "../spec/helpers/soak.js";

const invocations = Number(process.argv[2] ?? 1_000_000);
const warmup = Number(process.argv[3] ?? 100_000);
const MB = 1024 * 1024;
const mb = (bytes: number) => (bytes / MB).toFixed(1);

const show = (sample: Sample) =>
  process.stdout.write(
    `${String(sample.invocations).padStart(9)}  heap ${mb(sample.heapUsed).padStart(6)} MB  rss ${mb(sample.rss).padStart(6)} MB  active ${JSON.stringify(sample.active)}\n`,
  );

const before = process.getActiveResourcesInfo();
process.stdout.write(
  `soak: ${invocations} invocations, warm-up ${warmup}, node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`,
);
const figures = await soak({ invocations, warmup, every: 100_000, onSample: show });
const measured = figures.samples.filter((sample) => sample.invocations >= warmup);
const first = measured[0]!;
const last = measured[measured.length - 1]!;
const span = (pick: (s: Sample) => number) => {
  const values = measured.map(pick);
  return { min: Math.min(...values), max: Math.max(...values) };
};
const heap = span((s) => s.heapUsed);
const rss = span((s) => s.rss);
process.stdout.write(
  [
    `outcomes: ${JSON.stringify(figures.outcomes)}`,
    `heap after warm-up ${mb(first.heapUsed)} MB, at the end ${mb(last.heapUsed)} MB (${last.heapUsed >= first.heapUsed ? "+" : ""}${mb(last.heapUsed - first.heapUsed)} MB); range ${mb(heap.min)}–${mb(heap.max)} MB (spread ${mb(heap.max - heap.min)} MB)`,
    `rss after warm-up ${mb(first.rss)} MB, at the end ${mb(last.rss)} MB; range ${mb(rss.min)}–${mb(rss.max)} MB (spread ${mb(rss.max - rss.min)} MB)`,
    `active resources before ${JSON.stringify(before)}, after ${JSON.stringify(process.getActiveResourcesInfo())}`,
    `route signals tracked ${figures.signals.tracked}, still alive after collection ${figures.signals.alive}`,
    `provided resource created ${figures.created} time(s); unhandled rejections ${figures.unhandled}`,
    `time ${figures.seconds.toFixed(1)} s, ${Math.round(figures.invocations / figures.seconds)} invocations/s`,
    "",
  ].join("\n"),
);
