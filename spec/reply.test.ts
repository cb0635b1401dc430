// Tests of replies: every kind of route outcome → status, headers and body, and the finishing rules.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createApi, type RouteInput } from "../lib/api.js";
import { HTTPException } from "../lib/errors.js";
import {
  addHeaders,
  detailReply,
  exceptionReply,
  finishReply,
  type Reply,
  valueReply,
} from "../lib/reply.js";
import { JSONResponse, Response, ResponseState } from "../lib/response.js";
import { inject } from "../lib/testing/index.js";

type Input = RouteInput<string, {}>;
const bytes = new TextEncoder().encode("helloworld");

class CsvResponse extends Response<string[][]> {
  constructor(rows: string[][]) {
    super(rows, { mediaType: "text/csv" });
  }
  override render(): string {
    return this.content.map((row) => row.join(",")).join("\n");
  }
}

interface Row {
  what: string;
  fn: (input: Input) => unknown;
  status?: number;
  expect: {
    status: number;
    body: string;
    base64?: boolean;
    headers?: Record<string, string | undefined>;
    cookies?: string[];
  };
}

const rows: Row[] = [
  {
    what: "a plain object is 200 JSON",
    fn: () => ({ a: 1 }),
    expect: { status: 200, body: '{"a":1}', headers: { "content-type": "application/json" } },
  },
  { what: "a string is 200 JSON", fn: () => "hi", expect: { status: 200, body: '"hi"' } },
  { what: "false is 200 JSON", fn: () => false, expect: { status: 200, body: "false" } },
  { what: "0 is 200 JSON", fn: () => 0, expect: { status: 200, body: "0" } },
  {
    what: "the route status applies",
    fn: () => ({ ok: 1 }),
    status: 201,
    expect: { status: 201, body: '{"ok":1}' },
  },
  {
    what: "undefined is 204 with no body",
    fn: () => undefined,
    expect: { status: 204, body: "", headers: { "content-type": undefined } },
  },
  { what: "null is 204 with no body", fn: () => null, expect: { status: 204, body: "" } },
  {
    what: "a resolved undefined is 204",
    fn: async () => undefined,
    expect: { status: 204, body: "" },
  },
  {
    what: "undefined keeps a route status of 202",
    fn: () => undefined,
    status: 202,
    expect: { status: 202, body: "" },
  },
  {
    what: "undefined keeps response.status 401 and gets its detail",
    fn: ({ response }) => {
      response.status = 401;
    },
    expect: {
      status: 401,
      body: '{"detail":"Unauthorized"}',
      headers: { "content-type": "application/json" },
    },
  },
  {
    what: "response.status wins over the route status",
    fn: ({ response }) => {
      response.status = 202;
      return { queued: true };
    },
    status: 201,
    expect: { status: 202, body: '{"queued":true}' },
  },
  {
    what: "response.headers and cookies are merged into a plain answer",
    fn: ({ response }) => {
      response.headers["Cache-Control"] = "no-cache";
      response.setCookie("a", "1");
      response.setCookie("b", "2");
      return 1;
    },
    expect: {
      status: 200,
      body: "1",
      headers: { "cache-control": "no-cache" },
      cookies: ["a=1", "b=2"],
    },
  },
  {
    what: "response.headers may set the content type of a plain answer",
    fn: ({ response }) => {
      response.headers["content-type"] = "application/vnd.api+json";
      return { a: 1 };
    },
    expect: {
      status: 200,
      body: '{"a":1}',
      headers: { "content-type": "application/vnd.api+json" },
    },
  },
  {
    what: "a Response with string content and a media type",
    fn: () => new Response("plain", { mediaType: "text/plain" }),
    expect: {
      status: 200,
      body: "plain",
      base64: false,
      headers: { "content-type": "text/plain" },
    },
  },
  {
    what: "a Response with bytes goes out base64",
    fn: () => new Response(bytes, { status: 202, mediaType: "application/octet-stream" }),
    expect: {
      status: 202,
      body: "aGVsbG93b3JsZA==",
      base64: true,
      headers: { "content-type": "application/octet-stream" },
    },
  },
  {
    what: "a Response without a media type sends no content type",
    fn: () => new Response("x"),
    expect: { status: 200, body: "x", headers: { "content-type": undefined } },
  },
  {
    what: "a Response's headers win over response.headers and its media type",
    fn: ({ response }) => {
      response.headers["x-a"] = "state";
      response.headers["x-b"] = "state";
      return new Response("x", {
        mediaType: "text/plain",
        headers: { "X-A": "response", "Content-Type": "text/html" },
      });
    },
    expect: {
      status: 200,
      body: "x",
      headers: { "x-a": "response", "x-b": "state", "content-type": "text/html" },
    },
  },
  {
    what: "a Response status wins over response.status",
    fn: ({ response }) => {
      response.status = 500;
      return new Response("x", { status: 203 });
    },
    expect: { status: 203, body: "x" },
  },
  {
    what: "a Response without a status takes the route status",
    fn: () => new Response("x"),
    status: 201,
    expect: { status: 201, body: "x" },
  },
  {
    what: "a subclass's render() makes the body",
    fn: () =>
      new CsvResponse([
        ["a", "b"],
        ["1", "2"],
      ]),
    expect: { status: 200, body: "a,b\n1,2", headers: { "content-type": "text/csv" } },
  },
  {
    what: "a JSONResponse with status and headers",
    fn: () => new JSONResponse({ id: 1 }, { status: 201, headers: { location: "/items/1" } }),
    expect: {
      status: 201,
      body: '{"id":1}',
      headers: { "content-type": "application/json", location: "/items/1" },
    },
  },
  {
    what: "an error-status Response with empty content gets the reason phrase",
    fn: () => new Response("", { status: 418 }),
    expect: {
      status: 418,
      body: '{"detail":"I\'m a Teapot"}',
      headers: { "content-type": "application/json" },
    },
  },
  {
    what: "an error-status Response with null content gets the reason phrase",
    fn: () => new Response(null, { status: 503 }),
    expect: { status: 503, body: '{"detail":"Service Unavailable"}' },
  },
  {
    what: "an unknown error status gets a generic phrase",
    fn: () => new Response(null, { status: 499 }),
    expect: { status: 499, body: '{"detail":"Client Error"}' },
  },
  {
    what: "an error-status Response with content keeps it",
    fn: () => new Response("teapot", { status: 418, mediaType: "text/plain" }),
    expect: { status: 418, body: "teapot", headers: { "content-type": "text/plain" } },
  },
  {
    what: "a web Response with JSON text stays text",
    fn: () =>
      new globalThis.Response('{"a":1}', {
        status: 201,
        headers: { "content-type": "application/json" },
      }),
    expect: {
      status: 201,
      body: '{"a":1}',
      base64: false,
      headers: { "content-type": "application/json" },
    },
  },
  {
    what: "a web Response with binary content goes out base64",
    fn: () =>
      new globalThis.Response(bytes, { headers: { "content-type": "application/octet-stream" } }),
    expect: { status: 200, body: "aGVsbG93b3JsZA==", base64: true },
  },
  {
    what: "a web Response with text type but invalid UTF-8 goes out base64",
    fn: () =>
      new globalThis.Response(Uint8Array.from([0xff, 0xfe]), {
        headers: { "content-type": "text/plain" },
      }),
    expect: { status: 200, body: "//4=", base64: true },
  },
  {
    what: "a web Response keeps every Set-Cookie line and merges response.headers",
    fn: ({ response }) => {
      response.headers["x-state"] = "1";
      response.setCookie("s", "0");
      const headers = new Headers({ "content-type": "text/plain", "x-web": "2" });
      headers.append("set-cookie", "a=1; Path=/");
      headers.append("set-cookie", "b=2");
      return new globalThis.Response("ok", { headers });
    },
    expect: {
      status: 200,
      body: "ok",
      headers: { "x-state": "1", "x-web": "2" },
      cookies: ["s=0", "a=1; Path=/", "b=2"],
    },
  },
  {
    what: "a web Response's own status wins over response.status",
    fn: ({ response }) => {
      response.status = 202;
      return new globalThis.Response("x", {
        status: 201,
        headers: { "content-type": "text/plain" },
      });
    },
    expect: { status: 201, body: "x" },
  },
  {
    what: "an empty web Response with an error status gets the reason phrase",
    fn: () => new globalThis.Response(null, { status: 404 }),
    expect: { status: 404, body: '{"detail":"Not Found"}' },
  },
];

