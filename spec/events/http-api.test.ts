// HTTP API payload 2.0 and Function URLs against the real fixtures: each README oddity by name.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { httpApiRequest, httpApiResult } from "../../lib/events/http-api.js";
import { createApi, type Request } from "../../lib/index.js";
import { fakeContext, fixture, type Json } from "../helpers/fixtures.js";

const v2 = (name: string): Json => fixture("apigw-http", name);
const url = (name: string): Json => fixture("function-url", name);

/** Serves `event` with one route for `template`, and reports the result and what the route saw. */
async function serve(
  event: Json,
  method: "get" | "post",
  template: string,
  readBody = false,
): Promise<{ result: Record<string, unknown>; request: Request | undefined; body: unknown }> {
  let request: Request | undefined;
  let body: unknown;
  const api = createApi({ accessLog: false })[method](template, (input) => {
    request = input.request;
    if (readBody) body = input.body;
    return { ok: true };
  });
  const result = (await api.handler(event, fakeContext())) as Record<string, unknown>;
  return { result, request, body };
}

describe("httpApiRequest", () => {
  it("reads an event without cookies, query, body or pathParameters keys (apigw-http/go-v2-no-authorizer.json)", () => {
    const event = v2("go-v2-no-authorizer");
    for (const key of ["cookies", "queryStringParameters", "body", "pathParameters"]) {
      assert.equal(key in event, false, key);
    }
    // `auth` reads the authorizer on first use (spec/events/auth.test.ts checks what it reads).
    const { auth, ...incoming } = httpApiRequest(event, "http-api");
    assert.equal(auth?.(), undefined);
    assert.deepEqual(
      { ...incoming, headers: Object.keys(incoming.headers).length },
      {
        kind: "http-api",
        method: "GET",
        path: "/",
        pathDecoded: true,
        headers: 8,
        query: {},
        cookies: undefined,
        body: undefined,
        isBase64Encoded: false,
        requestId: "LV7fzho-PHcEJPw=",
        sourceIp: "1.2.3.4",
        multiValueHeaders: false,
      },
    );
  });

  it("reads SAM local's empty body, cookies [] and {} maps as nothing (apigw-http/rust-v2-sam-local.json)", () => {
    const incoming = httpApiRequest(v2("rust-v2-sam-local"), "http-api");
    assert.equal(incoming.cookies, undefined);
    assert.equal(incoming.body, "");
    assert.deepEqual(incoming.query, { foo: ["bar"] });
    assert.equal(incoming.headers.host, "127.0.0.1:3000");
  });

  it("lowercases SAM local's Title-Case headers (apigw-http/rust-http-v2-sam-local-hello.json)", () => {
    const incoming = httpApiRequest(v2("rust-http-v2-sam-local-hello"), "http-api");
    assert.equal(incoming.headers["user-agent"]?.startsWith("Mozilla/5.0 (Windows NT 10.0"), true);
    assert.equal(incoming.headers["User-Agent"], undefined);
    assert.deepEqual(incoming.query, {});
  });

  const rawOnly: [string, () => Json, Record<string, string[]>][] = [
    [
      "apigw-http/dotnet-real-v2-escaped-query.json",
      () => v2("dotnet-real-v2-escaped-query"),
      { foo: ["b@r"] },
    ],
    [
      "function-url/rust-http-function-url.json",
      () => url("rust-http-function-url"),
      { parameter1: ["value1", "value2"], parameter2: ["value"] },
    ],
  ];
  for (const [file, load, query] of rawOnly) {
    it(`parses rawQueryString when queryStringParameters is missing (${file})`, () => {
      const event = load();
      assert.equal("queryStringParameters" in event, false);
      assert.deepEqual(httpApiRequest(event, "http-api").query, query);
    });
  }

  it("splits repeated query keys from rawQueryString, not the comma-joined map (apigw-http/rust-v2-multi-value-parameters.json)", () => {
    const event = v2("rust-v2-multi-value-parameters");
    assert.deepEqual(event.queryStringParameters, { Parameter1: "value1,value2" });
    assert.deepEqual(httpApiRequest(event, "http-api").query, { Parameter1: ["value1", "value2"] });
  });

  it("keeps a comma-joined value as ONE value when only queryStringParameters is there (derived from apigw-http/rust-v2-multi-value-parameters.json)", () => {
    // A value that itself holds a comma cannot be told from two joined values: nothing is split.
    for (const raw of [undefined, ""]) {
      const event = v2("rust-v2-multi-value-parameters");
      event.rawQueryString = raw;
      assert.deepEqual(httpApiRequest(event, "http-api").query, { Parameter1: ["value1,value2"] });
    }
  });

  it("keeps a comma-joined header as ONE value (apigw-http/rust-v2-multi-value-parameters.json)", () => {
    assert.deepEqual(httpApiRequest(v2("rust-v2-multi-value-parameters"), "http-api").headers, {
      header2: "value1,value2",
      cookie: "cookie1; cookie2",
    });
  });

  it("strips the named stage from rawPath (apigw-http/rust-http-v2-stage-in-path.json)", () => {
    const event = v2("rust-http-v2-stage-in-path");
    assert.equal(event.rawPath, "/Prod/my/path");
    assert.equal(httpApiRequest(event, "http-api").path, "/my/path");
  });

  it("never strips a stage from a Function URL path (derived from function-url/powertools-py-iam.json)", () => {
    const event = url("powertools-py-iam");
    event.rawPath = "/beta/my/path";
    (event.requestContext as Json).stage = "beta";
    assert.equal(httpApiRequest(event, "function-url").path, "/beta/my/path");
  });

  it("reads the method from requestContext.http and uppercases it (derived from function-url/go-real-get-root.json)", () => {
    const event = url("go-real-get-root");
    ((event.requestContext as Json).http as Json).method = "patch";
    assert.equal(httpApiRequest(event, "function-url").method, "PATCH");
  });
});

