// Tests of batchHandler's toRequest: records of ordinary messages (the real SQS, SNS and MQ samples) routed as requests, none lost.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createApi } from "../../lib/api.js";
import { batchHandler, isBatchFailureError, type ToRequest } from "../../lib/batch/index.js";
import { fakeContext, fixture, type Json } from "../helpers/fixtures.js";
import { captureLogs } from "../helpers/log.js";

type Seen = { path: string; body: unknown; record: unknown; source: string };

/** An Api recording every message it is sent, with the mapper under test. */
function messageApp(toRequest: ToRequest) {
  const seen: Seen[] = [];
  const logs = captureLogs();
  const api = createApi({ logger: logs.logger }).post("/messages", ({ body, request }) => {
    seen.push({ path: request.path, body, record: request.record, source: request.source });
    return undefined;
  });
  return { seen, logs, handler: batchHandler(api, { toRequest }) };
}

const toMessages: ToRequest = (message) => ({
  method: "POST",
  path: "/messages",
  body: { message },
});

// The real samples whose bodies are ordinary messages: text, JSON that is not a request.
const SAMPLES: [kind: "sqs" | "sns" | "mq", name: string, messages: unknown[]][] = [
  ["sqs", "powertools-py-two-records", ["Test message.", { message: "foo1" }]],
  ["sqs", "go-sqs-message-attributes", ["Message Body"]],
  ["sqs", "powertools-py-fifo-sns-envelope", [{ message: "hello world", username: "lessa" }]],
  ["sns", "go-sns", ["Hello from SNS!"]],
  ["mq", "go-activemq", ["Enter some text here for the message body..."]],
  ["mq", "go-rabbitmq", [{ timeout: 0, data: "CZrmf0Gw8Ov4bqLQxD4E" }]],
];

describe("batchHandler toRequest", () => {
  for (const [kind, name, messages] of SAMPLES) {
    it(`routes each ordinary message of ${kind}/${name} as the request toRequest makes`, async () => {
      const { seen, handler, logs } = messageApp(toMessages);
      const event = fixture<Json>(kind, name);
      const result = await handler(event, fakeContext());
      assert.deepEqual(result, kind === "sqs" ? { batchItemFailures: [] } : undefined);
      assert.deepEqual(
        seen.map((s) => s.body),
        messages.map((message) => ({ message })),
      );
      assert.ok(seen.every((s) => s.path === "/messages" && s.source === kind));
      assert.deepEqual(
        logs.records().map((l) => [l.method, l.path, l.status_code, l.event_source]),
        messages.map(() => ["POST", "/messages", 204, kind]),
      );
    });
  }

  it("gives the mapper the raw record beside the message", async () => {
    const records: unknown[] = [];
    const { handler } = messageApp((message, record) => {
      records.push(record);
      return { path: "/messages", body: message };
    });
    const event = fixture<Json>("sqs", "powertools-py-two-records");
    await handler(event, fakeContext());
    assert.deepEqual(records, event.Records);
  });

  it("still serves records that carry an HTTP request, without the mapper", async () => {
    let mapped = 0;
    const { seen, handler } = messageApp(() => {
      mapped++;
      return undefined;
    });
    const event = fixture<Json>("sqs", "go-sqs-message-attributes");
    const records = event.Records as Json[];
    records[0]!.body = JSON.stringify({
      httpMethod: "POST",
      path: "/messages",
      headers: { "content-type": "application/json" },
      body: '{"a":1}',
    });
    assert.deepEqual(await handler(event, fakeContext()), { batchItemFailures: [] });
    assert.equal(mapped, 0);
    assert.deepEqual(
      seen.map((s) => s.body),
      [{ a: 1 }],
    );
  });

  const failing: [what: string, mapper: ToRequest, reason: string][] = [
    [
      "throws",
      () => {
        throw new Error("no route for this message");
      },
      "toRequest threw Error: no route for this message",
    ],
    [
      "returns nothing",
      () => undefined,
      "toRequest returned undefined; expected { method?, path, body? }",
    ],
    [
      "returns a path that does not start with /",
      () => ({ path: "messages" }),
      'toRequest returned a path of "messages"; expected a string starting with "/"',
    ],
  ];
  for (const [what, mapper, reason] of failing) {
    it(`reports a record failed and logs why when the mapper ${what}`, async () => {
      const { seen, handler, logs } = messageApp(mapper);
      const event = fixture<Json>("sqs", "powertools-py-two-records");
      const ids = (event.Records as Json[]).map((r) => ({ itemIdentifier: String(r.messageId) }));
      assert.deepEqual(await handler(event, fakeContext()), { batchItemFailures: ids });
      assert.deepEqual(seen, []);
      assert.deepEqual(
        logs.records().map((l) => [l.level, l.status_code, l.error_detail]),
        [
          ["ERROR", 400, reason],
          ["ERROR", 400, reason],
        ],
      );
    });
  }

  it("fails an SNS invocation naming the record the mapper could not map", async () => {
    const { handler } = messageApp(() => undefined);
    await assert.rejects(handler(fixture<Json>("sns", "go-sns"), fakeContext()), (error) => {
      assert.ok(isBatchFailureError(error));
      assert.deepEqual(
        error.failures.map((f) => [f.index, f.status]),
        [[0, 400]],
      );
      return true;
    });
  });

  it("answers a mapped request like any other: a 404 fails the record", async () => {
    const { handler } = messageApp(() => ({ path: "/nowhere" }));
    const event = fixture<Json>("sqs", "go-sqs-message-attributes");
    assert.deepEqual(await handler(event, fakeContext()), {
      batchItemFailures: [{ itemIdentifier: "MessageID_1" }],
    });
  });

  it("refuses a toRequest that is not a function", () => {
    assert.throws(() => batchHandler(createApi(), { toRequest: "POST /orders" as never }), {
      name: "TypeError",
      message: 'batchHandler: toRequest must be a function, got "POST /orders"',
    });
  });
});