describe("replies through the handler", () => {
  for (const row of rows) {
    it(`answers: ${row.what}`, async () => {
      const api = createApi({ accessLog: false }).get("/", row.fn as () => unknown, {
        status: row.status,
      });
      const res = await inject(api, { path: "/" });
      const result = res.result as { statusCode: unknown; isBase64Encoded: boolean; body: string };
      assert.equal(result.statusCode, row.expect.status);
      assert.equal(result.body, row.expect.body);
      assert.equal(result.isBase64Encoded, row.expect.base64 ?? false);
      for (const [name, value] of Object.entries(row.expect.headers ?? {})) {
        assert.equal(res.headers[name], value, `header ${name}`);
      }
      assert.deepEqual(res.cookies, row.expect.cookies ?? []);
    });
  }
});

describe("refused answers", () => {
  const refused: [what: string, fn: (input: Input) => unknown, message: string][] = [
    [
      "a response.headers value with CR/LF",
      ({ response }) => {
        response.headers["x-evil"] = "a\r\nset-cookie: stolen=1";
        return 1;
      },
      'Response header "x-evil" holds CR, LF or NUL; it is refused',
    ],
    [
      "a Response header value with LF",
      () => new Response("x", { headers: { "x-evil": "a\nb" } }),
      'Response header "x-evil" holds CR, LF or NUL; it is refused',
    ],
    [
      "a Set-Cookie line with CR",
      () => new Response("x", { headers: { "set-cookie": ["ok=1", "bad=1\r"] } }),
      'Response header "set-cookie" holds CR, LF or NUL; it is refused',
    ],
    [
      "an HTTPException header with LF",
      () => {
        throw new HTTPException(400, "no", { headers: { "x-evil": "a\nb" } });
      },
      'Response header "x-evil" holds CR, LF or NUL; it is refused',
    ],
    [
      "a status outside 100–599 set on response",
      ({ response }) => {
        response.status = 1000;
        return 1;
      },
      "Response status must be an integer from 100 to 599, got 1000",
    ],
  ];
  for (const [what, fn, message] of refused) {
    it(`fails the request as an uncaught error for ${what}`, async () => {
      const api = createApi({ accessLog: false }).get("/", fn as () => unknown);
      await assert.rejects(inject(api, { path: "/" }), { name: "TypeError", message });
      const respond = createApi({ accessLog: false, uncaughtErrors: "respond" }).get(
        "/",
        fn as () => unknown,
      );
      const res = await inject(respond, { path: "/" });
      assert.equal(res.status, 500);
      assert.equal(res.body, '{"detail":"Internal Server Error"}');
      assert.equal(res.headers["x-evil"], undefined);
    });
  }
});

