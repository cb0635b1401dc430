// Tests of HTTPException and UnsupportedEventError, and how errors thrown by routes are answered.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createApi } from "../lib/api.js";
import { HTTPException, isHTTPException, UnsupportedEventError } from "../lib/errors.js";
import { captureLogs } from "./helpers/log.js";
import { inject } from "../lib/testing/index.js";

describe("HTTPException", () => {
  it("carries status, detail, headers, errorDetail and cause", () => {
    const cause = new Error("db down");
    const error = new HTTPException(404, "Item not found", {
      headers: { "x-why": "gone" },
      errorDetail: { id: 7 },
      cause,
    });
    assert.ok(error instanceof Error);
    assert.equal(error.name, "HTTPException");
    assert.equal(error.status, 404);
    assert.equal(error.detail, "Item not found");
    assert.equal(error.message, "Item not found");
    assert.deepEqual(error.headers, { "x-why": "gone" });
    assert.deepEqual(error.errorDetail, { id: 7 });
    assert.equal(error.cause, cause);
  });

  it("has no detail unless given, and a message naming the status", () => {
    const error = new HTTPException(503);
    assert.equal(error.detail, undefined);
    assert.equal(error.message, "HTTP 503");
    assert.equal(new HTTPException(422, [{ loc: ["body"] }]).message, "HTTP 422");
  });

  const badStatuses: [status: number, shown: string][] = [
    [99, "99"],
    [600, "600"],
    [404.5, "404.5"],
    [Number.NaN, "NaN"],
  ];
  for (const [status, shown] of badStatuses) {
    it(`refuses the status ${shown}`, () => {
      assert.throws(() => new HTTPException(status), {
        name: "RangeError",
        message: `HTTPException status must be an integer from 100 to 599, got ${shown}`,
      });
    });
  }
});

describe("isHTTPException", () => {
  const rows: [value: unknown, http: boolean][] = [
    [new HTTPException(400), true],
    [{ [Symbol.for("aio-lambda-api.HTTPException")]: true, status: 400 }, true],
    [new UnsupportedEventError("x"), false],
    [{ [Symbol.for("aio-lambda-api.UnsupportedEventError")]: true }, false],
    [new Error("x"), false],
    [{ status: 400, detail: "x" }, false],
    [null, false],
    ["HTTPException", false],
  ];
  rows.forEach(([value, http], index) => {
    it(`recognises errors by brand, also from another copy of the library (row ${index})`, () => {
      assert.equal(isHTTPException(value), http);
    });
  });
});

describe("UnsupportedEventError", () => {
  it("names an UnsupportedEventError", () => {
    const error = new UnsupportedEventError("cannot handle this");
    assert.equal(error.name, "UnsupportedEventError");
    assert.equal(error.message, "cannot handle this");
  });
});

