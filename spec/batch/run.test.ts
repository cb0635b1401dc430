// Tests of the shared batch machinery: body parsing, running under a limit, the failure error.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BatchFailureError,
  type BatchRecord,
  isBatchFailureError,
  parseBody,
  type RecordAnswer,
  RecordBodyError,
  type RunRecord,
  runConcurrently,
  runRecord,
  throwIfFailed,
} from "../../lib/batch/run.js";

const record = (index: number): BatchRecord => ({
  index,
  messageId: `m-${index}`,
  record: { index },
  request: () => ({ index }),
});

describe("batch run", () => {
  const bodies: [string, unknown, unknown][] = [
    ["JSON text", '{"httpMethod":"GET","path":"/"}', { httpMethod: "GET", path: "/" }],
    ["JSON with CRLF", '{\r\n\t"a": 1\r\n}', { a: 1 }],
    ["JSON null", "null", null],
  ];
  for (const [what, text, value] of bodies) {
    it(`parses a body of ${what}`, () => {
      assert.deepEqual(parseBody(text, "SQS message body"), value);
    });
  }

  const end = "expected an API Gateway-format request as JSON text";
  const bad: [string, unknown, string][] = [
    ["a missing body", undefined, `The SQS message body is missing; ${end}`],
    ["a null body", null, `The SQS message body is not a string (null); ${end}`],
    ["an object body", { a: 1 }, `The SQS message body is not a string (object); ${end}`],
    ["an empty body", "", `The SQS message body is empty; ${end}`],
    ["a blank body", " \n\t", `The SQS message body is empty; ${end}`],
    ["text", "Test message.", `The SQS message body is not JSON: "Test message."; ${end}`],
    [
      "long text, cut short",
      `${"a".repeat(100)}`,
      `The SQS message body is not JSON: "${"a".repeat(60)}…"; ${end}`,
    ],
    ["truncated JSON", '{"path":', `The SQS message body is not JSON: "{\\"path\\":"; ${end}`],
  ];
  for (const [what, text, message] of bad) {
    it(`refuses ${what} with RecordBodyError naming it`, () => {
      assert.throws(
        () => parseBody(text, "SQS message body"),
        (error: unknown) => error instanceof RecordBodyError && error.message === message,
      );
    });
  }

  it("returns results in record order whatever order the runs finish in", async () => {
    const run: RunRecord = async (request) => {
      const { index } = request() as { index: number };
      for (let i = 0; i < 5 - index; i++) await new Promise((r) => setImmediate(r));
      return { status: 200 + index };
    };
    const results = await runConcurrently("sqs", [0, 1, 2, 3, 4].map(record), run, 2);
    assert.deepEqual(
      results.map((r) => [r.record.index, r.answer?.status, r.failed]),
      [0, 1, 2, 3, 4].map((i) => [i, 200 + i, false]),
    );
  });

  for (const limit of [1, 3, 10, Number.POSITIVE_INFINITY]) {
    it(`runs each record once, at most ${limit} at once`, async () => {
      let active = 0;
      let most = 0;
      const runs: number[] = [];
      const run: RunRecord = async (_request, origin) => {
        runs.push(Number(origin.messageId.slice(2)));
        active++;
        most = Math.max(most, active);
        await new Promise((r) => setImmediate(r));
        active--;
        return { status: 204 };
      };
      await runConcurrently(
        "mq",
        Array.from({ length: 7 }, (_, i) => record(i)),
        run,
        limit,
      );
      assert.deepEqual(
        [...runs].sort((a, b) => a - b),
        [0, 1, 2, 3, 4, 5, 6],
      );
      assert.equal(most, Math.min(limit, 7));
    });
  }

  it("passes the source, message id and raw record as the origin", async () => {
    const origins: unknown[] = [];
    await runRecord("sns", record(3), async (_request, origin) => {
      origins.push(origin);
      return { status: 200 };
    });
    assert.deepEqual(origins, [{ source: "sns", messageId: "m-3", record: { index: 3 } }]);
  });

  const answers: [string, RecordAnswer, boolean][] = [
    ["a 200", { status: 200 }, false],
    ["a 399", { status: 399 }, false],
    ["a 400", { status: 400 }, true],
    ["a 599", { status: 599 }, true],
    ["a NaN status", { status: Number.NaN }, true],
    ["a 200 with a reason", { status: 200, reason: "odd" }, true],
  ];
  for (const [what, answer, failed] of answers) {
    it(`counts ${what} as ${failed ? "failed" : "served"}`, async () => {
      const result = await runRecord("sqs", record(0), async () => answer);
      assert.equal(result.failed, failed);
    });
  }

  it("counts a run that throws as a failed 500 instead of letting the error escape", async () => {
    const result = await runRecord("sqs", record(0), async () => {
      throw new TypeError("logger broke");
    });
    assert.deepEqual(result.answer, {
      status: 500,
      reason: "the record's run threw TypeError: logger broke",
    });
    assert.equal(result.failed, true);
  });

  it("throws nothing when no record failed", () => {
    const results = [0, 1].map((i) => ({
      record: record(i),
      answer: { status: 200 },
      failed: false,
    }));
    assert.doesNotThrow(() => throwIfFailed("sns", results));
  });

  it("lists 20 failed records in the message and counts the rest", () => {
    const results = Array.from({ length: 25 }, (_, i) => ({
      record: record(i),
      answer: { status: 500 + (i % 4) },
      failed: true,
    }));
    let thrown: unknown;
    try {
      throwIfFailed("mq", results);
    } catch (error) {
      thrown = error;
    }
    assert.ok(thrown instanceof BatchFailureError);
    assert.equal(thrown.failures.length, 25);
    assert.equal(thrown.source, "mq");
    assert.ok(
      thrown.message.startsWith(
        '25 of 25 Amazon MQ records failed, so the invocation fails for the batch to be retried: #0 "m-0" 500; #1 "m-1" 501; ',
      ),
      thrown.message,
    );
    assert.ok(thrown.message.endsWith('#19 "m-19" 503; and 5 more'), thrown.message);
  });

  it("recognizes a BatchFailureError of another copy of the library by its brand", () => {
    const foreign = Object.assign(new Error("x"), {
      [Symbol.for("aio-lambda-api.BatchFailureError")]: true,
    });
    assert.equal(isBatchFailureError(foreign), true);
    assert.equal(isBatchFailureError(new Error("x")), false);
    assert.equal(isBatchFailureError(null), false);
  });
});
