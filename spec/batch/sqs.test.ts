// Tests of SQS batches through batchHandler: real SQS samples as envelopes, batchItemFailures, FIFO, concurrency.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createApi } from "../../lib/api.js";
import { batchHandler } from "../../lib/batch/index.js";
import { UnsupportedEventError } from "../../lib/errors.js";
import {
  outcomeApi,
  recordingApi,
  request,
  requestTo,
  servedDirectAndBatched,
  sqsEvent,
} from "../helpers/batch.js";
import { fakeContext, fixture, type Json } from "../helpers/fixtures.js";
import { captureLogs } from "../helpers/log.js";

const STANDARD = [
  "go-sqs-message-attributes",
  "java-empty-body",
  "powertools-py-two-records",
] as const;
const FIFO = "powertools-py-fifo-sns-envelope";

type Failures = { batchItemFailures: { itemIdentifier: string }[] };
const records = (event: Json) => event.Records as Json[];
const ids = (event: Json, indexes: readonly number[]) =>
  indexes.map((i) => ({ itemIdentifier: String(records(event)[i]!.messageId) }));
const get = (path: string) => JSON.stringify(requestTo("apigw-http", "GET", path));

describe("sqs batches", () => {
  for (const envelope of [...STANDARD, FIFO]) {
    it(`serves every HTTP fixture in a ${envelope} record as it serves the fixture directly`, async () => {
      const { samples, direct, seen, event, result, logs } = await servedDirectAndBatched(
        (bodies) => sqsEvent(envelope, bodies),
      );

      assert.deepEqual(result, { batchItemFailures: [] });

      assert.equal(seen.length, samples.length);
      for (const call of seen) {
        const index = records(event).indexOf(call.record as Json);
        assert.ok(index >= 0, "request.record is the raw record");
        assert.deepEqual(request(call), request(direct[index]!), samples[index]!.name);
        assert.equal(call.source, "sqs");
        assert.deepEqual(call.event, samples[index]!.event);
      }
      assert.deepEqual(
        new Set(seen.map((call) => call.record)),
        new Set(records(event)),
        "each record runs once",
      );
      const lines = logs.records();
      assert.equal(lines.length, samples.length);
      assert.deepEqual(
        lines.map((line) => line.message_id).sort(),
        records(event)
          .map((r) => r.messageId)
          .sort(),
      );
      for (const line of lines) {
        assert.equal(line.event_source, "sqs");
        assert.equal(line.level, "INFO");
        assert.equal(line.status_code, 200);
      }
    });
  }

  const own: [string, string[]][] = [
    [
      "go-sqs-message-attributes",
      [
        'The SQS message body is not JSON: "Message Body"; expected an API Gateway-format request as JSON text',
      ],
    ],
    [
      "java-empty-body",
      ["The SQS message body is empty; expected an API Gateway-format request as JSON text"],
    ],
    [
      "powertools-py-two-records",
      [
        'The SQS message body is not JSON: "Test message."; expected an API Gateway-format request as JSON text',
        "The record body is not an HTTP request: aio-lambda-api cannot handle this event: not an HTTP request in a format it knows (keys: message).",
      ],
    ],
    [
      FIFO,
      [
        "The record body is not an HTTP request: aio-lambda-api cannot handle this event: not an HTTP request in a format it knows (keys: message, username).",
      ],
    ],
  ];
  for (const [name, reasons] of own) {
    it(`reports and logs every record of ${name} as is, whose body is not a request`, async () => {
      const logs = captureLogs();
      const { api, seen } = recordingApi({ logger: logs.logger });
      const event = fixture("sqs", name);

      const result = (await batchHandler(api)(event, fakeContext())) as Failures;

      assert.deepEqual(result, {
        batchItemFailures: records(event).map((r) => ({ itemIdentifier: String(r.messageId) })),
      });
      assert.equal(seen.length, 0);
      const lines = logs.records();
      assert.equal(lines.length, reasons.length);
      lines.forEach((line, i) => {
        assert.equal(line.level, "ERROR");
        assert.equal(line.status_code, 400);
        assert.equal(line.event_source, "sqs");
        assert.equal(line.message_id, records(event)[i]!.messageId);
        assert.equal(line.id, fakeContext().awsRequestId);
        assert.ok(String(line.error_detail).startsWith(reasons[i]!), String(line.error_detail));
      });
    });
  }

  it("serves the request inside an SNS notification that an SQS queue received", async () => {
    const { api, seen } = recordingApi({ accessLog: false });
    const event = fixture("sqs", FIFO);
    const record = records(event)[0]!;
    const envelope = JSON.parse(String(record.body)) as Json;
    const inner = requestTo("alb", "PUT", "/from/sns");
    envelope.Message = JSON.stringify(inner);
    record.body = JSON.stringify(envelope);

    assert.deepEqual(await batchHandler(api)(event, fakeContext()), { batchItemFailures: [] });
    assert.deepEqual(
      seen.map((s) => [s.method, s.path, s.source]),
      [["PUT", "/from/sns", "sqs"]],
    );
    assert.deepEqual(seen[0]!.event, inner);
  });

  const outcomes: [string, string, boolean, string, number][] = [
    // [what, request body, failed, access-log level, status]
    ["a 200", get("/ok/1"), false, "INFO", 200],
    ["a 201", get("/status/201/1"), false, "INFO", 201],
    ["a 302", get("/status/302/1"), false, "INFO", 302],
    ["a 204 for no content", get("/slow/1"), false, "INFO", 204],
    ["a 400 HTTPException", get("/status/400/1"), true, "WARN", 400],
    ["a 404 for no route", get("/nowhere"), true, "WARN", 404],
    [
      "a 405 for a known path",
      JSON.stringify(requestTo("alb", "DELETE", "/ok/1")),
      true,
      "WARN",
      405,
    ],
    [
      "a 422 for an invalid body",
      JSON.stringify(requestTo("apigw-rest", "POST", "/items/1", '{"name":1}')),
      true,
      "WARN",
      422,
    ],
    ["a 500 HTTPException", get("/status/500/1"), true, "ERROR", 500],
    ["a 503 HTTPException", get("/status/503/1"), true, "ERROR", 503],
    ["a route timeout (504)", get("/timeout/1"), true, "ERROR", 504],
    ["an uncaught error (500)", get("/throw/1"), true, "CRITICAL", 500],
    ["a body that is not JSON", "GET /ok/1", true, "ERROR", 400],
    ["a JSON body that is not a request", '{"path":"/ok/1"}', true, "ERROR", 400],
    ["a JSON null body", "null", true, "ERROR", 400],
    ["a body holding another batch", '{"Records":[]}', true, "ERROR", 400],
    ["a 7 MB answer (a record's answer is never returned)", get("/big/1"), false, "INFO", 200],
  ];
  for (const [what, body, failed, level, status] of outcomes) {
    it(`${failed ? "reports" : "does not report"} a record answered with ${what}`, async () => {
      const logs = captureLogs();
      const { api } = outcomeApi({ logger: logs.logger });
      const event = sqsEvent("powertools-py-two-records", [get("/ok/0"), body, get("/ok/2")]);

      const result = await batchHandler(api)(event, fakeContext());

      assert.deepEqual(result, { batchItemFailures: failed ? ids(event, [1]) : [] });
      const line = logs.records().find((l) => l.message_id === records(event)[1]!.messageId);
      assert.equal(line?.level, level);
      assert.equal(line?.status_code, status);
      assert.equal(logs.records().length, 3);
    });
  }

  it("tells why a record body holding another batch is refused", async () => {
    const logs = captureLogs();
    const { api } = outcomeApi({ logger: logs.logger });
    await batchHandler(api)(sqsEvent("java-empty-body", ['{"Records":[]}']), fakeContext());
    assert.equal(
      logs.one().error_detail,
      "The record body is not an HTTP request: it holds a batch event (sqs), not a request",
    );
  });

  it("logs an uncaught error at critical with its stack and keeps serving the batch", async () => {
    const logs = captureLogs();
    const { api, calls } = outcomeApi({ logger: logs.logger, uncaughtErrors: "throw" });
    const event = sqsEvent("go-sqs-message-attributes", [get("/throw/0"), get("/ok/1")]);

    assert.deepEqual(await batchHandler(api)(event, fakeContext()), {
      batchItemFailures: ids(event, [0]),
    });
    assert.deepEqual(calls.sort(), ["/ok/1", "/throw/0"]);
    const line = logs.records().find((l) => l.path === "/throw/0")!;
    assert.equal(line.level, "CRITICAL");
    assert.equal(line.status_code, 500);
    assert.match(String(line.error_detail), /^Error: boom 0\n {4}at /);
  });

  it("runs every record of a standard queue at once by default", async () => {
    const { api, calls, state } = outcomeApi({ accessLog: false });
    const bodies = Array.from({ length: 6 }, (_, i) => get(`/slow/${i}`));
    await batchHandler(api)(sqsEvent("powertools-py-two-records", bodies), fakeContext());
    assert.equal(state.maxActive, 6);
    assert.equal(calls.length, 6);
  });

  for (const limit of [1, 2, 4]) {
    it(`runs at most ${limit} record(s) at once with concurrency ${limit}, each once`, async () => {
      const { api, calls, state } = outcomeApi({ accessLog: false });
      const bodies = Array.from({ length: 7 }, (_, i) => get(`/slow/${i}`));
      const handler = batchHandler(api, { concurrency: limit });
      const result = await handler(sqsEvent("java-empty-body", bodies), fakeContext());
      assert.deepEqual(result, { batchItemFailures: [] });
      assert.equal(state.maxActive, limit);
      assert.deepEqual(
        [...calls].sort(),
        bodies.map((_, i) => `/slow/${i}`),
      );
    });
  }

  it("runs a FIFO batch one record at a time, in order, whatever concurrency says", async () => {
    const { api, calls, state } = outcomeApi({ accessLog: false });
    const bodies = Array.from({ length: 5 }, (_, i) => get(`/slow/${i}`));
    const handler = batchHandler(api, { concurrency: Infinity });
    const result = await handler(sqsEvent(FIFO, bodies), fakeContext());
    assert.deepEqual(result, { batchItemFailures: [] });
    assert.equal(state.maxActive, 1);
    assert.deepEqual(calls, ["/slow/0", "/slow/1", "/slow/2", "/slow/3", "/slow/4"]);
  });

  it("reports the first failure of a FIFO batch and every later record, without running them", async () => {
    const logs = captureLogs();
    const { api, calls } = outcomeApi({ logger: logs.logger });
    const bodies = [get("/ok/0"), get("/ok/1"), get("/status/409/2"), get("/ok/3"), "oops"];
    const event = sqsEvent(FIFO, bodies);

    assert.deepEqual(await batchHandler(api)(event, fakeContext()), {
      batchItemFailures: ids(event, [2, 3, 4]),
    });
    assert.deepEqual(calls, ["/ok/0", "/ok/1", "/status/409/2"]);
    assert.deepEqual(
      logs.records().map((l) => [l.path, l.status_code]),
      [
        ["/ok/0", 200],
        ["/ok/1", 200],
        ["/status/409/2", 409],
      ],
    );
  });

  const fifoSigns: [string, (record: Json) => void, boolean][] = [
    ["a .fifo queue ARN and a MessageGroupId", () => {}, true],
    ["a .fifo queue ARN alone", (r) => delete (r.attributes as Json).MessageGroupId, true],
    [
      "a MessageGroupId alone",
      (r) => (r.eventSourceARN = "arn:aws:sqs:eu-west-1:231436140809:Test"),
      true,
    ],
    [
      "neither",
      (r) => {
        delete (r.attributes as Json).MessageGroupId;
        r.eventSourceARN = "arn:aws:sqs:eu-west-1:231436140809:Test.fifo.not";
      },
      false,
    ],
  ];
  for (const [sign, change, fifo] of fifoSigns) {
    it(`${fifo ? "treats" : "does not treat"} a batch with ${sign} as FIFO`, async () => {
      const { api, calls } = outcomeApi({ accessLog: false });
      const event = sqsEvent(FIFO, [get("/status/500/0"), get("/ok/1")]);
      for (const record of records(event)) change(record);
      const result = await batchHandler(api)(event, fakeContext());
      assert.deepEqual(result, { batchItemFailures: ids(event, fifo ? [0, 1] : [0]) });
      assert.deepEqual(calls.sort(), fifo ? ["/status/500/0"] : ["/ok/1", "/status/500/0"]);
    });
  }

  const noIds: [string, (records: Json[]) => void, string][] = [
    [
      "no messageId",
      (rs) => delete rs[1]!.messageId,
      "SQS record 1 has no messageId (got none); expected a non-empty string, since a partial batch response names records by it. No record of the batch was run.",
    ],
    [
      "an empty messageId",
      (rs) => (rs[1]!.messageId = ""),
      'SQS record 1 has no messageId (got ""); expected a non-empty string, since a partial batch response names records by it. No record of the batch was run.',
    ],
    [
      "a numeric messageId",
      (rs) => (rs[1]!.messageId = 7),
      "SQS record 1 has no messageId (got a number); expected a non-empty string, since a partial batch response names records by it. No record of the batch was run.",
    ],
    [
      "a null record",
      (rs) => (rs[1] = null as unknown as Json),
      "SQS record 1 has no messageId (got a record that is null); expected a non-empty string, since a partial batch response names records by it. No record of the batch was run.",
    ],
  ];
  for (const [what, change, message] of noIds) {
    it(`refuses a batch with ${what} before running any record`, async () => {
      const { api, calls } = outcomeApi({ accessLog: false });
      const event = sqsEvent("powertools-py-two-records", [get("/ok/0"), get("/ok/1")]);
      change(records(event));
      await assert.rejects(
        async () => batchHandler(api)(event, fakeContext()),
        (error: unknown) => error instanceof UnsupportedEventError && error.message === message,
      );
      assert.deepEqual(calls, []);
    });
  }

  it("answers an empty batch with an empty failure list", async () => {
    const api = createApi({ accessLog: false });
    assert.deepEqual(await batchHandler(api)({ Records: [] }, fakeContext()), {
      batchItemFailures: [],
    });
  });
});
