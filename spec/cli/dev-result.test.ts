// Lambda results back to HTTP: real result samples of each kind, the header merge rule, and what makes a 502.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toHttpAnswer } from "../../lib/cli/dev-result.js";
import { MalformedResultError } from "../../lib/events/synthetic-result.js";
import { fixture } from "../helpers/fixtures.js";

const lines = (headers: readonly (readonly [string, string])[], name: string) =>
  headers.filter(([key]) => key.toLowerCase() === name).map(([, value]) => value);

describe("toHttpAnswer", () => {
  it("sends a REST result's multiValueHeaders and its body", () => {
    const answer = toHttpAnswer(fixture("responses", "go-apigw-rest-response"), "v1");
    assert.equal(answer.status, 200);
    assert.equal(answer.body.toString("utf8"), "Hello World");
    assert.deepEqual(lines(answer.headers, "x-forwarded-for"), ["192.168.100.1, 192.168.1.1"]);
    assert.equal(answer.headers.length, 17);
  });

  it("adds headers beside multiValueHeaders for the names it lacks", () => {
    const answer = toHttpAnswer(fixture("responses", "powertools-ts-cors-mixed-headers"), "v1");
    assert.deepEqual(lines(answer.headers, "access-control-allow-methods"), [
      "DELETE",
      "GET",
      "HEAD",
      "PATCH",
      "POST",
      "PUT",
    ]);
    assert.deepEqual(lines(answer.headers, "access-control-allow-origin"), ["https://example.com"]);
  });

  it("sends an ALB result's repeated Set-cookie and its status description", () => {
    const answer = toHttpAnswer(fixture("responses", "go-alb-response"), "alb");
    assert.equal(answer.statusMessage, "OK");
    assert.deepEqual(lines(answer.headers, "set-cookie"), [
      "cookie-name=cookie-value;Domain=myweb.com;Secure;HttpOnly",
      "cookie-name=cookie-value;Expires=May 8, 2019",
    ]);
    assert.deepEqual(lines(answer.headers, "content-type"), ["application/json"]);
  });

  it("sends each of a v2 result's cookies as a Set-Cookie line", () => {
    const answer = toHttpAnswer(fixture("responses", "go-function-url-response"), "v2");
    assert.equal(answer.status, 201);
    assert.deepEqual(lines(answer.headers, "set-cookie"), [
      "Cookie_1=Value1; Expires=21 Oct 2021 07:48 GMT",
      "Cookie_2=Value2; Max-Age=78000",
    ]);
    assert.deepEqual(lines(answer.headers, "my-custom-header"), ["Custom Value"]);
  });

  it("decodes a base64 body", () => {
    const answer = toHttpAnswer(fixture("responses", "powertools-ts-base64-json"), "v1");
    assert.equal(answer.body.toString("utf8"), '{"message":"Hello World"}');
  });

  it("ignores multiValueHeaders in a v2 result, as HTTP APIs do", () => {
    const answer = toHttpAnswer(
      { statusCode: 200, multiValueHeaders: { "x-a": ["1"] }, headers: { "x-b": "2" } },
      "v2",
    );
    assert.deepEqual(answer.headers, [["x-b", "2"]]);
  });

  it("drops the framing headers the server sets itself", () => {
    const answer = toHttpAnswer(
      {
        statusCode: 200,
        headers: { "Content-Length": "999", "transfer-encoding": "chunked", "x-kept": "1" },
        body: "ab",
      },
      "v1",
    );
    assert.deepEqual(answer.headers, [["x-kept", "1"]]);
  });

  it("answers any v2 result without statusCode as a JSON 200", () => {
    for (const result of [{ a: 1 }, "text", 42, null, undefined]) {
      const answer = toHttpAnswer(result, "v2");
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.headers, [["content-type", "application/json"]]);
      assert.equal(answer.body.toString("utf8"), JSON.stringify(result ?? null));
    }
  });

  const malformed: [string, unknown, RegExp][] = [
    ["no object", "hello", /^the result must be an object with statusCode, got "hello"$/],
    [
      "no statusCode",
      { body: "x" },
      /^statusCode must be an integer from 100 to 599, got undefined$/,
    ],
    [
      "a status out of range",
      { statusCode: 99 },
      /^statusCode must be an integer from 100 to 599, got 99$/,
    ],
    [
      "a body that is not a string",
      { statusCode: 200, body: { a: 1 } },
      /^body must be a string, got \{"a":1\}$/,
    ],
    [
      "a header that is an object",
      { statusCode: 200, headers: { x: {} } },
      /^headers\.x must be a string, got \{\}$/,
    ],
    [
      "a multi-value header that is not a list",
      { statusCode: 200, multiValueHeaders: { x: "1" } },
      /^multiValueHeaders\.x must be an array, got "1"$/,
    ],
  ];
  for (const [what, result, message] of malformed) {
    it(`refuses a REST result with ${what}, naming the field`, () => {
      assert.throws(
        () => toHttpAnswer(result, "v1"),
        (error: unknown) => error instanceof MalformedResultError && message.test(error.message),
      );
    });
  }

  it("accepts a status written as a numeric string", () => {
    assert.equal(toHttpAnswer({ statusCode: "404" }, "alb").status, 404);
  });
});
