// call: one route of an Api run by its key, its inputs validated, no HTTP and no middleware.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { type Api, createApi, getLogger, HTTPException } from "../../lib/index.js";
import { call } from "../../lib/testing/index.js";

const Item = v.object({ name: v.pipe(v.string(), v.minLength(1)), price: v.number() });

let created = 0;
const api = createApi()
  .provide("db", () => {
    created++;
    return { find: (id: number) => (id === 404 ? undefined : { id, name: "pen" }) };
  })
  .get(
    "/items/{id}",
    ({ params, db }) => {
      const item = db.find(params.id);
      if (!item) throw new HTTPException(404, "Item not found");
      return item;
    },
    { params: v.object({ id: v.pipe(v.string(), v.transform(Number)) }) },
  )
  .post("/items", ({ body }) => ({ created: body }), { body: Item, status: 201 })
  .get("/search", ({ query, headers, cookies }) => ({
    query,
    lang: headers["accept-language"],
    cookies,
  }))
  .get("/files/{path+}", ({ params, request }) => ({ path: params.path, at: request.path }))
  .post("/raw", ({ request }) => request.text())
  .use(async (_input, next) => next({ user: "from middleware" }))
  .get("/me", ({ user }) => ({ user }))
  .get("/logged", ({ log }) => {
    getLogger().user_id = "u1";
    return log;
  });

describe("call", () => {
  it("resolves to the route's return value, params validated and resources provided", async () => {
    assert.deepEqual(await call(api, "GET /items/{id}", { params: { id: "7" } }), {
      id: 7,
      name: "pen",
    });
  });

  it("rejects with the route's own HTTPException", async () => {
    await assert.rejects(call(api, "GET /items/{id}", { params: { id: "404" } }), {
      name: "HTTPException",
      status: 404,
      detail: "Item not found",
    });
  });

  it("rejects with an HTTPException 422 whose detail lists the issues", async () => {
    // A body the schema's input refuses is a type error too: cast to reach the run-time check.
    const body = { name: "", price: "1" } as unknown as v.InferInput<typeof Item>;
    await assert.rejects(call(api, "POST /items", { body }), (error) => {
      assert.ok(error instanceof HTTPException);
      assert.equal(error.status, 422);
      assert.deepEqual(
        (error.detail as { loc: unknown[]; type: string }[]).map((i) => [i.loc, i.type]),
        [
          [["body", "name"], "min_length"],
          [["body", "price"], "number"],
        ],
      );
      return true;
    });
  });

  it("passes a valid body to the route as the schema's output", async () => {
    assert.deepEqual(await call(api, "POST /items", { body: { name: "a", price: 1 } }), {
      created: { name: "a", price: 1 },
    });
  });

  it("gives the route query, headers (lowercase names) and cookies", async () => {
    const out = await call(api, "GET /search", {
      query: { q: "pen", tag: ["a", "b"] },
      headers: { "Accept-Language": "fr" },
      cookies: { sid: "s 1" },
    });
    assert.deepEqual(out, { query: { q: "pen", tag: "b" }, lang: "fr", cookies: { sid: "s 1" } });
  });

  it("fills the path template from params, each segment percent-encoded", async () => {
    assert.deepEqual(await call(api, "GET /files/{path+}", { params: { path: "a b/c.txt" } }), {
      path: "a b/c.txt",
      at: "/files/a%20b/c.txt",
    });
  });

  it("sends a string body as is", async () => {
    assert.equal(await call(api, "POST /raw", { body: "not json" }), "not json");
  });

  it("runs no middleware: what middleware adds is given as a part", async () => {
    assert.deepEqual(await call(api, "GET /me"), { user: undefined });
    assert.deepEqual(await call(api, "GET /me", { user: "ann" }), { user: "ann" });
  });

  it("gives getLogger() inside the route the record it gets as log", async () => {
    const log = (await call(api, "GET /logged")) as Record<string, unknown>;
    assert.equal(log.user_id, "u1");
    assert.equal(log.method, "GET");
    assert.equal(log.path, "/logged");
  });

  it("uses a resource given by name instead of creating the provided one", async () => {
    const before = created;
    const db = { find: (id: number) => ({ id, name: "fake" }) };
    assert.deepEqual(await call(api, "GET /items/{id}", { params: { id: "2" }, db }), {
      id: 2,
      name: "fake",
    });
    assert.equal(created, before);
  });

  it("refuses an unknown key with a TypeError naming the routes the Api has", async () => {
    await assert.rejects(
      // An unknown key is a type error too: cast to reach the run-time check.
      call(createApi().get("/a", () => 1) as Api, "GET /nope"),
      {
        name: "TypeError",
        message: 'call: the Api has no route "GET /nope"; it has "GET /a"',
      },
    );
    await assert.rejects(call(createApi(), "GET /nope"), {
      message: 'call: the Api has no route "GET /nope"; it has none',
    });
  });

  it("refuses something that is not an Api", async () => {
    await assert.rejects(call({} as never, "GET /"), {
      name: "TypeError",
      message: "call: the first argument must be an Api made by createApi()",
    });
  });

  describe("with claims", () => {
    const secured = createApi().get(
      "/me",
      ({ claims, request }) => ({
        sub: claims.sub,
        scopes: request.auth?.kind === "jwt" ? request.auth.scopes : [],
      }),
      { claims: v.object({ sub: v.pipe(v.string(), v.minLength(1)) }) },
    );

    it("gives the claims as a JWT authorizer's, checked by the route's claims schema", async () => {
      assert.deepEqual(
        await call(secured, "GET /me", { claims: { sub: "u1", scope: "read write" } }),
        { sub: "u1", scopes: ["read", "write"] },
      );
    });

    it("rejects with an HTTPException 401 without claims", async () => {
      await assert.rejects(call(secured, "GET /me"), {
        name: "HTTPException",
        status: 401,
        detail: "Unauthorized",
      });
    });

    it("rejects with an HTTPException 403 when the claims fail the schema", async () => {
      await assert.rejects(call(secured, "GET /me", { claims: { sub: "" } }), (error) => {
        assert.ok(error instanceof HTTPException);
        assert.equal(error.status, 403);
        assert.equal(error.detail, "Forbidden");
        return true;
      });
    });
  });
});
