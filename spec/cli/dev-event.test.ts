// The dev server's events: shaped like real captures of each kind, bodies text or base64, queries split as AWS does.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { HttpRequestData } from "../../lib/cli/dev-event.js";
import { encodeBody, httpApiEvent, restEvent, toEvent } from "../../lib/cli/dev-event.js";
import type { Json } from "../helpers/fixtures.js";
import { detectEvent } from "../../lib/events/detect.js";
import { fixture } from "../helpers/fixtures.js";

function request(overrides: Partial<HttpRequestData> = {}): HttpRequestData {
  return {
    method: "GET",
    target: "/items/a%20b?tag=x&tag=y%2Bz&plus=a+b",
    headers: [
      ["Host", "127.0.0.1:3000"],
      ["User-Agent", "curl/8.0"],
      ["Accept", "*/*"],
      ["X-Rep", "1"],
      ["x-rep", "2"],
      ["Cookie", "a=1; b=2"],
    ],
    body: new Uint8Array(),
    sourceIp: "127.0.0.1",
    port: 3000,
    time: 1718635693506,
    ...overrides,
  };
}

const keys = (value: unknown) => Object.keys(value as Json).sort();

describe("restEvent", () => {
  const real = fixture("apigw-rest", "powertools-ts-real-no-auth");
  const event = restEvent(request());

  it("has the keys of a real REST API capture, in requestContext and identity too", () => {
    assert.deepEqual(keys(event), keys(real));
    assert.deepEqual(keys(event.requestContext), keys(real.requestContext));
    const identity = (x: Json) => (x.requestContext as Json).identity;
    assert.deepEqual(keys(identity(event)), keys(identity(real)));
  });

  it("keeps the client's header case; headers holds the last value, multiValueHeaders all", () => {
    const headers = event.headers as Record<string, string>;
    const multi = event.multiValueHeaders as Record<string, string[]>;
    assert.deepEqual(multi["X-Rep"], ["1"]);
    assert.deepEqual(multi["x-rep"], ["2"]);
    assert.equal(headers["User-Agent"], "curl/8.0");
    assert.equal(headers.Cookie, "a=1; b=2");
    assert.equal(headers["X-Forwarded-For"], "127.0.0.1");
    assert.equal(headers["X-Forwarded-Port"], "3000");
  });

  it("decodes the query, the last value in queryStringParameters and all in the multi-value map", () => {
    assert.deepEqual(event.multiValueQueryStringParameters, { tag: ["x", "y+z"], plus: ["a b"] });
    assert.deepEqual(event.queryStringParameters, { tag: "y+z", plus: "a b" });
  });

  it("keeps the path percent-encoded, without the stage, and the stage in requestContext.path", () => {
    assert.equal(event.path, "/items/a%20b");
    assert.equal((event.requestContext as Json).path, "/local/items/a%20b");
    assert.equal((event.requestContext as Json).requestTime, "17/Jun/2024:14:48:13 +0000");
    assert.equal((event.requestContext as Json).requestTimeEpoch, 1718635693506);
  });

  it("appends the client address to an X-Forwarded-For it sent and keeps its trace id", () => {
    const forwarded = restEvent(
      request({
        headers: [
          ["X-Forwarded-For", "198.51.100.1"],
          ["X-Amzn-Trace-Id", "Root=1-00000000-000000000000000000000000"],
        ],
      }),
    );
    const headers = forwarded.headers as Record<string, string>;
    assert.equal(headers["X-Forwarded-For"], "198.51.100.1, 127.0.0.1");
    assert.equal(headers["X-Amzn-Trace-Id"], "Root=1-00000000-000000000000000000000000");
  });
});

