// Tests of aio-lambda-api/batch: its exports, and batchHandler: which batches are served, empty ones, HTTP events, the concurrency option.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createApi } from "../../lib/api.js";
import * as batchModule from "../../lib/batch/index.js";
import { batchHandler, runBatch } from "../../lib/batch/index.js";
import { UnsupportedEventError } from "../../lib/errors.js";
import {
  httpSamples,
  mqEvent,
  outcomeApi,
  recordingApi,
  requestTo,
  snsEvent,
  sqsEvent,
} from "../helpers/batch.js";
import { fakeContext, fixture } from "../helpers/fixtures.js";
import { pinsSubpath, refusesNonApis } from "../helpers/subpath.js";

const get = (path: string) => JSON.stringify(requestTo("apigw-http", "GET", path));

pinsSubpath("batch", batchModule, [
  "BatchFailureError",
  "RecordBodyError",
  "batchHandler",
  "isBatchFailureError",
  "runBatch",
]);

describe("batchHandler", () => {
  const unsupported: [string, string][] = [
    ["go-kinesis", 'a Kinesis stream batch (eventSource "aws:kinesis")'],
    ["go-dynamodb-stream", 'a DynamoDB stream batch (eventSource "aws:dynamodb")'],
    ["go-s3", 'an S3 notification (eventSource "aws:s3")'],
  ];
  for (const [name, what] of unsupported) {
    it(`refuses the ${name} sample with an UnsupportedEventError naming it`, async () => {
      const { api, calls } = outcomeApi({ accessLog: false });
      await assert.rejects(
        async () => batchHandler(api)(fixture("other", name), fakeContext()),
        (error: unknown) =>
          error instanceof UnsupportedEventError &&
          error.message.startsWith(`aio-lambda-api cannot handle this event: ${what}.`),
      );
      assert.deepEqual(calls, []);
    });
  }

  const empty: [string, unknown, unknown][] = [
    ["an empty Records list", { Records: [] }, { batchItemFailures: [] }],
    ["an ActiveMQ event without messages", mqEvent("go-activemq", []), undefined],
    ["a RabbitMQ event without messages", mqEvent("go-rabbitmq", []), undefined],
  ];
  for (const [what, event, result] of empty) {
    it(`answers ${what} with what its source expects`, async () => {
      const api = createApi({ accessLog: false });
      assert.deepEqual(await batchHandler(api)(event, fakeContext()), result);
    });
  }

  it("hands each source's records to the runner with its origin", async () => {
    const seen: [string, string][] = [];
    const run = async (_request: () => unknown, origin: { source: string; messageId: string }) => {
      seen.push([origin.source, origin.messageId]);
      return { status: 200 };
    };
    const sqs = sqsEvent("java-empty-body", ["{}"]);
    const sns = snsEvent("go-sns", ["{}"]);
    const mq = mqEvent("go-rabbitmq", ["{}"], { ids: true });
    assert.deepEqual(await runBatch("sqs", sqs, run), { batchItemFailures: [] });
    assert.equal(await runBatch("sns", sns, run), undefined);
    assert.equal(await runBatch("mq", mq, run), undefined);
    assert.deepEqual(seen, [
      ["sqs", "d9144555-9a4f-4ec3-99a0-fc4e625a8db2.0"],
      ["sns", "95df01b4-ee98-5cb9-9903-4c221d41eb5e.0"],
      ["mq", "rmq-0"],
    ]);
  });

  const refused = (got: string) =>
    `batchHandler: concurrency must be a positive integer or Infinity, got ${got}`;
  const limits: [unknown, string | undefined][] = [
    [1, undefined],
    [16, undefined],
    [Number.POSITIVE_INFINITY, undefined],
    [0, refused("0")],
    [-2, refused("-2")],
    [1.5, refused("1.5")],
    [Number.NaN, refused("NaN")],
    [Number.NEGATIVE_INFINITY, refused("-Infinity")],
    ["4", refused('"4"')],
  ];
  for (const [limit, message] of limits) {
    it(`${message ? "refuses" : "accepts"} concurrency ${typeof limit === "string" ? `"${limit}"` : String(limit)}`, () => {
      const make = () => batchHandler(createApi(), { concurrency: limit as number });
      if (message) assert.throws(make, { name: "RangeError", message });
      else assert.doesNotThrow(make);
    });
  }

  it("serves records and HTTP requests with the same handler", async () => {
    const { api, calls } = outcomeApi({ accessLog: false });
    const handler = batchHandler(api);
    const direct = (await handler(requestTo("alb", "GET", "/ok/d"), fakeContext())) as {
      statusCode: number;
    };
    const batch = await handler(sqsEvent("java-empty-body", [get("/ok/r")]), fakeContext());
    assert.equal(direct.statusCode, 200);
    assert.deepEqual(batch, { batchItemFailures: [] });
    assert.deepEqual(calls, ["/ok/d", "/ok/r"]);
  });

  for (const { kind, name, event } of httpSamples()) {
    it(`answers ${kind}/${name} as api.handler does`, async () => {
      const { api, seen } = recordingApi({ accessLog: false });
      const expected = await api.handler(structuredClone(event), fakeContext());
      const served = await batchHandler(api)(structuredClone(event), fakeContext());
      assert.deepEqual(served, expected);
      assert.equal(seen.length, 2, "each call reached the route");
      assert.deepEqual(seen[1], seen[0]);
    });
  }

  refusesNonApis("batchHandler", (value) => batchHandler(value));
});
