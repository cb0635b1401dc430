// Tests of Response, JSONResponse, isResponse and the per-request ResponseState.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isResponse, JSONResponse, Response, ResponseState } from "../lib/response.js";

describe("Response", () => {
  it("keeps its content, status, headers and media type", () => {
    const headers = { "X-One": "1", "set-cookie": ["a=1", "b=2"] };
    const res = new Response("hi", { status: 202, headers, mediaType: "text/plain" });
    assert.equal(res.content, "hi");
    assert.equal(res.status, 202);
    assert.equal(res.mediaType, "text/plain");
    assert.deepEqual(res.headers, headers);
    assert.notEqual(res.headers, headers, "the headers are copied");
  });

  it("has no status, headers or media type unless given", () => {
    const res = new Response("hi");
    assert.equal(res.status, undefined);
    assert.equal(res.mediaType, undefined);
    assert.deepEqual(res.headers, {});
  });

  const renders: [content: unknown, rendered: string | Uint8Array | undefined][] = [
    ["text", "text"],
    ["", ""],
    [Uint8Array.from([1, 2, 3]), Uint8Array.from([1, 2, 3])],
    [null, undefined],
    [undefined, undefined],
    [42, "42"],
  ];
  for (const [content, rendered] of renders) {
    it(`renders ${String(content)} as ${JSON.stringify(rendered)}`, () => {
      assert.deepEqual(new Response(content).render(), rendered);
    });
  }

  it("lets a subclass override render()", () => {
    class CsvResponse extends Response<string[][]> {
      constructor(rows: string[][]) {
        super(rows, { mediaType: "text/csv" });
      }
      override render(): string {
        return this.content.map((row) => row.join(",")).join("\n");
      }
    }
    const res = new CsvResponse([
      ["a", "b"],
      ["1", "2"],
    ]);
    assert.equal(res.render(), "a,b\n1,2");
    assert.ok(isResponse(res));
  });
});

describe("JSONResponse", () => {
  it("serializes its content with application/json by default", () => {
    const res = new JSONResponse({ a: [1, "x"] }, { status: 201 });
    assert.equal(res.render(), '{"a":[1,"x"]}');
    assert.equal(res.mediaType, "application/json");
    assert.equal(res.status, 201);
  });

  it("keeps a media type it is given", () => {
    assert.equal(
      new JSONResponse({}, { mediaType: "application/problem+json" }).mediaType,
      "application/problem+json",
    );
  });

  it("renders null as JSON null and undefined as no body", () => {
    assert.equal(new JSONResponse(null).render(), "null");
    assert.equal(new JSONResponse(undefined).render(), undefined);
  });
});

describe("isResponse", () => {
  const rows: [value: unknown, expected: boolean][] = [
    [new Response("x"), true],
    [new JSONResponse({}), true],
    [{ [Symbol.for("aio-lambda-api.Response")]: true }, true],
    [new globalThis.Response("x"), false],
    [{ status: 200, headers: {}, content: "x" }, false],
    [null, false],
    ["x", false],
  ];
  rows.forEach(([value, expected], index) => {
    it(`tells a Response from other values (row ${index})`, () => {
      assert.equal(isResponse(value), expected);
    });
  });
});

describe("ResponseState", () => {
  it("starts with no status, no headers and no cookies", () => {
    const state = new ResponseState();
    assert.equal(state.status, undefined);
    assert.deepEqual(state.headers, {});
    assert.deepEqual(state.cookies, []);
  });

  const cookies: [args: Parameters<ResponseState["setCookie"]>, line: string][] = [
    [["a", "1"], "a=1"],
    [["a", "x y;z"], "a=x%20y%3Bz"],
    [["sid", "v", { httpOnly: true, secure: true, path: "/" }], "sid=v; Path=/; HttpOnly; Secure"],
    [["sid", "v", { maxAge: 60, sameSite: "lax" }], "sid=v; Max-Age=60; SameSite=Lax"],
  ];
  for (const [args, line] of cookies) {
    it(`sets the cookie line ${line}`, () => {
      const state = new ResponseState();
      state.setCookie(...args);
      assert.deepEqual(state.cookies, [line]);
    });
  }

  it("clears a cookie with an expired Set-Cookie", () => {
    const state = new ResponseState();
    state.clearCookie("sid", { path: "/" });
    assert.deepEqual(state.cookies, ["sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"]);
  });

  const badNames = ["", "a b", "a;b", "a=b", "a\nb"];
  for (const name of badNames) {
    it(`refuses the cookie name ${JSON.stringify(name)}`, () => {
      assert.throws(() => new ResponseState().setCookie(name, "v"), {
        name: "TypeError",
        message: `Cookie name must be a token (no spaces, ";", "=" or controls), got ${JSON.stringify(name)}`,
      });
    });
  }
});
