// api.mount: another Api's routes under a prefix, with their middleware, hooks, providers and timeouts.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createApi, HTTPException, type Middleware } from "../lib/index.js";
import { withDocs } from "../lib/openapi/index.js";
import { inject } from "../lib/testing/index.js";

/** Appends `name` to the `x-trail` header of the answer, so the order of middleware shows. */
const mark =
  (name: string): Middleware =>
  async (_input, next) => {
    const answer = await next();
    const before = answer.headers["x-trail"];
    answer.headers["x-trail"] = before ? `${String(before)},${name}` : name;
    return answer;
  };

class GoneError extends Error {}

const items = createApi({ accessLog: false, timeoutMs: 20 })
  .provide("store", () => ({ get: (id: string) => ({ id }) }))
  .use(mark("child"))
  .get("/", () => "items home")
  .get("/items/{id}", ({ params, store }) => store.get(params.id))
  .get("/slow", () => new Promise(() => {}))
  .get("/gone", () => {
    throw new GoneError("old");
  })
  .onError(GoneError, () => {
    throw new HTTPException(410);
  });

describe("mount", () => {
  it("serves the mounted routes under the prefix, with their providers", async () => {
    const api = createApi({ accessLog: false }).mount("/v1", items);
    assert.deepEqual(
      api.routes.map((r) => r.name),
      ["GET /v1", "GET /v1/items/{id}", "GET /v1/slow", "GET /v1/gone"],
    );
    const one = await inject(api, { path: "/v1/items/7" });
    assert.equal(one.status, 200);
    assert.deepEqual(one.json(), { id: "7" });
    assert.equal((await inject(api, { path: "/v1" })).json(), "items home");
    assert.equal((await inject(api, { path: "/items/7" })).status, 404);
  });

  it("wraps mounted routes in the parent's earlier middleware, outside their own", async () => {
    const api = createApi({ accessLog: false })
      .use(mark("parent"))
      .get("/own", () => "own")
      .mount("/v1", items)
      .use(mark("late"))
      .get("/after", () => "after");
    assert.equal((await inject(api, { path: "/v1/items/1" })).headers["x-trail"], "child,parent");
    assert.equal((await inject(api, { path: "/own" })).headers["x-trail"], "parent");
    assert.equal((await inject(api, { path: "/after" })).headers["x-trail"], "late,parent");
  });

  it("keeps the mounted Api's error hooks and timeout for its routes", async () => {
    const api = createApi({ accessLog: false, timeoutMs: 5_000 })
      .get("/gone", () => {
        throw new GoneError("parent's");
      })
      .mount("/v1", items);
    const gone = await inject(api, { path: "/v1/gone" });
    assert.equal(gone.status, 410);
    await assert.rejects(inject(api, { path: "/gone" }), GoneError);
    const slow = await inject(api, { path: "/v1/slow" });
    assert.equal(slow.status, 504);
  });

  it("checks the parent's hooks after the mounted Api's", async () => {
    class TeapotError extends Error {}
    const child = createApi({ accessLog: false }).get("/tea", () => {
      throw new TeapotError("short and stout");
    });
    const api = createApi({ accessLog: false })
      .mount("/v1", child)
      .onError(TeapotError, () => {
        throw new HTTPException(418);
      });
    assert.equal((await inject(api, { path: "/v1/tea" })).status, 418);
  });

  it("leaves the mounted Api usable and testable on its own", async () => {
    createApi({ accessLog: false }).mount("/v1", items);
    const res = await inject(items, { path: "/items/2" });
    assert.deepEqual(res.json(), { id: "2" });
    assert.equal(res.headers["x-trail"], "child");
  });

  it("mounts at / without a prefix", async () => {
    const api = createApi({ accessLog: false }).mount("/", items);
    assert.equal((await inject(api, { path: "/items/3" })).status, 200);
  });

  it("does not carry the mounted Api's docs routes, whose paths lack the prefix", () => {
    const documented = withDocs(items, { title: "Items", version: "1" });
    const api = createApi().mount("/v1", documented);
    assert.equal(
      api.routes.some((r) => r.name.includes("openapi")),
      false,
    );
  });

  const clashes: [what: string, make: () => unknown, message: string][] = [
    [
      "a parent route with the same method and path",
      () =>
        createApi()
          .get("/v1/items/{key}", () => 1)
          .mount("/v1", items),
      'mount("/v1"): GET /v1/items/{id} (GET /items/{id} of the mounted Api) clashes with GET /v1/items/{key}, already registered',
    ],
    [
      "two mounts of the same routes",
      () => createApi().mount("/v1", items).mount("/v1/", items),
      'mount("/v1/"): GET /v1 (GET / of the mounted Api) is already registered',
    ],
    [
      "a route registered after the mount",
      () =>
        createApi()
          .mount("/v1", items)
          .get("/v1/slow", () => 1),
      "GET /v1/slow is already registered",
    ],
  ];
  for (const [what, make, message] of clashes) {
    it(`throws at build time for ${what}, naming both routes`, () => {
      assert.throws(make, { name: "TypeError", message });
    });
  }

  const prefixes: [prefix: unknown, message: string][] = [
    [
      "v1",
      'mount: the prefix must be a static path starting with "/" (parameters belong to the mounted routes), got "v1"',
    ],
    [
      "/t/{tenant}",
      'mount: the prefix must be a static path starting with "/" (parameters belong to the mounted routes), got "/t/{tenant}"',
    ],
    [
      1,
      'mount: the prefix must be a static path starting with "/" (parameters belong to the mounted routes), got 1',
    ],
    ["/a//b", 'Invalid path template "/a//b": empty segment (two slashes in a row)'],
  ];
  for (const [prefix, message] of prefixes) {
    it(`refuses the prefix ${JSON.stringify(prefix)}`, () => {
      assert.throws(() => createApi().mount(prefix as string, items), {
        name: "TypeError",
        message,
      });
    });
  }

  it("refuses something that is not an Api", () => {
    assert.throws(() => createApi().mount("/v1", { routes: [] } as never), {
      name: "TypeError",
      message: "mount: the second argument must be an Api made by createApi()",
    });
  });
});