describe("errors through the handler", () => {
  const answers: [
    what: string,
    thrown: () => never,
    status: number,
    body: string,
    headers?: Record<string, string>,
  ][] = [
    [
      "an HTTPException with a detail",
      () => {
        throw new HTTPException(404, "Item not found");
      },
      404,
      '{"detail":"Item not found"}',
    ],
    [
      "an HTTPException without a detail",
      () => {
        throw new HTTPException(404);
      },
      404,
      '{"detail":"Not Found"}',
    ],
    [
      "an HTTPException with a structured detail",
      () => {
        throw new HTTPException(409, { code: "taken", field: "name" });
      },
      409,
      '{"detail":{"code":"taken","field":"name"}}',
    ],
    [
      "an HTTPException with headers",
      () => {
        throw new HTTPException(401, "Log in", { headers: { "WWW-Authenticate": "Bearer" } });
      },
      401,
      '{"detail":"Log in"}',
      { "www-authenticate": "Bearer" },
    ],
    [
      "an HTTPException with an errorDetail that stays out of the body",
      () => {
        throw new HTTPException(403, "Forbidden", { errorDetail: "user 7 lacks the admin role" });
      },
      403,
      '{"detail":"Forbidden"}',
    ],
    [
      "an HTTPException below 400",
      () => {
        throw new HTTPException(302, "Moved", { headers: { location: "/elsewhere" } });
      },
      302,
      '{"detail":"Moved"}',
      { location: "/elsewhere" },
    ],
    [
      "a branded HTTPException from another copy of the library",
      () => {
        throw Object.assign(new Error("x"), {
          [Symbol.for("aio-lambda-api.HTTPException")]: true,
          status: 418,
          detail: "short and stout",
          headers: undefined,
        });
      },
      418,
      '{"detail":"short and stout"}',
    ],
  ];
  for (const [what, thrown, status, body, headers] of answers) {
    it(`answers ${what} with ${status}`, async () => {
      const api = createApi({ accessLog: false }).get("/", thrown);
      const res = await inject(api, { path: "/" });
      assert.equal(res.status, status);
      assert.equal(res.body, body);
      assert.equal(res.headers["content-type"], "application/json");
      for (const [name, value] of Object.entries(headers ?? {}))
        assert.equal(res.headers[name], value);
    });
  }

  it("writes errorDetail to the access log only", async () => {
    const logs = captureLogs();
    const api = createApi({ logger: logs.logger }).get("/", () => {
      throw new HTTPException(403, "Forbidden", { errorDetail: { user: 7, role: "admin" } });
    });
    const res = await inject(api, { path: "/" });
    assert.equal(res.body, '{"detail":"Forbidden"}');
    const line = logs.one();
    assert.equal(line.level, "WARN");
    assert.deepEqual(line.error_detail, { user: 7, role: "admin" });
  });

  it("keeps response headers and cookies set before an HTTPException", async () => {
    const api = createApi({ accessLog: false }).get("/", ({ response }) => {
      response.headers["x-trace"] = "t";
      response.setCookie("seen", "1");
      throw new HTTPException(400, "Bad");
    });
    const res = await inject(api, { path: "/" });
    assert.equal(res.status, 400);
    assert.equal(res.headers["x-trace"], "t");
    assert.deepEqual(res.cookies, ["seen=1"]);
  });

  const uncaught: [what: string, thrown: unknown][] = [
    ["an Error", new Error("secret database password in message")],
    ["a TypeError", new TypeError("x is not a function")],
    ["a string", "x"],
    ["null", null],
    ["undefined", undefined],
    ["an object", { code: 1 }],
  ];
  for (const [what, thrown] of uncaught) {
    it(`rethrows ${what} thrown by a route for an HTTP event`, async () => {
      const api = createApi({ accessLog: false }).get("/", () => {
        throw thrown;
      });
      await assert.rejects(inject(api, { path: "/" }), (error: unknown) => {
        assert.equal(error, thrown);
        return true;
      });
    });

    it(`answers ${what} with a bare 500 under uncaughtErrors: "respond"`, async () => {
      const api = createApi({ accessLog: false, uncaughtErrors: "respond" }).get("/", () => {
        throw thrown;
      });
      const res = await inject(api, { path: "/" });
      assert.equal(res.status, 500);
      assert.equal(res.body, '{"detail":"Internal Server Error"}');
      assert.equal(res.headers["content-type"], "application/json");
      assert.ok(res.headers["x-request-id"]);
    });
  }

  it("rethrows a rejected promise the same way", async () => {
    const api = createApi({ accessLog: false }).get("/", async () => {
      await Promise.resolve();
      throw new RangeError("late");
    });
    await assert.rejects(inject(api, { path: "/" }), { name: "RangeError", message: "late" });
  });

  it("logs an uncaught error at critical with its stack, never sending it", async () => {
    const logs = captureLogs();
    const api = createApi({ logger: logs.logger, uncaughtErrors: "respond" }).get("/", () => {
      throw new Error("secret in message");
    });
    const res = await inject(api, { path: "/" });
    assert.doesNotMatch(res.body, /secret|stack|Error:/);
    const line = logs.one();
    assert.equal(line.level, "CRITICAL");
    assert.equal(line.status_code, 500);
    assert.match(String(line.error_detail), /^Error: secret in message\n\s+at /);
  });

  it("logs a thrown non-Error value by its JSON", async () => {
    const logs = captureLogs();
    const api = createApi({ logger: logs.logger, uncaughtErrors: "respond" }).get("/", () => {
      throw null;
    });
    await inject(api, { path: "/" });
    assert.equal(logs.one().error_detail, "thrown non-Error value: null");
  });
});
