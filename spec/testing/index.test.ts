// Pins the exports of aio-lambda-api/testing, and what inject does when it is not given an Api.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import * as testingModule from "../../lib/testing/index.js";
import { inject } from "../../lib/testing/index.js";

describe("aio-lambda-api/testing", () => {
  it("exports exactly its public names", () => {
    assert.deepEqual(Object.keys(testingModule).sort(), [
      "call",
      "inject",
      "injectBatch",
      "routeInput",
    ]);
  });

  it("is a subpath export of the package", () => {
    const pkg = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    ) as {
      exports: Record<string, unknown>;
    };
    assert.deepEqual(pkg.exports["./testing"], {
      types: "./dist/testing/index.d.ts",
      default: "./dist/testing/index.js",
    });
  });
});

describe("inject", () => {
  const notApis: [string, unknown][] = [
    ["undefined", undefined],
    ["null", null],
    ["an empty object", {}],
    ["an object whose handler is not a function", { handler: "index.handler" }],
  ];
  for (const [what, value] of notApis) {
    it(`rejects with a TypeError naming inject when given ${what} instead of an Api`, async () => {
      await assert.rejects(inject(value as never, { path: "/" }), {
        name: "TypeError",
        message: "inject: the first argument must be an Api made by createApi()",
      });
    });
  }
});
