// injectBatch: SQS, SNS and Amazon MQ events of several records through batchHandler, with the failed records read back.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { batchHandler, isBatchFailureError } from "../../lib/batch/index.js";
import { createApi } from "../../lib/index.js";
import { injectBatch } from "../../lib/testing/index.js";
import { fixture, type Json } from "../helpers/fixtures.js";

const seen: unknown[] = [];
const api = createApi({ accessLog: false }).post(
  "/orders",
  ({ body }) => {
    seen.push(body.orderId);
    return { ok: true };
  },
  { body: v.object({ orderId: v.number() }) },
);
const handler = batchHandler(api, {
  toRequest: (message) => ({ method: "POST", path: "/orders", body: message }),
});

const order = (orderId: unknown) => ({ method: "POST", path: "/orders", body: { orderId } });

describe("injectBatch", () => {
  for (const source of ["sqs", "sns", "mq", "rmq"] as const) {
    it(`serves every request record of a ${source} batch and reports none failed`, async () => {
      seen.length = 0;
      const out = await injectBatch(handler, { source, records: [order(1), order(2), order(3)] });
      assert.deepEqual(out.failed, []);
      assert.equal(out.error, undefined);
      assert.deepEqual([...seen].sort(), [1, 2, 3]);
      assert.equal(out.messageIds.length, 3);
      assert.equal(new Set(out.messageIds).size, 3);
    });

    it(`names by index the records of a ${source} batch that failed`, async () => {
      const out = await injectBatch(handler, {
        source,
        records: [order(1), order("two"), { method: "GET", path: "/nowhere" }],
      });
      assert.deepEqual(out.failed, [1, 2]);
      if (source === "sqs") {
        assert.deepEqual(out.result, {
          batchItemFailures: [1, 2].map((i) => ({ itemIdentifier: out.messageIds[i] })),
        });
      } else {
        assert.ok(isBatchFailureError(out.error));
        assert.equal(out.result, undefined);
      }
    });
  }

  it("routes ordinary messages through toRequest", async () => {
    seen.length = 0;
    const out = await injectBatch(handler, {
      source: "sqs",
      records: [{ message: { orderId: 7 } }, { message: "not an order" }],
    });
    assert.deepEqual(seen, [7]);
    assert.deepEqual(out.failed, [1]);
  });

  it("runs a FIFO batch in order and fails every record after the first failure unrun", async () => {
    seen.length = 0;
    const out = await injectBatch(handler, {
      source: "sqs",
      fifo: true,
      records: [order(1), order("x"), order(3)],
    });
    assert.deepEqual(seen, [1]);
    assert.deepEqual(out.failed, [1, 2]);
    const records = out.event.Records as Json[];
    assert.ok(String(records[0]!.eventSourceARN).endsWith(".fifo"));
  });

  const envelopes: [source: "sqs" | "sns" | "mq", name: string, pick: (e: Json) => unknown][] = [
    ["sqs", "powertools-py-two-records", (e) => (e.Records as Json[])[0]],
    ["sns", "go-sns", (e) => (e.Records as Json[])[0]!.Sns],
    ["mq", "go-activemq", (e) => (e.messages as Json[])[0]],
  ];
  for (const [source, name, pick] of envelopes) {
    it(`builds ${source} events with the keys of the real sample ${name}`, async () => {
      const keysOf = (value: unknown) => Object.keys(value as Json).sort();
      const out = await injectBatch(async () => undefined, { source, records: [order(1)] });
      const real = fixture<Json>(source, name);
      assert.deepEqual(keysOf(out.event), keysOf(real));
      for (const key of keysOf(pick(real))) {
        assert.ok(key in (pick(out.event) as Json), `${source} record lacks ${key}`);
      }
    });
  }

  it("refuses something that is not a handler, and an unknown source", async () => {
    await assert.rejects(injectBatch(api as never, { source: "sqs", records: [] }), {
      name: "TypeError",
      message: "injectBatch: the first argument must be a handler made by batchHandler(api)",
    });
    await assert.rejects(injectBatch(handler, { source: "kafka" as never, records: [] }), {
      name: "TypeError",
      message: 'injectBatch: source must be "sqs", "sns", "mq" or "rmq", got "kafka"',
    });
  });
});
