// Synthetic results: any event kind's result read back as its gateway would send it, or refused as it would refuse it.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MalformedResultError, readResult } from "../../lib/events/synthetic-result.js";

describe("readResult", () => {
  it("reads multiValueHeaders before headers, v2 cookies as set-cookie lines and base64 bodies", () => {
    const rest = readResult(
      {
        statusCode: "201",
        headers: { a: "1", B: "x" },
        multiValueHeaders: { b: ["2", "3"] },
        body: "aGk=",
        isBase64Encoded: true,
      },
      "v1",
    );
    assert.equal(rest.status, 201);
    assert.deepEqual(rest.headers, [
      ["b", "2"],
      ["b", "3"],
      ["a", "1"],
    ]);
    assert.equal(new TextDecoder().decode(rest.body), "hi");
    const v2 = readResult({ statusCode: 200, cookies: ["s=1"], body: "x" }, "v2");
    assert.deepEqual(v2.headers, [["set-cookie", "s=1"]]);
  });

  it("reads a v2 result without statusCode as a JSON 200", () => {
    const answer = readResult({ a: 1 }, "v2");
    assert.equal(answer.status, 200);
    assert.equal(new TextDecoder().decode(answer.body), '{"a":1}');
  });

  it("throws MalformedResultError naming the field a gateway would refuse", () => {
    assert.throws(() => readResult({ statusCode: 99 }, "v1"), {
      name: "MalformedResultError",
      message: "statusCode must be an integer from 100 to 599, got 99",
    });
    assert.throws(() => readResult("x", "alb"), MalformedResultError);
  });
});
