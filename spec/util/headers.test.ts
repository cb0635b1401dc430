// mergeHeaders: one lowercase map from a REST event's single- and multi-value header maps.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lowerName, mergeHeaders } from "../../lib/util/headers.js";

describe("mergeHeaders", () => {
  it("lowercases names, the multi-value map winning and its repeats joined", () => {
    assert.deepEqual(
      mergeHeaders(
        { "Content-Type": "text/plain", Accept: "x", Cookie: "a=1" },
        { "Content-Type": ["application/json"], Accept: ["a", "b"], Cookie: ["a=1", "b=2"] },
      ),
      { "content-type": "application/json", accept: "a, b", cookie: "a=1; b=2" },
    );
  });

  const unusable: [string, unknown][] = [
    ["an empty array", []],
    ["an array without strings", [1, null]],
    ["not an array", "x"],
    ["null", null],
  ];
  for (const [what, values] of unusable) {
    it(`takes the single map's value when the multi-value entry is ${what}`, () => {
      assert.deepEqual(mergeHeaders({ "X-Id": "7" }, { "X-Id": values }), { "x-id": "7" });
    });
  }

  it("keeps names only one map has, in any case, and numbers as text", () => {
    assert.deepEqual(mergeHeaders({ "X-Only-Single": 5 }, { "X-Only-Multi": ["m"] }), {
      "x-only-multi": "m",
      "x-only-single": "5",
    });
  });

  it("works from either map alone", () => {
    assert.deepEqual(mergeHeaders({ A: "1" }, undefined), { a: "1" });
    assert.deepEqual(mergeHeaders(null, { A: ["1", "2"] }), { a: "1, 2" });
  });
});

describe("lowerName", () => {
  it("lowercases, giving the same string for a name seen before", () => {
    const first = lowerName("X-Request-Id");
    assert.equal(first, "x-request-id");
    assert.equal(lowerName("X-Request-Id"), first);
  });

  it("still lowercases names past its cache's bound", () => {
    for (let i = 0; i < 1200; i++) assert.equal(lowerName(`X-Name-${i}`), `x-name-${i}`);
  });
});
