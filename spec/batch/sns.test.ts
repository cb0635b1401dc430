// Tests of SNS batches through batchHandler: real SNS samples as envelopes; one error naming every failed record.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { batchHandler, isBatchFailureError } from "../../lib/batch/index.js";
import {
  outcomeApi,
  recordingApi,
  request,
  requestTo,
  servedDirectAndBatched,
  snsEvent,
} from "../helpers/batch.js";
import { fakeContext, fixture, type Json } from "../helpers/fixtures.js";
import { captureLogs } from "../helpers/log.js";

const ENVELOPES = ["go-sns", "rust-sns-url-uppercase"] as const;
const records = (event: Json) => event.Records as Json[];
const idOf = (event: Json, i: number) => String((records(event)[i]!.Sns as Json).MessageId);
const get = (path: string) => JSON.stringify(requestTo("function-url", "GET", path));

describe("sns batches", () => {
  for (const envelope of ENVELOPES) {
    it(`serves every HTTP fixture in a ${envelope} record as it serves the fixture directly`, async () => {
      const { samples, direct, seen, event, result, logs } = await servedDirectAndBatched(
        (bodies) => snsEvent(envelope, bodies),
      );

      assert.equal(result, undefined);

      assert.equal(seen.length, samples.length);
      for (const call of seen) {
        const index = records(event).indexOf(call.record as Json);
        assert.ok(index >= 0, "request.record is the raw record");
        assert.deepEqual(request(call), request(direct[index]!), samples[index]!.name);
        assert.equal(call.source, "sns");
      }
      assert.equal(new Set(seen.map((call) => call.record)).size, samples.length);
      const lines = logs.records();
      assert.deepEqual(
        lines.map((l) => [l.event_source, l.level]),
        samples.map(() => ["sns", "INFO"]),
      );
      assert.deepEqual(
        lines.map((l) => l.message_id).sort(),
        samples.map((_, i) => idOf(event, i)).sort(),
      );
    });
  }

  const own: [string, string][] = [
    [
      "go-sns",
      '1 of 1 SNS records failed, so the invocation fails for the batch to be retried: #0 "95df01b4-ee98-5cb9-9903-4c221d41eb5e" 400 (The SNS Message is not JSON: "Hello from SNS!"; expected an API Gateway-format request as JSON text)',
    ],
    [
      "rust-sns-url-uppercase",
      '1 of 1 SNS records failed, so the invocation fails for the batch to be retried: #0 "82833b5c-8d5d-56d0-b0e1-7511f8253eb8" 400 (The SNS Message is not JSON: "Hello\\r\\nworld!"; expected an API Gateway-format request as JSON text)',
    ],
  ];
  for (const [name, message] of own) {
    it(`throws naming the record of ${name} as is, whose Message is not a request`, async () => {
      const logs = captureLogs();
      const { api, seen } = recordingApi({ logger: logs.logger });
      await assert.rejects(batchHandler(api)(fixture("sns", name), fakeContext()), (error) => {
        assert.ok(isBatchFailureError(error), String(error));
        assert.equal(error.name, "BatchFailureError");
        assert.equal(error.message, message);
        assert.equal(error.source, "sns");
        assert.equal(error.failures.length, 1);
        return true;
      });
      assert.equal(seen.length, 0);
      const line = logs.one();
      assert.equal(line.level, "ERROR");
      assert.equal(line.status_code, 400);
      assert.equal(line.event_source, "sns");
    });
  }

  it("runs every record before throwing one error naming each failed one with its status", async () => {
    const logs = captureLogs();
    const { api, calls } = outcomeApi({ logger: logs.logger });
    const event = snsEvent("go-sns", [
      get("/ok/0"),
      get("/status/404/1"),
      get("/throw/2"),
      get("/ok/3"),
      get("/timeout/4"),
      "{",
    ]);

    await assert.rejects(batchHandler(api)(event, fakeContext()), (error) => {
      assert.ok(isBatchFailureError(error), String(error));
      assert.deepEqual(
        error.failures.map((f) => [f.index, f.messageId, f.status]),
        [
          [1, idOf(event, 1), 404],
          [2, idOf(event, 2), 500],
          [4, idOf(event, 4), 504],
          [5, idOf(event, 5), 400],
        ],
      );
      assert.equal(error.failures[1]!.reason, "uncaught Error: boom 2");
      assert.equal(
        error.failures[3]!.reason,
        'The SNS Message is not JSON: "{"; expected an API Gateway-format request as JSON text',
      );
      assert.ok(error.message.startsWith("4 of 6 SNS records failed"), error.message);
      assert.ok(error.message.includes(`#2 "${idOf(event, 2)}" 500 (uncaught Error: boom 2)`));
      return true;
    });

    assert.deepEqual([...calls].sort(), [
      "/ok/0",
      "/ok/3",
      "/status/404/1",
      "/throw/2",
      "/timeout/4",
    ]);
    assert.equal(logs.records().length, 6);
  });

  it("resolves to nothing when every record succeeds", async () => {
    const { api, calls } = outcomeApi({ accessLog: false });
    const event = snsEvent("rust-sns-url-uppercase", [get("/ok/0"), get("/status/202/1")]);
    assert.equal(await batchHandler(api)(event, fakeContext()), undefined);
    assert.deepEqual([...calls].sort(), ["/ok/0", "/status/202/1"]);
  });

  it("names a record without a MessageId by its position, and a record without Sns fails", async () => {
    const { api, calls } = outcomeApi({ accessLog: false });
    const event = snsEvent("go-sns", [get("/status/500/0"), get("/ok/1")]);
    delete (records(event)[0]!.Sns as Json).MessageId;
    delete records(event)[1]!.Sns;
    await assert.rejects(batchHandler(api)(event, fakeContext()), (error) => {
      assert.ok(isBatchFailureError(error), String(error));
      assert.deepEqual(
        error.failures.map((f) => [f.messageId, f.status, f.reason]),
        [
          ["record 0", 500, undefined],
          [
            "record 1",
            400,
            "The SNS Message is missing; expected an API Gateway-format request as JSON text",
          ],
        ],
      );
      return true;
    });
    assert.deepEqual(calls, ["/status/500/0"]);
  });

  it("runs SNS records at most concurrency at once", async () => {
    const { api, state } = outcomeApi({ accessLog: false });
    const event = snsEvent(
      "go-sns",
      Array.from({ length: 5 }, (_, i) => get(`/slow/${i}`)),
    );
    assert.equal(await batchHandler(api, { concurrency: 2 })(event, fakeContext()), undefined);
    assert.equal(state.maxActive, 2);
  });
});
