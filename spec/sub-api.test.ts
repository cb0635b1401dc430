// A mounted Api receives the resources its parent provided before the mount, and the names it expects are checked.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Api, createApi, type Middleware } from "../lib/index.js";
import { inject } from "../lib/testing/index.js";

/** Appends `name` to the `x-trail` header of the answer, so the middleware that ran show. */
const mark =
  (name: string): Middleware =>
  async (_input, next) => {
    const answer = await next();
    const before = answer.headers["x-trail"];
    answer.headers["x-trail"] = before ? `${String(before)},${name}` : name;
    return answer;
  };

interface User {
  id: string;
}

/** A sub-API that reads `db` and `user` from its parent, bypassing the types (as JS would). */
const items = createApi<{ db: string; user: User }>({ accessLog: false, expects: ["db", "user"] })
  .use(mark("child"))
  .get("/items/{id}", ({ params, db, user }) => ({ id: params.id, db, user: user.id }))
  .put("/items/{id}", ({ params }) => params.id);
const loose = items as unknown as Api;

describe("sub-API", () => {
  it("sees the resources the parent provided before the mount, created once for all", async () => {
    let made = 0;
    const child = createApi({ accessLog: false })
      .use(async (input, next) => next({ seen: (input as { db?: string }).db ?? "none" }))
      .get("/x", (input) => ({ db: (input as { db?: string }).db ?? "none", seen: input.seen }));
    const api = createApi({ accessLog: false })
      .provide("db", () => `db${++made}`)
      .get("/db", ({ db }) => db)
      .mount("/v1", child);
    assert.deepEqual((await inject(api, { path: "/v1/x" })).json(), { db: "db1", seen: "db1" });
    assert.equal((await inject(api, { path: "/db" })).json(), "db1");
    assert.equal(made, 1);
  });

  it("keeps its own resource where it provides one of the same name", async () => {
    const child = createApi({ accessLog: false })
      .provide("db", () => "child")
      .get("/x", ({ db }) => db);
    const api = createApi({ accessLog: false })
      .provide("db", () => "parent")
      .mount("/v1", child)
      .get("/y", ({ db }) => db);
    assert.equal((await inject(api, { path: "/v1/x" })).json(), "child");
    assert.equal((await inject(api, { path: "/y" })).json(), "parent");
  });

  it("does not see resources the parent provides after the mount", async () => {
    const child = createApi({ accessLog: false }).get("/x", (input) => "db" in input);
    const api = createApi({ accessLog: false })
      .mount("/v1", child)
      .provide("db", () => "late");
    assert.equal((await inject(api, { path: "/v1/x" })).json(), false);
  });

  it("serves what it expects from the parent's providers and middleware", async () => {
    const api = createApi({ accessLog: false })
      .provide("db", () => "main")
      .use(async (_input, next) => next({ user: { id: "u1" } }))
      .mount("/v1", items);
    const answer = await inject(api, { path: "/v1/items/7" });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json(), { id: "7", db: "main", user: "u1" });
    assert.equal(answer.headers["x-trail"], "child");
  });

  it("serves a nested sub-API through a parent that expects the same names", async () => {
    const middle = createApi<{ db: string }>({ accessLog: false, expects: ["db"] })
      .use(async (_input, next) => next({ user: { id: "u2" } }))
      .mount("/items", items);
    const api = createApi({ accessLog: false })
      .provide("db", () => "top")
      .mount("/v1", middle);
    assert.deepEqual((await inject(api, { path: "/v1/items/items/3" })).json(), {
      id: "3",
      db: "top",
      user: "u2",
    });
  });

  it("refuses a mount where the parent neither provides an expected name nor has middleware", () => {
    assert.throws(
      () =>
        createApi()
          .provide("db", () => "x")
          .mount("/v1", loose),
      {
        name: "TypeError",
        message:
          'mount("/v1"): the mounted Api expects "user", which this Api neither provides before the mount nor has middleware to add',
      },
    );
    assert.throws(
      () =>
        createApi()
          .mount("/v1", loose)
          .provide("db", () => "x"),
      {
        message:
          'mount("/v1"): the mounted Api expects "db", "user", which this Api neither provides before the mount nor has middleware to add',
      },
    );
  });

  it("fails a request whose parent middleware did not add an expected name, naming it", async () => {
    const api = createApi({ accessLog: false })
      .use(async (_input, next) => next())
      .mount("/v1", loose);
    await assert.rejects(inject(api, { path: "/v1/items/7" }), {
      name: "TypeError",
      message:
        'GET /v1/items/{id}: the Api mounted at "/v1" expects "db", "user", which no middleware before the mount added',
    });
    const respond = createApi({ accessLog: false, uncaughtErrors: "respond" })
      .provide("db", () => "x")
      .use(async (_input, next) => next())
      .mount("/v1", loose);
    const answer = await inject(respond, { path: "/v1/items/7" });
    assert.equal(answer.status, 500);
  });

  it("answers a 405 on a mounted path with the middleware its routes share, unchecked", async () => {
    const api = createApi({ accessLog: false })
      .provide("db", () => "main")
      .use(async (_input, next) => next())
      .mount("/v1", loose);
    const answer = await inject(api, { method: "DELETE", path: "/v1/items/7" });
    assert.equal(answer.status, 405);
    assert.equal(answer.headers.allow, "GET, HEAD, OPTIONS, PUT");
    assert.equal(answer.headers["x-trail"], "child");
  });

  for (const [label, expects, message] of [
    [
      "an empty array",
      [],
      "expects must be a non-empty array of the names a mounted Api receives, got an array",
    ],
    [
      "a string",
      "db",
      'expects must be a non-empty array of the names a mounted Api receives, got "db"',
    ],
    [
      "a route input key",
      ["db", "body"],
      'expects[1] must be a name that is not a route input key (like "body"), got "body"',
    ],
    [
      "an empty name",
      [""],
      'expects[0] must be a name that is not a route input key (like "body"), got ""',
    ],
    [
      "a number",
      [1],
      'expects[0] must be a name that is not a route input key (like "body"), got 1',
    ],
  ] as const) {
    it(`refuses expects given ${label}`, () => {
      const options = { expects } as unknown as Parameters<typeof createApi>[0];
      assert.throws(() => createApi(options), { name: "TypeError", message });
    });
  }
});
