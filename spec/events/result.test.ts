// Result shaping: bodies, header maps, and each kind's result compared with the real samples in responses/.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { albRequest, albResult } from "../../lib/events/alb.js";
import { httpApiResult } from "../../lib/events/http-api.js";
import { restResult } from "../../lib/events/rest.js";
import { joinHeaders, resultBody, splitHeaders } from "../../lib/events/result.js";
import type { Reply } from "../../lib/reply.js";
import { fixture, fixtureNames, type Json } from "../helpers/fixtures.js";

type HeaderMap = Record<string, string>;
type MultiMap = Record<string, string[]>;

const sample = (name: string): Json => fixture("responses", name);

/** A sample with lowercase header names (the library always answers lowercase). */
function lowerNames(result: Json): Json {
  const out: Json = { ...result };
  for (const key of ["headers", "multiValueHeaders"]) {
    const map = result[key] as Json | undefined;
    if (map)
      out[key] = Object.fromEntries(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v]));
  }
  return out;
}

/** Every header as its list of values, as API Gateway merges `headers` and `multiValueHeaders`. */
function flatten(result: Json): MultiMap {
  const out: MultiMap = {};
  for (const [name, value] of Object.entries((result.headers ?? {}) as HeaderMap)) {
    out[name.toLowerCase()] = [value];
  }
  for (const [name, values] of Object.entries((result.multiValueHeaders ?? {}) as MultiMap)) {
    out[name.toLowerCase()] = values;
  }
  return out;
}

describe("resultBody", () => {
  it("sends no body as an empty string, text as is, and bytes as base64", () => {
    assert.deepEqual(resultBody({ status: 204, headers: {}, body: undefined }), {
      body: "",
      isBase64Encoded: false,
    });
    assert.deepEqual(resultBody({ status: 200, headers: {}, body: "é\r\n" }), {
      body: "é\r\n",
      isBase64Encoded: false,
    });
    assert.deepEqual(resultBody({ status: 200, headers: {}, body: new Uint8Array([0, 255]) }), {
      body: "AP8=",
      isBase64Encoded: true,
    });
  });

  it("encodes only the bytes of a view into a larger buffer", () => {
    const view = new Uint8Array([9, 9, 60, 105, 100, 107, 47, 62, 9]).subarray(2, 8);
    assert.equal(resultBody({ status: 200, headers: {}, body: view }).body, "PGlkay8+");
  });
});

describe("splitHeaders and joinHeaders", () => {
  const headers: Reply["headers"] = { a: "1", b: ["2"], c: ["3", "4"], d: [] };

  it("splits one-value headers from repeated ones and drops empty lists", () => {
    assert.deepEqual(splitHeaders(headers), {
      headers: { a: "1", b: "2" },
      multiValueHeaders: { c: ["3", "4"] },
    });
    assert.deepEqual(splitHeaders({ a: "1" }), {
      headers: { a: "1" },
      multiValueHeaders: undefined,
    });
  });

  it("joins repeated values with a comma and skips the named header", () => {
    assert.deepEqual(joinHeaders(headers, "c"), { a: "1", b: "2", d: "" });
    assert.deepEqual(joinHeaders({ "set-cookie": ["x=1"], v: ["a", "b"] }, "set-cookie"), {
      v: "a, b",
    });
  });
});

describe("results compared with the samples in responses/", () => {
  it("covers every sample but the SQS batch response, which is not an HTTP result", () => {
    assert.deepEqual(fixtureNames("responses"), [
      "go-alb-response.json",
      "go-apigw-rest-response.json",
      "go-function-url-response.json",
      "java-apigw-rest-response.json",
      "powertools-py-set-cookie-multivalue.json",
      "powertools-ts-base64-json.json",
      "powertools-ts-cors-mixed-headers.json",
      "powertools-ts-gzip-multivalue.json",
      "rust-sqs-batch-item-failures.json",
    ]);
  });

  it("answers REST like responses/java-apigw-rest-response.json: Set-Cookie in multiValueHeaders", () => {
    const result = restResult({
      status: 200,
      headers: {
        "content-type": "application/json",
        "x-custom-header": "custom-value",
        "set-cookie": ["cookie1=value1", "cookie2=value2"],
      },
      body: '{"message":"Hello from Lambda"}',
    });
    assert.deepEqual(result, lowerNames(sample("java-apigw-rest-response")));
  });

  it("answers REST like responses/powertools-ts-cors-mixed-headers.json: headers and multiValueHeaders together", () => {
    const expected = lowerNames(sample("powertools-ts-cors-mixed-headers"));
    const multi = expected.multiValueHeaders as MultiMap;
    const result = restResult({
      status: 200,
      headers: { ...(expected.headers as HeaderMap), ...multi },
      body: expected.body as string,
    });
    assert.deepEqual(result, expected);
  });

  it("answers bytes like responses/powertools-ts-base64-json.json, for REST and HTTP API alike", () => {
    const expected = lowerNames(sample("powertools-ts-base64-json"));
    const reply = (): Reply => ({
      status: 200,
      headers: { "content-type": "application/json" },
      body: new TextEncoder().encode('{"message":"Hello World"}'),
    });
    assert.deepEqual(restResult(reply()), expected);
    assert.deepEqual(httpApiResult(reply()), expected);
  });

  const merged = [
    "powertools-ts-gzip-multivalue",
    "powertools-py-set-cookie-multivalue",
    "go-apigw-rest-response",
  ];
  for (const name of merged) {
    it(`answers REST with the same headers and body as responses/${name}.json`, () => {
      const expected = sample(name);
      const base64 = expected.isBase64Encoded === true;
      const raw = expected.body as string;
      const result = restResult({
        status: expected.statusCode as number,
        headers: flatten(expected),
        body: base64 ? new Uint8Array(Buffer.from(raw, "base64")) : raw,
      }) as unknown as Json;
      assert.deepEqual(flatten(result), flatten(expected));
      assert.equal(result.body, raw);
      assert.equal(result.isBase64Encoded, base64);
      assert.equal(result.statusCode, expected.statusCode);
    });
  }

  it("answers a Function URL like responses/go-function-url-response.json: cookies array", () => {
    const result = httpApiResult({
      status: 201,
      headers: {
        "content-type": "application/json",
        "my-custom-header": "Custom Value",
        "set-cookie": [
          "Cookie_1=Value1; Expires=21 Oct 2021 07:48 GMT",
          "Cookie_2=Value2; Max-Age=78000",
        ],
      },
      body: '{ "message": "Hello, world!" }',
    });
    assert.deepEqual(result, lowerNames(sample("go-function-url-response")));
  });

  it("answers ALB like responses/go-alb-response.json: statusDescription and repeated Set-cookie", () => {
    const expected = lowerNames(sample("go-alb-response"));
    const multi = expected.multiValueHeaders as MultiMap;
    const reply = (): Reply => ({
      status: 200,
      headers: { "content-type": "application/json", "set-cookie": multi["set-cookie"]! },
      body: "Hello from Lambda",
    });
    const multiMode = albResult(reply(), albRequest(fixture("alb", "rust-multi-value-headers")));
    const { headers: _single, ...multiOnly } = expected;
    assert.deepEqual(multiMode, multiOnly);
    const singleMode = albResult(reply(), albRequest(fixture("alb", "rust-http-single-value")));
    assert.equal(singleMode.statusDescription, "200 OK");
    assert.equal(singleMode.multiValueHeaders, undefined);
    assert.deepEqual(singleMode.headers, {
      "content-type": "application/json",
      "set-cookie": "cookie-name=cookie-value;Expires=May 8, 2019",
    });
  });
});