describe("HTTP API and Function URL events through api.handler", () => {
  it("routes the named stage beta as if it were not there (apigw-http/dotnet-real-v2-named-stage.json)", async () => {
    const event = v2("dotnet-real-v2-named-stage");
    assert.equal(event.rawPath, "/beta/api/values");
    const { result, request } = await serve(event, "get", "/api/{name}");
    assert.equal(result.statusCode, 200);
    assert.equal(request?.path, "/api/values");
    assert.deepEqual(request?.params, { name: "values" });
  });

  it("matches rawPath with a trailing slash that http.path lacks (apigw-http/powertools-py-v2-rawpath-trailing-slash.json)", async () => {
    const event = v2("powertools-py-v2-rawpath-trailing-slash");
    assert.equal(((event.requestContext as Json).http as Json).path, "/my/path");
    const { result, request, body } = await serve(event, "post", "/my/path", true);
    assert.equal(result.statusCode, 200);
    assert.equal(request?.path, "/my/path/");
    assert.deepEqual(body, { message: "hello world", username: "tom" });
  });

  it("keeps the %XX sequences of an older, encoded HTTP API sample as they came: never decoded again (apigw-http/dotnet-real-v2-escaped-percent-slash.json)", async () => {
    const { result, request } = await serve(
      v2("dotnet-real-v2-escaped-percent-slash"),
      "get",
      "/{name}",
    );
    assert.equal(result.statusCode, 200);
    assert.equal(request?.path, "/foo%25%2Fbar");
    assert.deepEqual(request?.params, { name: "foo%25%2Fbar" });
    const greedy = await serve(v2("dotnet-real-v2-escaped-percent-slash"), "get", "/{rest+}");
    assert.deepEqual(greedy.request?.params, { rest: "foo%25%2Fbar" });
  });

  it("matches a path holding a literal space (apigw-http/rust-http-v2-path-with-space.json)", async () => {
    const { result, request } = await serve(
      v2("rust-http-v2-path-with-space"),
      "post",
      "/my/{name}",
    );
    assert.equal(result.statusCode, 200);
    assert.deepEqual(request?.params, { name: "path-with space" });
  });

  it("counts cookies sent both as cookies and as a cookie header once (function-url/go-real-post-headers-cookies-text-body.json)", async () => {
    const event = url("go-real-post-headers-cookies-text-body");
    assert.deepEqual(event.cookies, ["foo=bar", "hello=hello"]);
    assert.equal((event.headers as Json).cookie, "foo=bar; hello=hello");
    const { request, body } = await serve(event, "post", "/hello", true);
    assert.deepEqual(request?.cookies, { foo: "bar", hello: "hello" });
    assert.deepEqual(body, { hello: "world" });
  });

  it("trusts the cookies array over a cookie header that disagrees (derived from function-url/rust-http-function-url.json)", async () => {
    const event = url("rust-http-function-url");
    (event.headers as Json).cookie = "test=header; other=1";
    const { request } = await serve(event, "get", "/my/path");
    assert.deepEqual(request?.cookies, { test: "hi" });
  });

  it("reads cookies from the header when the cookies array is empty (derived from apigw-http/rust-v2-sam-local.json)", async () => {
    const event = v2("rust-v2-sam-local");
    (event.headers as Json).Cookie = "a=1; b=2";
    const { request } = await serve(event, "get", "/dump");
    assert.deepEqual(request?.cookies, { a: "1", b: "2" });
  });

  it("ignores bare cookie tokens without '=' (apigw-http/go-v2-iam-authorizer.json)", async () => {
    const event = v2("go-v2-iam-authorizer");
    assert.deepEqual(event.cookies, ["cookie1", "cookie2"]);
    const { request } = await serve(event, "get", "/my/path");
    assert.deepEqual(request?.cookies, {});
  });

  it("delivers the exact bytes of a real base64 body with content-type idk (function-url/go-real-post-base64-body.json)", async () => {
    const event = url("go-real-post-base64-body");
    assert.equal(event.body, "PGlkay8+");
    const { result, request, body } = await serve(event, "post", "/", true);
    assert.equal(result.statusCode, 200);
    assert.deepEqual(body, new Uint8Array([60, 105, 100, 107, 47, 62]));
    assert.deepEqual(request?.bytes(), new Uint8Array([60, 105, 100, 107, 47, 62]));
    assert.equal(request?.text(), "<idk/>");
    assert.equal(request?.contentType, "idk");
  });

  it("parses the JSON body of a GET (apigw-http/go-v2-lambda-authorizer.json)", async () => {
    const { request, body } = await serve(v2("go-v2-lambda-authorizer"), "get", "/my/path", true);
    assert.equal(request?.method, "GET");
    assert.deepEqual(body, { a: 1 });
    assert.equal(request?.text(), '{\r\n\t"a": 1\r\n}');
  });

  it("answers 400 to a route that reads a text body sent without content-type (function-url/go-request-no-routekey.json)", async () => {
    const { result } = await serve(url("go-request-no-routekey"), "post", "/my/path", true);
    assert.equal(result.statusCode, 400);
    assert.equal(result.body, '{"detail":"Malformed JSON body"}');
  });

  const authorizers = [
    "powertools-ts-real-lambda-authorizer-null",
    "powertools-ts-real-jwt-authorizer",
    "powertools-py-v2-jwt-and-lambda-authorizer",
    "go-v2-jwt-authorizer",
  ];
  for (const name of authorizers) {
    it(`serves an event whatever its authorizer holds (apigw-http/${name}.json)`, async () => {
      const event = v2(name);
      const http = (event.requestContext as Json).http as Json;
      const method = String(http.method).toLowerCase() as "get" | "post";
      const { result, request } = await serve(event, method, "/{any+}");
      assert.equal(result.statusCode, 200);
      assert.equal(request?.path, event.rawPath);
    });
  }
});