describe("httpApiEvent", () => {
  const real = fixture("apigw-http", "powertools-ts-real-iam-auth");
  const event = httpApiEvent(request());

  it("has the keys of a real HTTP API capture, plus cookies and queryStringParameters when there are some", () => {
    assert.deepEqual(keys(event), [...keys(real), "cookies", "queryStringParameters"].sort());
    const context = { ...(real.requestContext as Json) };
    delete context.authorizer;
    assert.deepEqual(keys(event.requestContext), keys(context));
    const http = (x: Json) => (x.requestContext as Json).http;
    assert.deepEqual(keys(http(event)), keys(http(real)));
  });

  it("drops cookies, queryStringParameters and body when there are none, as real captures do", () => {
    const bare = httpApiEvent(request({ target: "/", headers: [["Host", "x"]] }));
    assert.deepEqual(keys(bare), keys(real));
    assert.equal(bare.rawQueryString, "");
  });

  it("lower-cases header names, joins repeats with commas and moves cookies to the cookies array", () => {
    const headers = event.headers as Record<string, string>;
    assert.equal(headers["x-rep"], "1,2");
    assert.equal(headers.cookie, undefined);
    assert.deepEqual(event.cookies, ["a=1", "b=2"]);
  });

  it("keeps rawQueryString as sent and joins decoded repeated values with commas", () => {
    assert.equal(event.rawQueryString, "tag=x&tag=y%2Bz&plus=a+b");
    assert.deepEqual(event.queryStringParameters, { tag: "x,y+z", plus: "a b" });
  });

  it("decodes the path once, as HTTP APIs deliver it, in rawPath and requestContext.http.path", () => {
    assert.equal(event.rawPath, "/items/a b");
    assert.equal(((event.requestContext as Json).http as Json).path, "/items/a b");
    const twice = httpApiEvent(request({ target: "/files/a%2520b%zz" }));
    assert.equal(twice.rawPath, "/files/a%20b%zz");
  });
});

describe("toEvent for alb", () => {
  const real = fixture("alb", "powertools-py-multi-value-query");
  const event = toEvent(request(), "alb");

  it("has the keys of a real ALB multi-value event", () => {
    assert.deepEqual(keys(event), keys(real));
    assert.deepEqual(keys(event.requestContext), keys(real.requestContext));
  });

  it("leaves the query percent-encoded, as ALB does, and lower-cases header names", () => {
    assert.deepEqual(event.multiValueQueryStringParameters, { tag: ["x", "y%2Bz"], plus: ["a+b"] });
    assert.deepEqual((event.multiValueHeaders as Record<string, string[]>)["x-rep"], ["1", "2"]);
    assert.equal(event.body, "");
  });
});

describe("toEvent for lattice", () => {
  const real = fixture("vpc-lattice", "powertools-py-v2-array-values");
  const event = toEvent(request(), "lattice");

  it("has the keys of a VPC Lattice v2 event, in requestContext too", () => {
    assert.deepEqual(keys(event), [...keys(real)].filter((k) => k !== "body").sort());
    assert.deepEqual(keys(event.requestContext), keys(real.requestContext));
    assert.equal(detectEvent(event), "lattice-v2");
  });

  it("holds header and query values as arrays, lower-case names, the query decoded", () => {
    const headers = event.headers as Record<string, string[]>;
    assert.deepEqual(headers["x-rep"], ["1", "2"]);
    assert.deepEqual(headers["user-agent"], ["curl/8.0"]);
    assert.deepEqual(event.queryStringParameters, { tag: ["x", "y+z"], plus: ["a b"] });
    assert.equal(event.path, "/items/a%20b");
    assert.match(String((event.requestContext as Json).timeEpoch), /^\d{16}$/);
  });
});

describe("encodeBody", () => {
  const text = new TextEncoder().encode('{"a":"é"}');
  const binary = new Uint8Array([0xff, 0xfe, 0x00, 0x41]);
  const rows: [string, Uint8Array, string | undefined, boolean][] = [
    ["JSON", text, "application/json; charset=utf-8", false],
    ["a +json type", text, "application/vnd.api+json", false],
    ["plain text", text, "text/plain", false],
    ["a form", text, "application/x-www-form-urlencoded", false],
    ["UTF-8 without a content type", text, undefined, false],
    ["bytes without a content type", binary, undefined, true],
    ["bytes that claim to be text", binary, "text/plain", true],
    ["an octet stream of UTF-8 text", text, "application/octet-stream", true],
    ["an image", binary, "image/png", true],
  ];
  for (const [what, bytes, type, base64] of rows) {
    it(`sends ${what} ${base64 ? "base64-encoded" : "as text"}`, () => {
      const encoded = encodeBody(bytes, type);
      assert.equal(encoded.isBase64Encoded, base64);
      const back = base64 ? Buffer.from(encoded.body, "base64") : Buffer.from(encoded.body, "utf8");
      assert.deepEqual(new Uint8Array(back), bytes);
    });
  }
});