describe("reply helpers", () => {
  it("lowercases header names and accumulates Set-Cookie lines", () => {
    const headers: Reply["headers"] = { "set-cookie": ["a=1"] };
    addHeaders(headers, { "X-One": "1", "Set-Cookie": "b=2", "x-list": ["p", "q"] });
    addHeaders(headers, { "set-cookie": ["c=3"] });
    addHeaders(headers, undefined);
    assert.deepEqual(headers, {
      "set-cookie": ["a=1", "b=2", "c=3"],
      "x-one": "1",
      "x-list": ["p", "q"],
    });
  });

  it("makes a detail reply with the reason phrase when there is no detail", () => {
    assert.deepEqual(detailReply(404), {
      status: 404,
      headers: { "content-type": "application/json" },
      body: '{"detail":"Not Found"}',
    });
    assert.equal(detailReply(400, { field: "x" }).body, '{"detail":{"field":"x"}}');
    assert.equal(detailReply(405, undefined, { allow: "GET" }).headers.allow, "GET");
  });

  it("keeps the route's response headers on an HTTPException reply, the exception's winning", () => {
    const state = new ResponseState();
    state.headers["x-trace"] = "1";
    state.headers["x-both"] = "state";
    state.setCookie("s", "1");
    const reply = exceptionReply(
      new HTTPException(409, "Taken", { headers: { "X-Both": "exception" } }),
      state,
    );
    assert.equal(reply.status, 409);
    assert.equal(reply.body, '{"detail":"Taken"}');
    assert.equal(reply.headers["x-trace"], "1");
    assert.equal(reply.headers["x-both"], "exception");
    assert.deepEqual(reply.headers["set-cookie"], ["s=1"]);
  });

  it("turns null into 204 only when nothing set a status", async () => {
    const state = new ResponseState();
    assert.equal((await valueReply(null, undefined, state, JSON.stringify)).status, 204);
    assert.equal((await valueReply(null, 202, state, JSON.stringify)).status, 202);
    state.status = 401;
    assert.equal((await valueReply(null, 202, state, JSON.stringify)).status, 401);
  });

  it("serializes a plain value with the route's serializer", async () => {
    const reply = await valueReply({ a: 1 }, undefined, undefined, () => "custom");
    assert.equal(reply.body, "custom");
    assert.equal(reply.headers["content-type"], "application/json");
  });

  it("removes the body of a HEAD answer, after filling an error detail", () => {
    const ok = finishReply({ status: 200, headers: {}, body: "x" }, "HEAD");
    assert.equal(ok.body, undefined);
    const missing = finishReply({ status: 404, headers: {}, body: undefined }, "HEAD");
    assert.equal(missing.body, undefined);
    assert.equal(missing.headers["content-type"], "application/json");
  });

  it("keeps a success answer without a body as it is", () => {
    const reply = finishReply({ status: 204, headers: {}, body: undefined }, "GET");
    assert.deepEqual(reply, { status: 204, headers: {}, body: undefined });
  });

  it("refuses a CR or LF in a header name", () => {
    assert.throws(() => finishReply({ status: 200, headers: { "a\nb": "1" }, body: "" }, "GET"), {
      name: "TypeError",
      message: 'Response header "a\\nb" holds CR, LF or NUL; it is refused',
    });
  });
});