describe("the cookie header of a payload 2.0 event", () => {
  /** What the route sees of cookies: the `cookie` header and the parsed map. */
  async function cookiesSeen(
    event: Json,
  ): Promise<{ header: string | undefined; cookies: object }> {
    let seen = { header: undefined as string | undefined, cookies: {} };
    const see = (input: { headers: Record<string, string>; cookies: object }) => {
      seen = { header: input.headers.cookie, cookies: input.cookies };
      return null;
    };
    const api = createApi({ accessLog: false })
      .get("/", see)
      .get("/{any+}", see)
      .post("/{any+}", see);
    const result = (await api.handler(event, fakeContext())) as { statusCode: number };
    assert.equal(result.statusCode, 204);
    return seen;
  }
  const C12 = { cookie1: "value1", cookie2: "value2" };

  const rows: [file: string, load: () => Json, header: string | undefined, cookies: object][] = [
    [
      "apigw-http/rust-http-v2-proxy-request.json",
      () => v2("rust-http-v2-proxy-request"),
      "cookie1=value1; cookie2=value2",
      C12,
    ],
    [
      "apigw-http/rust-http-v2-stage-in-path.json",
      () => v2("rust-http-v2-stage-in-path"),
      "cookie1=value1; cookie2=value2",
      C12,
    ],
    // Bare tokens are sent on as the client sent them; they name no cookie.
    [
      "apigw-http/go-v2-iam-authorizer.json",
      () => v2("go-v2-iam-authorizer"),
      "cookie1; cookie2",
      {},
    ],
    [
      "function-url/go-request-no-routekey.json",
      () => url("go-request-no-routekey"),
      "cookie1; cookie2",
      {},
    ],
    // Function URLs send the array and the header both: one header, nothing counted twice.
    [
      "function-url/go-real-post-headers-cookies-text-body.json",
      () => url("go-real-post-headers-cookies-text-body"),
      "foo=bar; hello=hello",
      { foo: "bar", hello: "hello" },
    ],
    [
      "function-url/rust-http-function-url.json",
      () => url("rust-http-function-url"),
      "test=hi",
      { test: "hi" },
    ],
    [
      "apigw-http/rust-http-v2-minimal.json (no cookies)",
      () => v2("rust-http-v2-minimal"),
      undefined,
      {},
    ],
    [
      "function-url/go-real-get-root.json (no cookies)",
      () => url("go-real-get-root"),
      undefined,
      {},
    ],
  ];
  for (const [file, load, header, cookies] of rows) {
    it(`gives routes ${header === undefined ? "no cookie header" : `the cookie header ${JSON.stringify(header)}`} and the same cookies (${file})`, async () => {
      assert.deepEqual(await cookiesSeen(load()), { header, cookies });
    });
  }

  it("lets the cookies array win over a cookie header that disagrees (derived from function-url/rust-http-function-url.json)", async () => {
    const event = url("rust-http-function-url");
    (event.headers as Json).cookie = "test=header; other=1";
    assert.deepEqual(await cookiesSeen(event), { header: "test=hi", cookies: { test: "hi" } });
  });

  it("keeps the cookie header when the cookies array is empty (derived from apigw-http/rust-v2-sam-local.json)", async () => {
    const event = v2("rust-v2-sam-local");
    assert.deepEqual(event.cookies, []);
    (event.headers as Json).Cookie = "a=1; b=2";
    assert.deepEqual(await cookiesSeen(event), { header: "a=1; b=2", cookies: { a: "1", b: "2" } });
  });

  it("shows the same cookie header and cookies as the payload 1.0 event of the same request (apigw-http/rust-http-v2-proxy-request.json, derived from apigw-rest/powertools-py-http-api-payload-v1.json)", async () => {
    const v1 = fixture("apigw-rest", "powertools-py-http-api-payload-v1");
    const line = "cookie1=value1; cookie2=value2";
    (v1.headers as Json).Cookie = line;
    (v1.multiValueHeaders as Json).Cookie = [line];
    const fromV1 = await cookiesSeen(v1);
    assert.deepEqual(fromV1, { header: line, cookies: C12 });
    assert.deepEqual(await cookiesSeen(v2("rust-http-v2-proxy-request")), fromV1);
  });
});

describe("httpApiResult", () => {
  it("puts Set-Cookie lines in cookies and joins other repeated headers", () => {
    const result = httpApiResult({
      status: 201,
      headers: { "content-type": "text/plain", "set-cookie": ["a=1", "b=2"], vary: ["a", "b"] },
      body: "hi",
    });
    assert.deepEqual(result, {
      statusCode: 201,
      headers: { "content-type": "text/plain", vary: "a, b" },
      cookies: ["a=1", "b=2"],
      body: "hi",
      isBase64Encoded: false,
    });
  });

  it("has no cookies key without Set-Cookie, and base64 for bytes", () => {
    const result = httpApiResult({ status: 200, headers: {}, body: new Uint8Array([255, 0]) });
    assert.deepEqual(result, { statusCode: 200, headers: {}, body: "/wA=", isBase64Encoded: true });
  });
});
