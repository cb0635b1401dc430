// Soak, CI-sized: 20,000 mixed invocations in one process leave the heap flat and no timer, signal or resource behind (scripts/soak.ts runs 1,000,000).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { soak } from "../helpers/soak.js";

const INVOCATIONS = 20_000;
const WARMUP = 5_000;
/** Generous: the full run measures well under 1 MB of spread after warm-up (docs/reliability.md). */
const HEAP_BOUND = 8 * 1024 * 1024;

/** What invocation `i` of the soak schedule answers (spec/helpers/soak.ts eventOf / batchOf). */
function expectedOutcome(i: number): string {
  if (i % 50 === 49) return "batch";
  const byPick = ["200", "200", "201", "422", "404", "405", "404", "rejected", "504", "204"];
  return byPick[i % 13] ?? "200";
}

const tally = (n: number) => {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const outcome = expectedOutcome(i);
    out[outcome] = (out[outcome] ?? 0) + 1;
  }
  return out;
};

describe("soak", () => {
  it("serves 20,000 mixed invocations with the heap flat after warm-up and no timer, signal or resource left behind", async () => {
    const before = process.getActiveResourcesInfo().sort();
    const figures = await soak({ invocations: INVOCATIONS, warmup: WARMUP, every: 5_000 });
    assert.deepEqual(figures.outcomes, tally(INVOCATIONS));
    assert.equal(figures.unhandled, 0);
    assert.equal(figures.created, 1);
    // Every route signal (with its abort listener) is garbage once its request is answered.
    assert.equal(figures.signals.tracked, 1_000);
    assert.equal(figures.signals.alive, 0);
    const measured = figures.samples.filter((sample) => sample.invocations >= WARMUP);
    assert.equal(measured.length, 5);
    const heaps = measured.map((sample) => sample.heapUsed);
    const spread = Math.max(...heaps) - Math.min(...heaps);
    assert.ok(spread < HEAP_BOUND, `heap spread ${spread} bytes after warm-up`);
    // No timer (a route deadline not cleared) or other handle outlives the run.
    assert.equal(measured.at(-1)!.active.Timeout, undefined);
    assert.deepEqual(process.getActiveResourcesInfo().sort(), before);
  });
});
