// Composed requests: error hooks, notFound / methodNotAllowed, the deadline over the chain, the log line, uncaught errors.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createApi, HTTPException, JSONResponse, type Middleware } from "../lib/index.js";
import { StreamingResponse } from "../lib/streaming/index.js";
import { inject } from "../lib/testing/index.js";
import { captureLogs } from "./helpers/log.js";

class NotFoundError extends Error {
  override name = "NotFoundError";
}
class MissingItemError extends NotFoundError {
  override name = "MissingItemError";
}

/** Adds `x-mw: 1` to whatever answer passes through it, as cors() would. */
const stamp: Middleware = async (_input, next) => {
  const answer = await next();
  answer.headers["x-mw"] = "1";
  return answer;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("chain", () => {
  describe("onError", () => {
    it("maps an error class to its hook's answer, through the middleware", async () => {
      const logs = captureLogs();
      const api = createApi({ logger: logs.logger })
        .use(stamp)
        .get("/items/{id}", ({ params }) => {
          throw new NotFoundError(`item ${params.id}`);
        })
        .onError(
          NotFoundError,
          (error) => new JSONResponse({ detail: error.message }, { status: 404 }),
        );
      const res = await inject(api, { path: "/items/3" });
      assert.equal(res.status, 404);
      assert.deepEqual(res.json(), { detail: "item 3" });
      assert.equal(res.headers["x-mw"], "1");
      const line = logs.one();
      assert.equal(line.level, "WARN");
      assert.equal(line.status_code, 404);
      assert.equal(line.error_detail, "NotFoundError: item 3");
    });

    it("matches subclass instances, the first registered hook winning", async () => {
      const api = createApi({ accessLog: false })
        .get("/", () => {
          throw new MissingItemError("gone");
        })
        .onError(NotFoundError, () => new JSONResponse({ by: "base" }, { status: 404 }))
        .onError(MissingItemError, () => new JSONResponse({ by: "sub" }, { status: 410 }));
      const res = await inject(api, { path: "/" });
      assert.equal(res.status, 404);
      assert.deepEqual(res.json(), { by: "base" });
    });

    it("maps errors thrown by middleware too", async () => {
      const api = createApi({ accessLog: false })
        .use(stamp)
        .use(async () => {
          throw new NotFoundError("no tenant");
        })
        .get("/", () => "never")
        .onError(NotFoundError, (error) => {
          throw new HTTPException(404, error.message);
        });
      const res = await inject(api, { path: "/" });
      assert.equal(res.status, 404);
      assert.deepEqual(res.json(), { detail: "no tenant" });
      assert.equal(res.headers["x-mw"], "1");
    });

    it("answers a hook's plain value with 500 unless response.status says otherwise", async () => {
      const api = createApi({ accessLog: false })
        .get("/plain", () => {
          throw new NotFoundError("a");
        })
        .get("/status", () => {
          throw new RangeError("b");
        })
        .onError(NotFoundError, (error) => ({ problem: error.message }))
        .onError(RangeError, (error, { response }) => {
          response.status = 400;
          return { problem: error.message };
        });
      const plain = await inject(api, { path: "/plain" });
      assert.equal(plain.status, 500);
      assert.deepEqual(plain.json(), { problem: "a" });
      const status = await inject(api, { path: "/status" });
      assert.equal(status.status, 400);
      assert.deepEqual(status.json(), { problem: "b" });
    });

    it("leaves HTTPException, validation and timeouts to their default answers", async () => {
      const seen: unknown[] = [];
      const api = createApi({ accessLog: false })
        .get("/http", () => {
          throw new HTTPException(409, "Taken");
        })
        .onError(Error, (error) => {
          seen.push(error);
          return "hooked";
        });
      const res = await inject(api, { path: "/http" });
      assert.equal(res.status, 409);
      assert.deepEqual(res.json(), { detail: "Taken" });
      assert.deepEqual(seen, []);
    });

    it("falls back to the default handling when the hook throws, and logs both", async () => {
      const logs = captureLogs();
      const boom = new NotFoundError("lost");
      const api = createApi({ logger: logs.logger })
        .get("/", () => {
          throw boom;
        })
        .onError(NotFoundError, () => {
          throw new Error("hook broke");
        });
      await assert.rejects(inject(api, { path: "/" }), (error) => error === boom);
      const line = logs.one();
      assert.equal(line.level, "CRITICAL");
      assert.match(String(line.error_detail), /^NotFoundError: lost/);
      assert.match(String(line.hook_error), /^Error: hook broke/);
    });

    it("answers 500 through the middleware when the hook throws under uncaughtErrors respond", async () => {
      const api = createApi({ accessLog: false, uncaughtErrors: "respond" })
        .use(stamp)
        .get("/", () => {
          throw new NotFoundError("lost");
        })
        .onError(NotFoundError, () => {
          throw new Error("hook broke");
        });
      const res = await inject(api, { path: "/" });
      assert.equal(res.status, 500);
      assert.deepEqual(res.json(), { detail: "Internal Server Error" });
      assert.equal(res.headers["x-mw"], "1");
    });

    const bad: [type: unknown, hook: unknown, message: string][] = [
      [() => 1, () => 1, "onError: the first argument must be an error class, got a function"],
      ["Error", () => 1, 'onError: the first argument must be an error class, got "Error"'],
      [Error, "fn", 'onError: the hook must be a function, got "fn"'],
    ];
    for (const [type, hook, message] of bad) {
      it(`refuses onError(${typeof type}, ${typeof hook}) at once`, () => {
        assert.throws(() => createApi().onError(type as never, hook as never), {
          name: "TypeError",
          message,
        });
      });
    }
  });

  describe("notFound and methodNotAllowed", () => {
    it("answers an unknown path with the notFound hook, 404 by default, through the middleware", async () => {
      const api = createApi({ accessLog: false })
        .use(stamp)
        .get("/items", () => [])
        .notFound(({ request }) => ({ detail: `Nothing at ${request.path}` }));
      const res = await inject(api, { path: "/nope" });
      assert.equal(res.status, 404);
      assert.deepEqual(res.json(), { detail: "Nothing at /nope" });
      assert.equal(res.headers["x-mw"], "1");
    });

    it("answers a known path with an unknown method by methodNotAllowed, Allow added", async () => {
      const api = createApi({ accessLog: false })
        .get("/items", () => [])
        .methodNotAllowed(({ allow }) => ({ detail: "Try another method", allow }));
      const res = await inject(api, { method: "PATCH", path: "/items" });
      assert.equal(res.status, 405);
      assert.equal(res.headers.allow, "GET, HEAD, OPTIONS");
      assert.deepEqual(res.json(), {
        detail: "Try another method",
        allow: ["GET", "HEAD", "OPTIONS"],
      });
      const options = await inject(api, { method: "OPTIONS", path: "/items" });
      assert.equal(options.status, 204);
    });

    it("keeps an HTTPException thrown by a notFound hook", async () => {
      const api = createApi({ accessLog: false }).notFound(() => {
        throw new HTTPException(410, "Gone for good");
      });
      const res = await inject(api, { path: "/old" });
      assert.equal(res.status, 410);
      assert.deepEqual(res.json(), { detail: "Gone for good" });
    });

    it("falls back to the default 404 when the notFound hook fails, and logs why", async () => {
      const logs = captureLogs();
      const api = createApi({ logger: logs.logger }).notFound(() => {
        throw new Error("template missing");
      });
      const res = await inject(api, { path: "/old" });
      assert.equal(res.status, 404);
      assert.deepEqual(res.json(), { detail: "Not Found" });
      const line = logs.one();
      assert.equal(line.level, "WARN");
      assert.match(String(line.hook_error), /^Error: template missing/);
    });

    it("refuses a notFound or methodNotAllowed that is not a function", () => {
      assert.throws(() => createApi().notFound(404 as never), {
        name: "TypeError",
        message: "notFound: expected a function, got 404",
      });
      assert.throws(() => createApi().methodNotAllowed(null as never), {
        name: "TypeError",
        message: "methodNotAllowed: expected a function, got null",
      });
    });
  });

  describe("deadline", () => {
    it("answers 504 for a hanging route, the answer still passing through the middleware", async () => {
      let aborted = false;
      const api = createApi({ accessLog: false })
        .use(stamp)
        .get(
          "/slow",
          ({ signal }) =>
            new Promise(() => {
              signal.addEventListener("abort", () => {
                aborted = true;
              });
            }),
          { timeoutMs: 20 },
        );
      const res = await inject(api, { path: "/slow" });
      assert.equal(res.status, 504);
      assert.deepEqual(res.json(), { detail: "Gateway Timeout" });
      assert.equal(res.headers["x-mw"], "1");
      assert.equal(aborted, true);
    });

    it("counts the middleware's time in the route's timeout", async () => {
      const api = createApi({ accessLog: false })
        .use(async (_input, next) => {
          await sleep(40);
          return next();
        })
        .get(
          "/",
          async () => {
            await sleep(40);
            return "late";
          },
          { timeoutMs: 60 },
        );
      const res = await inject(api, { path: "/" });
      assert.equal(res.status, 504);
    });

    it("cuts a middleware that hangs, answering 504", async () => {
      const logs = captureLogs();
      const api = createApi({ logger: logs.logger })
        .use(stamp)
        .use(() => new Promise(() => {}))
        .get("/", () => "never", { timeoutMs: 20 });
      const res = await inject(api, { path: "/" });
      assert.equal(res.status, 504);
      const line = logs.one();
      assert.equal(line.level, "ERROR");
      assert.equal(line.error_detail, "Route exceeded its timeout of 20 ms");
    });
  });

  describe("log line and uncaught errors", () => {
    it("writes one line with the final status after middleware changed it", async () => {
      const logs = captureLogs();
      const api = createApi({ logger: logs.logger })
        .use(async (_input, next) => {
          const answer = await next();
          answer.status = 203;
          return answer;
        })
        .get("/", () => "ok");
      await inject(api, { path: "/" });
      const line = logs.one();
      assert.equal(line.status_code, 203);
      assert.equal(line.route, "/");
    });

    it("rejects next() with an uncaught error, then rethrows it after one critical line", async () => {
      const logs = captureLogs();
      const boom = new Error("boom");
      const seen: unknown[] = [];
      const api = createApi({ logger: logs.logger })
        .use(async (_input, next) => {
          try {
            return await next();
          } catch (error) {
            seen.push(error);
            throw error;
          }
        })
        .use(stamp)
        .get("/", () => {
          throw boom;
        });
      await assert.rejects(inject(api, { path: "/" }), (error) => error === boom);
      assert.deepEqual(seen, [boom]);
      const line = logs.one();
      assert.equal(line.level, "CRITICAL");
      assert.equal(line.status_code, 500);
    });

    it("resolves next() to the 500 under uncaughtErrors respond, so middleware headers reach it", async () => {
      const logs = captureLogs();
      const statuses: number[] = [];
      const api = createApi({ logger: logs.logger, uncaughtErrors: "respond" })
        .use(async (_input, next) => {
          const answer = await next();
          statuses.push(answer.status!);
          answer.headers["access-control-allow-origin"] = "*";
          return answer;
        })
        .get("/", () => {
          throw new Error("boom");
        });
      const res = await inject(api, { path: "/" });
      assert.deepEqual(statuses, [500]);
      assert.equal(res.status, 500);
      assert.deepEqual(res.json(), { detail: "Internal Server Error" });
      assert.equal(res.headers["access-control-allow-origin"], "*");
      const line = logs.one();
      assert.equal(line.level, "CRITICAL");
      assert.match(String(line.error_detail), /^Error: boom/);
    });

    it("logs a second call of next() as an uncaught error naming the middleware", async () => {
      const logs = captureLogs();
      const api = createApi({ logger: logs.logger, uncaughtErrors: "respond" })
        .use(stamp)
        .use(async (_input, next) => {
          await next();
          return next();
        })
        .get("/", () => "ok");
      const res = await inject(api, { path: "/" });
      assert.equal(res.status, 500);
      assert.match(
        String(logs.one().error_detail),
        /^Error: next\(\) was called twice by middleware 2 of the chain/,
      );
    });

    it("answers 503 through the middleware when a resource a middleware needs fails", async () => {
      const api = createApi({ accessLog: false })
        .use(stamp)
        .provide("db", (): { ok: boolean } => {
          throw new Error("no route to host");
        })
        .use(async ({ db }, next) => next({ ok: db.ok }))
        .get("/", ({ ok }) => ({ ok }));
      const res = await inject(api, { path: "/" });
      assert.equal(res.status, 503);
      assert.equal(res.headers["x-mw"], "1");
    });
  });

  describe("streamed answers", () => {
    it("passes a StreamingResponse through middleware with its body intact", async () => {
      async function* chunks() {
        yield "a";
        yield "b";
      }
      const api = createApi({ accessLog: false })
        .use(stamp)
        .get("/s", () => new StreamingResponse(chunks(), { mediaType: "text/plain" }));
      const res = await inject(api, { path: "/s" });
      assert.equal(res.status, 200);
      assert.equal(res.body, "ab");
      assert.equal(res.headers["x-mw"], "1");
    });

    it("closes a streamed body a middleware replaced", async () => {
      let closed = false;
      async function* chunks() {
        try {
          yield "a";
          yield "b";
        } finally {
          closed = true;
        }
      }
      const api = createApi({ accessLog: false })
        .use(async (_input, next) => {
          const answer = await next();
          answer.content = "replaced";
          return answer;
        })
        .get("/s", () => new StreamingResponse(chunks(), { mediaType: "text/plain" }));
      const res = await inject(api, { path: "/s" });
      assert.equal(res.body, "replaced");
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(closed, true);
    });
  });
});
