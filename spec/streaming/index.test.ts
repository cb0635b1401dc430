// Pins the exports of aio-lambda-api/streaming, and what streamingHandler does when it is not given an Api.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { createApi } from "../../lib/index.js";
import * as streamingModule from "../../lib/streaming/index.js";
import { streamingHandler } from "../../lib/streaming/index.js";

describe("aio-lambda-api/streaming", () => {
  it("exports exactly its public names", () => {
    assert.deepEqual(Object.keys(streamingModule).sort(), [
      "ClientGoneError",
      "StreamingResponse",
      "streamingHandler",
    ]);
  });

  it("is a subpath export of the package", () => {
    const pkg = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    ) as {
      exports: Record<string, unknown>;
    };
    assert.deepEqual(pkg.exports["./streaming"], {
      types: "./dist/streaming/index.d.ts",
      default: "./dist/streaming/index.js",
    });
  });
});

describe("streamingHandler given something that is not an Api", () => {
  const notApis: [string, unknown, string][] = [
    ["undefined", undefined, "undefined"],
    ["null", null, "null"],
    ["a handler function", createApi().handler, "a function"],
    ["an object with a handler", { handler: createApi().handler }, "an object"],
  ];
  for (const [what, value, got] of notApis) {
    it(`throws a TypeError naming streamingHandler for ${what}`, () => {
      assert.throws(() => streamingHandler(value as never), {
        name: "TypeError",
        message: `streamingHandler: expected an Api made by createApi(), got ${got}`,
      });
    });
  }
});
