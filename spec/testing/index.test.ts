// Pins the exports of aio-lambda-api/testing, and what inject does when it is not given an Api.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as testingModule from "../../lib/testing/index.js";
import { inject } from "../../lib/testing/index.js";
import { pinsSubpath } from "../helpers/subpath.js";

pinsSubpath("testing", testingModule, ["call", "inject", "injectBatch", "routeInput"]);

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
