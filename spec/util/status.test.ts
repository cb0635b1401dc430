// Tests of status helpers: reason phrases and the status range check.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isStatus, reasonPhrase } from "../../lib/util/status.js";

describe("reasonPhrase", () => {
  const rows: [status: number, phrase: string][] = [
    [200, "OK"],
    [201, "Created"],
    [204, "No Content"],
    [400, "Bad Request"],
    [401, "Unauthorized"],
    [404, "Not Found"],
    [405, "Method Not Allowed"],
    [415, "Unsupported Media Type"],
    [418, "I'm a Teapot"],
    [422, "Unprocessable Content"],
    [500, "Internal Server Error"],
    [503, "Service Unavailable"],
    [504, "Gateway Timeout"],
    [299, ""],
    [499, "Client Error"],
    [599, "Server Error"],
  ];
  for (const [status, phrase] of rows) {
    it(`gives ${status} the phrase ${JSON.stringify(phrase)}`, () => {
      assert.equal(reasonPhrase(status), phrase);
    });
  }
});

describe("isStatus", () => {
  const rows: [value: unknown, expected: boolean][] = [
    [100, true],
    [200, true],
    [599, true],
    [99, false],
    [600, false],
    [200.5, false],
    [Number.NaN, false],
    [Number.POSITIVE_INFINITY, false],
    ["200", false],
    [undefined, false],
    [null, false],
  ];
  for (const [value, expected] of rows) {
    it(`says ${String(typeof value === "string" ? JSON.stringify(value) : value)} is ${expected ? "" : "not "}a status`, () => {
      assert.equal(isStatus(value), expected);
    });
  }
});
