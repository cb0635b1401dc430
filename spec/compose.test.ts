// Middleware through api.use and a route's `use`: order, additions, scoping, and registration errors.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  createApi,
  defineMiddleware,
  HTTPException,
  JSONResponse,
  type Middleware,
  Response,
} from "../lib/index.js";
import { inject } from "../lib/testing/index.js";

/** A middleware that records when it runs before and after the rest of the chain. */
function tracer(name: string, trail: string[]): Middleware {
  return async (_input, next) => {
    trail.push(`${name}:before`);
    const answer = await next();
    trail.push(`${name}:after`);
    return answer;
  };
}

describe("compose", () => {
  describe("order", () => {
    it("runs the first registered outermost, then route-level middleware, then the route", async () => {
      const trail: string[] = [];
      const api = createApi({ accessLog: false })
        .use(tracer("a", trail))
        .use(tracer("b", trail))
        .get(
          "/",
          () => {
            trail.push("route");
            return "ok";
          },
          { use: [tracer("c", trail), tracer("d", trail)] },
        );
      const res = await inject(api, { path: "/" });
      assert.equal(res.status, 200);
      assert.deepEqual(trail, [
        "a:before",
        "b:before",
        "c:before",
        "d:before",
        "route",
        "d:after",
        "c:after",
        "b:after",
        "a:after",
      ]);
    });

    it("lets a middleware change the answer on its way out", async () => {
      const api = createApi({ accessLog: false })
        .use(async (_input, next) => {
          const answer = await next();
          answer.status = 201;
          answer.headers["x-took"] = "1ms";
          answer.content = `${String(answer.content)}!`;
          return answer;
        })
        .get("/", () => ({ ok: true }));
      const res = await inject(api, { path: "/" });
      assert.equal(res.status, 201);
      assert.equal(res.headers["x-took"], "1ms");
      assert.equal(res.headers["content-type"], "application/json");
      assert.equal(res.body, '{"ok":true}!');
    });

    it("gives next() the rendered body: a string for JSON, bytes for bytes", async () => {
      const seen: unknown[] = [];
      const api = createApi({ accessLog: false })
        .use(async (_input, next) => {
          const answer = await next();
          seen.push(answer.content);
          return answer;
        })
        .get("/json", () => [1, 2])
        .get("/bytes", () => new Response(new Uint8Array([1, 2]), { mediaType: "image/png" }))
        .get("/none", () => undefined);
      await inject(api, { path: "/json" });
      await inject(api, { path: "/bytes" });
      await inject(api, { path: "/none" });
      assert.deepEqual(seen, ["[1,2]", new Uint8Array([1, 2]), undefined]);
    });

    it("short-circuits: the route and inner middleware never run", async () => {
      const trail: string[] = [];
      const api = createApi({ accessLog: false })
        .use(tracer("outer", trail))
        .use(async ({ headers }, next) =>
          headers.authorization ? next() : new JSONResponse({ detail: "Log in" }, { status: 401 }),
        )
        .use(tracer("inner", trail))
        .get("/", () => {
          trail.push("route");
          return "ok";
        });
      const res = await inject(api, { path: "/" });
      assert.equal(res.status, 401);
      assert.deepEqual(res.json(), { detail: "Log in" });
      assert.deepEqual(trail, ["outer:before", "outer:after"]);
    });

    it("answers a plain value returned by a middleware like a route's, with its response state", async () => {
      const api = createApi({ accessLog: false })
        .use(async ({ response }) => {
          response.status = 202;
          response.headers["x-queued"] = "yes";
          response.setCookie("q", "1");
          return { queued: true };
        })
        .get("/", () => "never");
      const res = await inject(api, { path: "/" });
      assert.equal(res.status, 202);
      assert.deepEqual(res.json(), { queued: true });
      assert.equal(res.headers["x-queued"], "yes");
      assert.deepEqual(res.cookies, ["q=1"]);
    });

    it("passes the answer on when a middleware calls next() and returns nothing", async () => {
      const api = createApi({ accessLog: false })
        .use(async (_input, next) => {
          await next();
        })
        .get("/", () => ({ ok: 1 }));
      const res = await inject(api, { path: "/" });
      assert.equal(res.status, 200);
      assert.deepEqual(res.json(), { ok: 1 });
    });

    it("answers 204 when a middleware returns nothing without calling next()", async () => {
      const api = createApi({ accessLog: false })
        .use(async () => undefined)
        .get("/", () => "never");
      const res = await inject(api, { path: "/" });
      assert.equal(res.status, 204);
      assert.equal(res.body, "");
    });

    it("lets an outer middleware catch what an inner middleware or the route throws", async () => {
      const api = createApi({ accessLog: false })
        .use(async (_input, next) => {
          try {
            return await next();
          } catch (error) {
            return new JSONResponse({ caught: (error as Error).message }, { status: 500 });
          }
        })
        .get("/", () => {
          throw new Error("db down");
        });
      const res = await inject(api, { path: "/" });
      assert.equal(res.status, 500);
      assert.deepEqual(res.json(), { caught: "db down" });
    });

    it("hands an HTTPException thrown later to next() as its answer, not as a rejection", async () => {
      const seen: number[] = [];
      const api = createApi({ accessLog: false })
        .use(async (_input, next) => {
          const answer = await next();
          seen.push(answer.status!);
          answer.headers["x-seen"] = "1";
          return answer;
        })
        .use(async () => {
          throw new HTTPException(403, "No", { headers: { "x-why": "role" } });
        })
        .get("/", () => "never");
      const res = await inject(api, { path: "/" });
      assert.deepEqual(seen, [403]);
      assert.equal(res.status, 403);
      assert.deepEqual(res.json(), { detail: "No" });
      assert.equal(res.headers["x-why"], "role");
      assert.equal(res.headers["x-seen"], "1");
    });

    it("refuses a second call of next() with an error naming the middleware", async () => {
      const api = createApi({ accessLog: false, uncaughtErrors: "respond" })
        .use(async (_input, next) => {
          await next();
          return next();
        })
        .get("/", () => "ok");
      const res = await inject(api, { path: "/" });
      assert.equal(res.status, 500);
    });
  });

  describe("additions", () => {
    it("merges next(additions) into the input of later middleware and the route", async () => {
      const api = createApi({ accessLog: false })
        .use(async ({ headers }, next) => next({ user: headers.authorization ?? "anonymous" }))
        .use(async ({ user }, next) => next({ greeting: `hi ${user}` }))
        .get("/me", ({ user, greeting }) => ({ user, greeting }));
      const res = await inject(api, { path: "/me", headers: { authorization: "ann" } });
      assert.deepEqual(res.json(), { user: "ann", greeting: "hi ann" });
    });

    it("merges the additions of a route's own middleware", async () => {
      const tenant = defineMiddleware(async ({ headers }, next) =>
        next({ tenant: headers["x-tenant"] ?? "none" }),
      );
      const api = createApi({ accessLog: false }).get("/t", ({ tenant }) => ({ tenant }), {
        use: [tenant],
      });
      const res = await inject(api, { path: "/t", headers: { "x-tenant": "acme" } });
      assert.deepEqual(res.json(), { tenant: "acme" });
    });

    const refused: [additions: unknown, message: string][] = [
      [{ body: 1 }, 'next(): cannot add "body", a route input key; use another name'],
      [{ route: "/x" }, 'next(): cannot add "route", a route input key; use another name'],
      [
        JSON.parse('{"__proto__": {"body": 1}}'),
        'next(): cannot add "__proto__", a route input key; use another name',
      ],
      [[1], "next(): additions must be an object, got an array"],
      [null, "next(): additions must be an object, got null"],
      ["user", 'next(): additions must be an object, got "user"'],
    ];
    for (const [additions, message] of refused) {
      it(`refuses the additions ${JSON.stringify(additions)}`, async () => {
        let error: unknown;
        const api = createApi({ accessLog: false })
          .use(async (_input, next) => {
            try {
              return await (next as (a: unknown) => Promise<unknown>)(additions);
            } catch (thrown) {
              error = thrown;
              return "refused";
            }
          })
          .get("/", () => "ok");
        await inject(api, { path: "/" });
        assert.ok(error instanceof TypeError);
        assert.equal(error.message, message);
      });
    }

    it("gives middleware the resources provided before it", async () => {
      const api = createApi({ accessLog: false })
        .provide("db", () => ({ name: "pool" }))
        .use(async ({ db }, next) => next({ seen: db.name }))
        .get("/", ({ seen, db }) => ({ seen, db: db.name }));
      const res = await inject(api, { path: "/" });
      assert.deepEqual(res.json(), { seen: "pool", db: "pool" });
    });

    it("tells middleware the matched route template, or undefined and the allowed methods", async () => {
      const seen: unknown[] = [];
      const api = createApi({ accessLog: false })
        .use(async ({ route, allow, params }, next) => {
          seen.push({ route, allow, params });
          return next();
        })
        .get("/items/{id}", () => "ok")
        .post("/items/{id}", () => "ok");
      await inject(api, { path: "/items/7" });
      await inject(api, { method: "DELETE", path: "/items/7" });
      await inject(api, { path: "/nothing" });
      assert.deepEqual(seen, [
        { route: "/items/{id}", allow: undefined, params: { id: "7" } },
        { route: undefined, allow: ["GET", "HEAD", "OPTIONS", "POST"], params: {} },
        { route: undefined, allow: undefined, params: {} },
      ]);
    });
  });

  describe("scope", () => {
    it("applies api.use to the routes registered after it only", async () => {
      const api = createApi({ accessLog: false })
        .get("/public", () => "open")
        .use(async ({ headers }, next) =>
          headers.authorization ? next() : new JSONResponse({ detail: "no" }, { status: 401 }),
        )
        .get("/private", () => "secret");
      assert.equal((await inject(api, { path: "/public" })).status, 200);
      assert.equal((await inject(api, { path: "/private" })).status, 401);
      const ok = await inject(api, { path: "/private", headers: { authorization: "x" } });
      assert.equal(ok.status, 200);
    });

    it("applies a route's use option to that route only", async () => {
      const stamp = defineMiddleware(async (_input, next) => {
        const answer = await next();
        answer.headers["x-stamped"] = "1";
        return answer;
      });
      const api = createApi({ accessLog: false })
        .get("/a", () => "a", { use: [stamp] })
        .get("/b", () => "b");
      assert.equal((await inject(api, { path: "/a" })).headers["x-stamped"], "1");
      assert.equal((await inject(api, { path: "/b" })).headers["x-stamped"], undefined);
    });

    it("leaves the Api it was called on unchanged", async () => {
      const base = createApi({ accessLog: false });
      const wrapped = base.use(async () => "wrapped");
      const plain = base.get("/", () => "plain");
      const used = wrapped.get("/", () => "plain");
      assert.equal((await inject(plain, { path: "/" })).json(), "plain");
      assert.equal((await inject(used, { path: "/" })).json(), "wrapped");
    });

    // Rows: method, path, status, whether middleware registered before any route ran.
    const unmatched: [method: string, path: string, status: number][] = [
      ["GET", "/nowhere", 404],
      ["DELETE", "/items", 405],
      ["OPTIONS", "/items", 204],
      ["GET", "/bad%zzpath", 400],
    ];
    for (const [method, path, status] of unmatched) {
      it(`runs middleware registered before any route for ${method} ${path} (${status})`, async () => {
        const api = createApi({ accessLog: false })
          .use(async (_input, next) => {
            const answer = await next();
            answer.headers["x-global"] = "1";
            return answer;
          })
          .get("/items", () => [])
          .use(async (_input, next) => {
            const answer = await next();
            answer.headers["x-late"] = "1";
            return answer;
          })
          .post("/items", () => "made");
        // A REST event: its path arrives percent-encoded, so bad encoding is a 400 (an HTTP API
        // delivers paths decoded, where a `%` is never one).
        const res = await inject(api, { method, path, format: "v1" });
        assert.equal(res.status, status);
        assert.equal(res.headers["x-global"], "1");
        assert.equal(res.headers["x-late"], undefined);
      });
    }

    it("runs, for a 405, the middleware every route of the path shares", async () => {
      const api = createApi({ accessLog: false })
        .get("/open", () => "open")
        .use(async (_input, next) => {
          const answer = await next();
          answer.headers["x-shared"] = "1";
          return answer;
        })
        .get("/items", () => [])
        .post("/items", () => "made");
      const items = await inject(api, { method: "DELETE", path: "/items" });
      assert.equal(items.status, 405);
      assert.equal(items.headers.allow, "GET, HEAD, OPTIONS, POST");
      assert.equal(items.headers["x-shared"], "1");
      const open = await inject(api, { method: "DELETE", path: "/open" });
      assert.equal(open.headers["x-shared"], undefined);
    });

    it("does not run a route's own middleware for a 405 on its path", async () => {
      const deny = defineMiddleware(
        async () => new JSONResponse({ detail: "no" }, { status: 401 }),
      );
      const api = createApi({ accessLog: false }).get("/items", () => [], { use: [deny] });
      const res = await inject(api, { method: "PUT", path: "/items" });
      assert.equal(res.status, 405);
    });
  });

  describe("registration", () => {
    const bad: [what: string, make: () => unknown, message: string][] = [
      [
        "api.use with a non-function",
        () => createApi().use("cors" as never),
        'use: a middleware must be a function, got "cors"',
      ],
      [
        "a use option that is not an array",
        () => createApi().get("/", () => 1, { use: (() => 1) as never }),
        "GET /: use must be an array of middleware, got a function",
      ],
      [
        "a use option holding a non-function",
        () => createApi().get("/x", () => 1, { use: [null as never] }),
        "GET /x use[0]: a middleware must be a function, got null",
      ],
      [
        "defineMiddleware with a non-function",
        () => defineMiddleware(1 as never),
        "defineMiddleware: expected a function, got 1",
      ],
      [
        "provide under a middleware input name",
        // A type error too: this is what a cast or JavaScript meets.
        () => createApi().provide("route" as string, () => 1),
        'provide: the name must be a non-empty string that is not a route input key, got "route"',
      ],
    ];
    for (const [what, make, message] of bad) {
      it(`throws at once for ${what}`, () => {
        assert.throws(make, { name: "TypeError", message });
      });
    }
  });
});
