// Pins the public export list of lib/index.ts: adding or removing a name must change this test.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as library from "../lib/index.js";

describe("index", () => {
  it("exports exactly the public names", () => {
    assert.deepEqual(Object.keys(library).sort(), [
      "HTTPException",
      "JSONResponse",
      "Response",
      "ResponseState",
      "UnsupportedEventError",
      "createApi",
      "defineMiddleware",
      "getLogger",
      "isHTTPException",
      "isResponse",
      "readSettings",
      "settings",
    ]);
  });

  it("exports no undefined name", () => {
    for (const [name, value] of Object.entries(library)) {
      assert.equal(typeof value, "function", name);
    }
  });
});
