// Property test of batches: random records with random outcomes, for every source; nothing lost, nothing run twice.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  type BatchFailureError,
  batchHandler,
  isBatchFailureError,
} from "../../lib/batch/index.js";
import {
  type HttpSample,
  mqEvent,
  outcomeApi,
  requestTo,
  snsEvent,
  sqsEvent,
} from "../helpers/batch.js";
import { fakeContext, HTTP_KINDS, type Json } from "../helpers/fixtures.js";
import { captureLogs } from "../helpers/log.js";

type Outcome =
  | { kind: "status"; code: number }
  | { kind: "throw" }
  | { kind: "timeout" }
  | { kind: "malformed"; body: string };

interface Item {
  outcome: Outcome;
  wrap: HttpSample["kind"];
}

type Source = "sqs" | "fifo" | "sns" | "activemq" | "rabbitmq";

const outcome: fc.Arbitrary<Outcome> = fc.oneof(
  fc.record({
    kind: fc.constant("status" as const),
    code: fc.constantFrom(200, 201, 202, 204, 301, 302, 304, 399),
  }),
  fc.record({
    kind: fc.constant("status" as const),
    code: fc.constantFrom(400, 401, 403, 404, 409, 422, 429, 499),
  }),
  fc.record({ kind: fc.constant("status" as const), code: fc.constantFrom(500, 502, 503, 599) }),
  fc.constant({ kind: "throw" as const }),
  fc.constant({ kind: "timeout" as const }),
  fc.record({
    kind: fc.constant("malformed" as const),
    body: fc.constantFrom(
      "",
      " ",
      "not json",
      "{",
      "null",
      "42",
      "[]",
      '{"hello":"world"}',
      '{"Records":[]}',
    ),
  }),
);

const batch = fc.record({
  source: fc.constantFrom<[Source, string]>(
    ["sqs", "powertools-py-two-records"],
    ["sqs", "go-sqs-message-attributes"],
    ["fifo", "powertools-py-fifo-sns-envelope"],
    ["sns", "go-sns"],
    ["sns", "rust-sns-url-uppercase"],
    ["activemq", "go-activemq"],
    ["activemq", "powertools-py-activemq"],
    ["rabbitmq", "go-rabbitmq"],
  ),
  items: fc.array(fc.record({ outcome, wrap: fc.constantFrom(...HTTP_KINDS) }), {
    minLength: 1,
    maxLength: 12,
  }),
  concurrency: fc.constantFrom(1, 2, 3, Number.POSITIVE_INFINITY),
});

function pathOf(outcome: Outcome, index: number): string | undefined {
  switch (outcome.kind) {
    case "status":
      return `/status/${outcome.code}/${index}`;
    case "throw":
      return `/throw/${index}`;
    case "timeout":
      return `/timeout/${index}`;
    default:
      return undefined;
  }
}

function statusOf(outcome: Outcome): number {
  return outcome.kind === "status"
    ? outcome.code
    : outcome.kind === "throw"
      ? 500
      : outcome.kind === "timeout"
        ? 504
        : 400;
}

function levelOf(outcome: Outcome): string {
  if (outcome.kind === "throw") return "CRITICAL";
  if (outcome.kind === "malformed") return "ERROR";
  const status = statusOf(outcome);
  return status >= 500 ? "ERROR" : status >= 400 ? "WARN" : "INFO";
}

function bodyOf({ outcome, wrap }: Item, index: number): string {
  const path = pathOf(outcome, index);
  return path === undefined
    ? (outcome as { body: string }).body
    : JSON.stringify(requestTo(wrap, "GET", path));
}

function eventOf(source: Source, envelope: string, bodies: string[]): Json {
  if (source === "sqs" || source === "fifo") return sqsEvent(envelope, bodies);
  if (source === "sns") return snsEvent(envelope, bodies);
  return mqEvent(envelope, bodies);
}

function idsOf(source: Source, event: Json): string[] {
  if (source === "sqs" || source === "fifo") {
    return (event.Records as Json[]).map((r) => String(r.messageId));
  }
  if (source === "sns")
    return (event.Records as Json[]).map((r) => String((r.Sns as Json).MessageId));
  if (source === "activemq") return (event.messages as Json[]).map((m) => String(m.messageID));
  const queues = event.rmqMessagesByQueue as Record<string, Json[]>;
  return Object.entries(queues).flatMap(([queue, list]) => list.map((_, i) => `${queue}#${i}`));
}

describe("batch properties", () => {
  it("reports exactly the failed records (FIFO: the first failure and all after it), runs none twice, drops none", async () => {
    await fc.assert(
      fc.asyncProperty(batch, async ({ source: [source, envelope], items, concurrency }) => {
        const logs = captureLogs();
        const { api, calls } = outcomeApi({ logger: logs.logger });
        const event = eventOf(source, envelope, items.map(bodyOf));
        const ids = idsOf(source, event);
        const failed = items.map(({ outcome }) => statusOf(outcome) >= 400);
        const first = failed.indexOf(true);
        const ran = items.map((_, i) => source !== "fifo" || first === -1 || i <= first);
        const reported = items.map((_, i) =>
          source === "fifo" ? first !== -1 && i >= first : failed[i]!,
        );

        let result: unknown;
        let thrown: unknown;
        try {
          result = await batchHandler(api, { concurrency })(event, fakeContext());
        } catch (error) {
          thrown = error;
        }

        // Every record that reached a route reached it once; no other route call happened.
        const expectedCalls = items
          .map(({ outcome }, i) => (ran[i] ? pathOf(outcome, i) : undefined))
          .filter((path) => path !== undefined);
        assert.deepEqual([...calls].sort(), expectedCalls.sort());

        // The failures the source is told of are exactly the failed (or skipped) records.
        if (source === "sqs" || source === "fifo") {
          assert.equal(thrown, undefined);
          assert.deepEqual(result, {
            batchItemFailures: ids
              .filter((_, i) => reported[i])
              .map((itemIdentifier) => ({ itemIdentifier })),
          });
        } else if (failed.includes(true)) {
          assert.ok(isBatchFailureError(thrown), String(thrown));
          assert.deepEqual(
            (thrown as BatchFailureError).failures.map((f) => [f.index, f.messageId, f.status]),
            items.flatMap(({ outcome }, i) => (failed[i] ? [[i, ids[i], statusOf(outcome)]] : [])),
          );
        } else {
          assert.equal(thrown, undefined);
          assert.equal(result, undefined);
        }

        // None is dropped: each record either succeeded or was reported, never both.
        for (let i = 0; i < items.length; i++) assert.equal(ran[i] && !failed[i], !reported[i]);

        // One access-log line per record run (or refused), with its status and level.
        const lines = logs.records();
        assert.deepEqual(
          lines.map((line) => line.message_id).sort(),
          ids.filter((_, i) => ran[i]).sort(),
        );
        for (const line of lines) {
          const index = ids.indexOf(String(line.message_id));
          const { outcome } = items[index]!;
          assert.equal(line.status_code, statusOf(outcome));
          assert.equal(line.level, levelOf(outcome));
          assert.equal(
            line.event_source,
            source === "sqs" || source === "fifo" ? "sqs" : source === "sns" ? "sns" : "mq",
          );
        }
      }),
      { seed: 20_240_605, numRuns: 200 },
    );
  });
});
