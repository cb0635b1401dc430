// Pins the exports of aio-lambda-api/fetch, and what fetchHandler refuses: a value that is not an Api, a bad maxBodyBytes.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as fetchModule from "../../lib/fetch/index.js";
import { fetchHandler } from "../../lib/fetch/index.js";
import { createApi } from "../../lib/index.js";
import { pinsSubpath, refusesNonApis } from "../helpers/subpath.js";

pinsSubpath("fetch", fetchModule, ["fetchHandler"]);

describe("fetchHandler", () => {
  refusesNonApis("fetchHandler", (value) => fetchHandler(value));

  const refused = (got: string) =>
    `fetchHandler: maxBodyBytes must be a whole number of bytes, got ${got}`;
  const sizes: [unknown, string | undefined][] = [
    [0, undefined],
    [1024, undefined],
    [-1, refused("-1")],
    [1.5, refused("1.5")],
    [Number.NaN, refused("NaN")],
    [Number.POSITIVE_INFINITY, refused("Infinity")],
    ["1024", refused('"1024"')],
  ];
  for (const [size, message] of sizes) {
    it(`${message ? "refuses" : "accepts"} maxBodyBytes ${typeof size === "string" ? `"${size}"` : String(size)}`, () => {
      const make = () => fetchHandler(createApi(), { maxBodyBytes: size as number });
      if (message) assert.throws(make, { name: "RangeError", message });
      else assert.doesNotThrow(make);
    });
  }

  it("answers 413 for a body over maxBodyBytes without running the route", async () => {
    let calls = 0;
    const api = createApi({ accessLog: false }).post("/", () => ++calls);
    const fetch = fetchHandler(api, { maxBodyBytes: 4 });
    const res = await fetch(new Request("http://x/", { method: "POST", body: "12345" }));
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), { detail: "Request body is over 4 bytes" });
    const fits = await fetch(new Request("http://x/", { method: "POST", body: "1234" }));
    assert.equal(fits.status, 200);
    assert.equal(calls, 1);
  });
});
