// Tests of Lambda's 6 MB response limit: the size check, and the 500 an HTTP request gets instead.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Reply } from "../../lib/reply.js";
import { sizeIfOverLimit, PAYLOAD_LIMIT } from "../../lib/util/payload.js";
import { outcomeApi, requestTo } from "../helpers/batch.js";
import { fakeContext } from "../helpers/fixtures.js";
import { captureLogs } from "../helpers/log.js";

const MB = 1024 * 1024;
const reply = (body: Reply["body"], headers: Reply["headers"] = {}): Reply => ({
  status: 200,
  headers,
  body,
});

describe("payload limit", () => {
  const fits: [string, Reply][] = [
    ["no body", reply(undefined)],
    ["a small JSON body", reply('{"a":1}', { "content-type": "application/json" })],
    ["5 MB of ASCII text", reply("a".repeat(5 * MB))],
    ["4.4 MB of bytes (5.9 MB as base64)", reply(new Uint8Array(4.4 * MB))],
    ["2.9 MB of two-byte characters (5.8 MB as UTF-8)", reply("é".repeat(2.9 * MB))],
  ];
  for (const [what, r] of fits) {
    it(`lets ${what} through`, () => {
      assert.equal(sizeIfOverLimit(r), undefined);
    });
  }

  const over: [string, Reply][] = [
    ["7 MB of ASCII text", reply("a".repeat(7 * MB))],
    ["4.6 MB of bytes (6.1 MB as base64)", reply(new Uint8Array(4.6 * MB))],
    ["3.1 MB of two-byte characters (6.2 MB as UTF-8)", reply("é".repeat(3.1 * MB))],
    ["3.5 MB of quotes (7 MB once JSON-escaped)", reply('"'.repeat(3.5 * MB))],
    [
      "a 1 MB body with 5.5 MB of headers",
      reply("a".repeat(MB), { "x-big": "h".repeat(5.5 * MB) }),
    ],
  ];
  for (const [what, r] of over) {
    it(`finds ${what} over the limit`, () => {
      const size = sizeIfOverLimit(r);
      assert.ok(size !== undefined && size > PAYLOAD_LIMIT, String(size));
    });
  }

  const kinds = ["apigw-rest", "apigw-http", "function-url", "alb"] as const;
  for (const kind of kinds) {
    it(`answers a ${kind} request 500 and logs why when the answer exceeds 6 MB`, async () => {
      const logs = captureLogs();
      const { api, calls } = outcomeApi({ logger: logs.logger, uncaughtErrors: "throw" });

      const result = (await api.handler(requestTo(kind, "GET", "/big/1"), fakeContext())) as {
        statusCode: number;
        body: string;
      };

      assert.deepEqual(calls, ["/big/1"]);
      assert.equal(result.statusCode, 500);
      assert.equal(result.body, '{"detail":"Internal Server Error"}');
      const line = logs.one();
      assert.equal(line.level, "ERROR");
      assert.equal(line.status_code, 500);
      assert.match(
        String(line.error_detail),
        /^The response of about \d+ bytes exceeds Lambda's 6 MB response payload limit; answered 500 instead$/,
      );
    });
  }

  it("answers a HEAD request of a large GET route, whose answer has no body", async () => {
    const { api } = outcomeApi({ accessLog: false });
    const result = (await api.handler(requestTo("alb", "HEAD", "/big/1"), fakeContext())) as {
      statusCode: number;
    };
    assert.equal(result.statusCode, 200);
  });
});
