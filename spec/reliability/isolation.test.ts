// Isolation: 1,000 concurrent requests, through the dev server and through SQS batches, each see only their own log fields and request id.

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { getLogger } from "../../lib/access-log.js";
import { createApi } from "../../lib/api.js";
import { batchHandler } from "../../lib/batch/index.js";
import { type DevServer, startDevServer } from "../../lib/cli/dev.js";
import { requestTo, sqsEvent } from "../helpers/batch.js";
import { fakeContext } from "../helpers/fixtures.js";
import { captureLogs, captureOutput, type LogLine } from "../helpers/log.js";

const REQUESTS = 1_000;
const LIB = path.resolve(import.meta.dirname, "../../lib/index.ts");

/**
 * The route under test, as source: it tags the record with its own number, waits a different
 * time per request (timers, setImmediate, a nested async function), and answers what it saw.
 */
const ROUTE = `async ({ params, request, log }) => {
  const n = params.n;
  getLogger().tag = n;
  await new Promise((resolve) => setTimeout(resolve, Number(n) % 7));
  const inner = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    getLogger()["seen_" + n] = request.id;
    return getLogger();
  };
  const record = await inner();
  await new Promise((resolve) => setTimeout(resolve, Number(n) % 3));
  return {
    n,
    id: request.id,
    tag: getLogger().tag,
    loggedId: getLogger().id,
    same: record === log && getLogger() === log,
    fields: Object.keys(getLogger()).filter((key) => key === "tag" || key.startsWith("seen_")),
  };
}`;

/** What every request must have seen: only its own number, id and fields. */
function checkAnswer(answer: Record<string, unknown>, n: number): void {
  assert.deepEqual(answer, {
    n: String(n),
    id: `iso-${n}`,
    tag: String(n),
    loggedId: `iso-${n}`,
    same: true,
    fields: ["tag", `seen_${n}`],
  });
}

/** Every access-log line holds only its own request's fields. */
function checkLines(lines: readonly LogLine[]): void {
  assert.equal(lines.length, REQUESTS);
  const seen = new Set<string>();
  for (const line of lines) {
    const n = String(line.tag);
    assert.equal(line.id, `iso-${n}`);
    assert.equal(line.path, `/tag/${n}`);
    assert.equal(line.status_code, 200);
    const own = Object.keys(line).filter((key) => key.startsWith("seen_"));
    assert.deepEqual(own, [`seen_${n}`]);
    assert.equal(line[`seen_${n}`], `iso-${n}`);
    seen.add(n);
  }
  assert.equal(seen.size, REQUESTS);
}

describe("isolation under concurrency", () => {
  let dir: string;
  let server: DevServer;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "aio-isolation-"));
    const entry = path.join(dir, "app.ts");
    await writeFile(
      entry,
      `import { createApi, getLogger } from ${JSON.stringify(LIB)};\n` +
        `export const handler = createApi().get("/tag/{n}", ${ROUTE}).handler;\n`,
    );
    server = await startDevServer({ entry, port: 0, watch: false, log: () => {} });
  });

  after(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps 1,000 concurrent dev-server requests apart: each answer and log line holds only its own fields and id", async () => {
    const answers: Record<string, unknown>[] = [];
    const lines = await captureOutput(async () => {
      const all = Array.from({ length: REQUESTS }, async (_, n) => {
        const response = await fetch(`${server.url}/tag/${n}`, {
          headers: { "x-request-id": `iso-${n}` },
        });
        assert.equal(response.status, 200);
        assert.equal(response.headers.get("x-request-id"), `iso-${n}`);
        answers[n] = (await response.json()) as Record<string, unknown>;
      });
      await Promise.all(all);
    });
    answers.forEach(checkAnswer);
    checkLines(lines.map((line) => JSON.parse(line) as LogLine).filter((line) => "tag" in line));
  });

  it("keeps 1,000 records of four concurrent SQS batches apart: each line holds only its own fields, id and message id", async () => {
    const logs = captureLogs();
    const answers: Record<string, unknown>[] = [];
    const route = new Function("getLogger", `return ${ROUTE};`)(getLogger) as (
      input: unknown,
    ) => Promise<Record<string, unknown>>;
    const api = createApi({ logger: logs.logger }).get("/tag/{n}", async (input) => {
      const answer = await route(input);
      answers[Number(answer.n)] = answer;
      return answer;
    });
    const bodies = Array.from({ length: REQUESTS }, (_, n) => {
      const event = requestTo("apigw-http", "GET", `/tag/${n}`);
      (event.headers as Record<string, string>)["x-request-id"] = `iso-${n}`;
      return JSON.stringify(event);
    });
    const batches = [0, 1, 2, 3].map((i) =>
      sqsEvent("powertools-py-two-records", bodies.slice(i * 250, (i + 1) * 250)),
    );
    const handler = batchHandler(api);
    const results = await Promise.all(batches.map((event) => handler(event, fakeContext())));
    assert.deepEqual(
      results,
      batches.map(() => ({ batchItemFailures: [] })),
    );
    answers.forEach(checkAnswer);
    const lines = logs.records();
    checkLines(lines);
    // sqsEvent numbers the records of each batch from 0: record n is `<id>.<n % 250>`.
    const first = String((batches[0]!.Records as { messageId: string }[])[0]!.messageId);
    for (const line of lines) {
      assert.equal(line.message_id, first.replace(/0$/, String(Number(line.tag) % 250)));
      assert.equal(line.event_source, "sqs");
    }
  });
});
