// Tests of Amazon MQ batches through batchHandler: ActiveMQ and RabbitMQ samples as envelopes, base64 data.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { batchHandler, isBatchFailureError } from "../../lib/batch/index.js";
import { UnsupportedEventError } from "../../lib/errors.js";
import {
  mqEvent,
  outcomeApi,
  recordingApi,
  request,
  requestTo,
  servedDirectAndBatched,
} from "../helpers/batch.js";
import { fakeContext, fixture, type Json } from "../helpers/fixtures.js";
import { captureLogs } from "../helpers/log.js";

const ENVELOPES = ["go-activemq", "powertools-py-activemq", "go-rabbitmq"] as const;
const get = (path: string) => JSON.stringify(requestTo("apigw-rest", "GET", path));

/** The messages of an MQ event in order, across RabbitMQ queues. */
function messages(event: Json): Json[] {
  if (Array.isArray(event.messages)) return event.messages as Json[];
  return Object.values(event.rmqMessagesByQueue as Record<string, Json[]>).flat();
}

describe("mq batches", () => {
  for (const envelope of ENVELOPES) {
    it(`serves every HTTP fixture in a ${envelope} message as it serves the fixture directly`, async () => {
      const { samples, direct, seen, event, result, logs } = await servedDirectAndBatched(
        (bodies) => mqEvent(envelope, bodies, { ids: true }),
      );

      assert.equal(result, undefined);

      assert.equal(seen.length, samples.length);
      for (const call of seen) {
        const index = messages(event).indexOf(call.record as Json);
        assert.ok(index >= 0, "request.record is the raw message");
        assert.deepEqual(request(call), request(direct[index]!), samples[index]!.name);
        assert.equal(call.source, "mq");
        assert.deepEqual(call.event, samples[index]!.event);
      }
      assert.equal(new Set(seen.map((call) => call.record)).size, samples.length);
      const lines = logs.records();
      assert.equal(lines.length, samples.length);
      for (const line of lines) assert.equal(line.event_source, "mq");
    });
  }

  const expected = "expected an API Gateway-format request";
  const own: [string, [number, string, string][]][] = [
    [
      "go-activemq",
      [
        [
          0,
          "ID:b-0f5b7522-2b41-4f85-a615-735a4e6d96b5-2.mq.us-west-2.amazonaws.com-34859-1598944546501-4:12:1:1:3",
          `The MQ message data (base64-decoded) is not JSON: "Enter some text here for the message body..."; ${expected} as JSON text`,
        ],
      ],
    ],
    [
      "powertools-py-activemq",
      [
        [
          0,
          "ID:b-9bcfa592-423a-4942-879d-eb284b418fc8-1.mq.us-west-2.amazonaws.com-37557-1234520418293-4:1:1:1:1",
          `The MQ message data (base64-decoded) is not JSON: "ABC:AAAA"; ${expected} as JSON text`,
        ],
        [
          1,
          "ID:b-9bcfa592-423a-4942-879d-eb284b418fc8-1.mq.us-west-2.amazonaws.com-37557-1234520418293-4:1:1:1:1",
          "The record body is not an HTTP request: aio-lambda-api cannot handle this event: not an HTTP request in a format it knows (keys: timeout, data).",
        ],
        [
          2,
          "ID:b-9bcfa592-423a-4942-879d-eb284b418fc8-1.mq.us-west-2.amazonaws.com-37557-1234520418293-4:1:1:1:1",
          `The MQ message data is not UTF-8 text once base64-decoded; ${expected} as JSON`,
        ],
      ],
    ],
    [
      "go-rabbitmq",
      [
        [
          0,
          "test::/#0",
          "The record body is not an HTTP request: aio-lambda-api cannot handle this event: not an HTTP request in a format it knows (keys: timeout, data).",
        ],
      ],
    ],
  ];
  for (const [name, failures] of own) {
    it(`throws naming every message of ${name} as is, whose data is not a request`, async () => {
      const logs = captureLogs();
      const { api, seen } = recordingApi({ logger: logs.logger });
      await assert.rejects(batchHandler(api)(fixture("mq", name), fakeContext()), (error) => {
        assert.ok(isBatchFailureError(error), String(error));
        assert.equal(error.source, "mq");
        assert.equal(error.failures.length, failures.length);
        failures.forEach(([index, id, reason], i) => {
          const got = error.failures[i]!;
          assert.deepEqual([got.index, got.messageId, got.status], [index, id, 400]);
          assert.ok(got.reason?.startsWith(reason), got.reason);
          assert.ok(error.message.includes(`#${index} "`), error.message);
        });
        assert.ok(
          error.message.startsWith(
            `${failures.length} of ${failures.length} Amazon MQ records failed, so the invocation fails for the batch to be retried: #0 `,
          ),
          error.message,
        );
        return true;
      });
      assert.equal(seen.length, 0);
      assert.deepEqual(
        logs.records().map((l) => [l.level, l.status_code, l.event_source, l.message_id]),
        failures.map(([, id]) => ["ERROR", 400, "mq", id]),
      );
    });
  }

  it("runs every message before throwing one error naming each failed one", async () => {
    const { api, calls } = outcomeApi({ accessLog: false });
    const event = mqEvent("go-activemq", [
      get("/status/503/0"),
      get("/ok/1"),
      get("/status/418/2"),
    ]);
    await assert.rejects(batchHandler(api)(event, fakeContext()), (error) => {
      assert.ok(isBatchFailureError(error), String(error));
      assert.deepEqual(
        error.failures.map((f) => [f.index, f.messageId, f.status]),
        [
          [0, messages(event)[0]!.messageID, 503],
          [2, messages(event)[2]!.messageID, 418],
        ],
      );
      return true;
    });
    assert.deepEqual([...calls].sort(), ["/ok/1", "/status/418/2", "/status/503/0"]);
  });

  it("names RabbitMQ messages by basicProperties.messageId, else by queue and position", async () => {
    const { api } = outcomeApi({ accessLog: false });
    const event = mqEvent("go-rabbitmq", [get("/status/500/0"), get("/status/500/1")]);
    const queue = event.rmqMessagesByQueue as Record<string, Json[]>;
    (queue["test::/"]![1]!.basicProperties as Json).messageId = "app-id-1";
    queue["other::/"] = [structuredClone(queue["test::/"]![0]!)];
    await assert.rejects(batchHandler(api)(event, fakeContext()), (error) => {
      assert.ok(isBatchFailureError(error), String(error));
      assert.deepEqual(
        error.failures.map((f) => [f.index, f.messageId]),
        [
          [0, "test::/#0"],
          [1, "app-id-1"],
          [2, "other::/#0"],
        ],
      );
      return true;
    });
  });

  const badData: [string, unknown, string][] = [
    [
      "data that is not base64",
      "not base64!",
      `The MQ message data is not base64: "not base64!"; expected the base64 of an API Gateway-format request as JSON`,
    ],
    [
      "no data",
      undefined,
      "The MQ message data is missing; expected an API Gateway-format request as JSON text",
    ],
    [
      "numeric data",
      42,
      "The MQ message data is not a string (number); expected an API Gateway-format request as JSON text",
    ],
    [
      "empty data",
      "",
      "The MQ message data (base64-decoded) is empty; expected an API Gateway-format request as JSON text",
    ],
  ];
  for (const [what, data, reason] of badData) {
    it(`fails a message with ${what}, naming why`, async () => {
      const { api } = outcomeApi({ accessLog: false });
      const event = mqEvent("powertools-py-activemq", [get("/ok/0"), get("/ok/1")]);
      messages(event)[1]!.data = data;
      await assert.rejects(batchHandler(api)(event, fakeContext()), (error) => {
        assert.ok(isBatchFailureError(error), String(error));
        assert.deepEqual(
          error.failures.map((f) => [f.index, f.status, f.reason]),
          [[1, 400, reason]],
        );
        return true;
      });
    });
  }

  const mismatched: [string, (event: Json) => void][] = [
    ["an ActiveMQ source with RabbitMQ queues", (e) => (e.eventSource = "aws:mq")],
    ["a RabbitMQ source with a messages list", (e) => (e.eventSource = "aws:rmq")],
    ["an unknown MQ source", (e) => (e.eventSource = "aws:kafka")],
  ];
  for (const [what, change] of mismatched) {
    it(`refuses ${what} before running any message`, async () => {
      const { api, calls } = outcomeApi({ accessLog: false });
      const event = what.includes("RabbitMQ queues")
        ? mqEvent("go-rabbitmq", [get("/ok/0")])
        : mqEvent("go-activemq", [get("/ok/0")]);
      change(event);
      await assert.rejects(
        async () => batchHandler(api)(event, fakeContext()),
        (error: unknown) =>
          error instanceof UnsupportedEventError &&
          error.message.startsWith(
            `aio-lambda-api cannot handle this Amazon MQ event: eventSource "${String(event.eventSource)}"`,
          ),
      );
      assert.deepEqual(calls, []);
    });
  }

  it("refuses a RabbitMQ queue that is not a list before running any message", async () => {
    const { api, calls } = outcomeApi({ accessLog: false });
    const event = mqEvent("go-rabbitmq", [get("/ok/0")]);
    (event.rmqMessagesByQueue as Json)["bad::/"] = { data: "e30=" };
    await assert.rejects(async () => batchHandler(api)(event, fakeContext()), {
      name: "UnsupportedEventError",
      message:
        'RabbitMQ queue "bad::/" in rmqMessagesByQueue holds an object; expected an array of messages. No message of the batch was run.',
    });
    assert.deepEqual(calls, []);
  });

  it("resolves to nothing for an empty message list", async () => {
    const { api } = outcomeApi({ accessLog: false });
    const event = mqEvent("go-activemq", []);
    assert.equal(await batchHandler(api)(event, fakeContext()), undefined);
  });
});
