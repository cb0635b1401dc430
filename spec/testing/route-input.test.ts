// routeInput: a complete route argument from a partial one, for calling route functions in tests.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ResponseState } from "../../lib/response.js";
import { routeInput } from "../../lib/testing/index.js";

describe("routeInput", () => {
  it("fills every part a route reads when given nothing", () => {
    const input = routeInput();
    assert.equal(input.body, undefined);
    assert.deepEqual(input.params, {});
    assert.deepEqual(input.query, {});
    assert.deepEqual(input.headers, {});
    assert.deepEqual(input.cookies, {});
    assert.ok(input.response instanceof ResponseState);
    assert.equal(input.response.status, undefined);
    assert.equal(input.signal.aborted, false);
    assert.equal(input.request.method, "GET");
    assert.equal(input.request.path, "/");
    assert.equal(input.request.source, "http");
    assert.equal(input.request.hasBody, false);
    assert.equal(input.log.method, "GET");
    assert.equal(input.log.path, "/");
    assert.equal(input.log.id, input.request.id);
  });

  it("keeps the parts given, provided resources and middleware additions included", () => {
    const db = { find: (id: string) => ({ id }) };
    const input = routeInput({ params: { id: "1" }, body: { name: "a" }, db, user: "ann" });
    assert.deepEqual(input.params, { id: "1" });
    assert.deepEqual(input.body, { name: "a" });
    assert.equal(input.db, db);
    assert.equal(input.user, "ann");
  });

  it("shows string headers, query, cookies and params on the request as well", () => {
    const input = routeInput({
      params: { id: "7" },
      query: { q: "x" },
      headers: { "X-Trace": "t1" },
      cookies: { sid: "a b" },
    });
    assert.deepEqual(input.request.params, { id: "7" });
    assert.deepEqual(input.request.query, { q: "x" });
    assert.equal(input.request.headers["x-trace"], "t1");
    assert.deepEqual(input.request.cookies, { sid: "a b" });
    assert.deepEqual(input.cookies, { sid: "a b" });
  });

  it("makes a fresh response state and log record for each call", () => {
    const first = routeInput();
    const second = routeInput();
    first.response.status = 201;
    first.log.user = "ann";
    assert.equal(second.response.status, undefined);
    assert.equal(second.log.user, undefined);
  });

  it("lets a route set its status and headers on the response it is given", () => {
    const create = ({ response }: { response: ResponseState }) => {
      response.status = 201;
      response.headers.location = "/items/1";
      return { id: "1" };
    };
    const input = routeInput();
    assert.deepEqual(create(input), { id: "1" });
    assert.equal(input.response.status, 201);
    assert.equal(input.response.headers.location, "/items/1");
  });

  const notObjects: [string, unknown, string][] = [
    ["a string", "id=1", "string"],
    ["null", null, "null"],
    ["an array", [], "an array"],
  ];
  for (const [what, value, got] of notObjects) {
    it(`refuses ${what} with a TypeError naming what it got`, () => {
      assert.throws(() => routeInput(value as never), {
        name: "TypeError",
        message: `routeInput: the parts must be an object (params, query, body…), got ${got}`,
      });
    });
  }
});
