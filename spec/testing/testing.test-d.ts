// Type-level tests, compiled by tsc in `npm test`: routeInput builds a route argument with no cast; call is typed from the route map.

import * as v from "valibot";
import { type Api, createApi, HTTPException, type RouteInput } from "../../lib/index.js";
import { withDocs } from "../../lib/openapi/index.js";
import { call, routeInput } from "../../lib/testing/index.js";

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

const Item = v.object({ name: v.string(), price: v.number() });
interface Db {
  find(id: string): { id: string } | undefined;
}

const getItem = ({ params }: RouteInput<"/items/{id}", {}>) => ({ id: params.id });
const saveItem = ({ body, db }: RouteInput<"/items", { body: typeof Item }, { db: Db }>) => ({
  ...body,
  found: db.find("1"),
});
const me = ({ user, response }: RouteInput<"/me", {}, { user: { name: string } }>) => {
  response.status = 200;
  return user.name;
};

// Whole route arguments from partial ones, no cast.
getItem(routeInput({ params: { id: "1" } }));
saveItem(routeInput({ body: { name: "a", price: 1 }, db: { find: (id: string) => ({ id }) } }));
me(routeInput({ user: { name: "ann" } }));

// The parts given keep their types; the rest have the defaults' types.
const input = routeInput({ params: { id: "1" }, user: "ann" });
type _params = Expect<Equal<typeof input.params, { id: string }>>;
type _user = Expect<Equal<typeof input.user, string>>;
type _body = Expect<Equal<typeof input.body, unknown>>;
type _signal = Expect<Equal<typeof input.signal, AbortSignal>>;

// A part missing or of the wrong type is a type error.
// @ts-expect-error params lacks `id`
getItem(routeInput({}));
// @ts-expect-error a wrong params key
getItem(routeInput({ params: { key: "1" } }));
// @ts-expect-error the body does not fit the schema's output
saveItem(routeInput({ body: { name: "a" }, db: { find: () => undefined } }));
// @ts-expect-error the provided resource is missing
saveItem(routeInput({ body: { name: "a", price: 1 } }));
// @ts-expect-error the middleware addition has the wrong type
me(routeInput({ user: "ann" }));

const api = createApi().get("/items/{id}", getItem);
const result = call(api, "GET /items/{id}", { params: { id: "1" } });
type _result = Expect<Equal<typeof result, Promise<{ id: string }>>>;
// @ts-expect-error not in the route's context
call(api, "GET /items/{id}", { params: { id: "1" }, user: "ann" });
// @ts-expect-error no route of that key
call(api, "GET /nope");
// @ts-expect-error the path has parameters: params are required
call(api, "GET /items/{id}");
// @ts-expect-error a wrong params key
call(api, "GET /items/{id}", { params: { key: "1" } });
// @ts-expect-error not a method a route key has
call(api, "FETCH /items/{id}");
// @ts-expect-error a key is a method and a path starting with "/"
call(api, "GET items");
// @ts-expect-error params are strings, as a path gives them
call(api, "GET /items/{id}", { params: { id: 1 } });
// @ts-expect-error not an Api
call({}, "GET /items/{id}");

// Every part typed from the route: body and claims by their schemas' input, context by its names.
const typed = createApi()
  .provide("db", (): Db => ({ find: (id) => ({ id }) }))
  .post("/items", ({ body, db }) => ({ ...body, found: db.find("1") }), { body: Item })
  .use(async (_input, next) => next({ user: { name: "ann" } }))
  .get("/me/", async ({ user }) => user.name)
  .get(
    "/mine",
    ({ claims }) => {
      if (!claims.sub) throw new HTTPException(403);
      return { sub: claims.sub };
    },
    { claims: v.object({ sub: v.string() }), response: v.object({ sub: v.string() }) },
  );
const saved = call(typed, "POST /items", { body: { name: "a", price: 1 } });
type _saved = Expect<
  Equal<typeof saved, Promise<{ found: { id: string } | undefined; name: string; price: number }>>
>;
// @ts-expect-error the body does not fit the schema's input
call(typed, "POST /items", { body: { name: "a", price: "1" } });
// @ts-expect-error the body schema takes no undefined: the body is required
call(typed, "POST /items", {});
call(typed, "POST /items", { body: { name: "a", price: 1 }, db: { find: () => undefined } });
// @ts-expect-error the resource given has the wrong type
call(typed, "POST /items", { body: { name: "a", price: 1 }, db: "db" });
// The key has the registered template's trailing slash removed, as api.routes names it.
const named: Promise<string> = call(typed, "GET /me", { user: { name: "ann" } });
void named;
// @ts-expect-error the middleware addition has the wrong type
call(typed, "GET /me", { user: "ann" });
// @ts-expect-error a key keeps its method
call(typed, "POST /me");
call(typed, "GET /mine", { claims: { sub: "u1", scope: "read" } });
// @ts-expect-error the claims do not fit the schema's input
call(typed, "GET /mine", { claims: { sub: 1 } });

// Mounted routes under their prefix; withDocs and the other methods keep the routes.
const v1 = createApi()
  .mount("/v1/", typed)
  .onError(Error, () => "oops")
  .notFound(() => "none");
call(v1, "GET /v1/me", { user: { name: "ann" } });
call(withDocs(v1, { title: "Items", version: "1" }), "GET /v1/mine", { claims: { sub: "u1" } });
call(createApi().mount("/", api), "GET /items/{id}", { params: { id: "1" } });
// @ts-expect-error the mounted route is under the prefix only
call(v1, "GET /me", { user: { name: "ann" } });

// An Api whose type records no routes takes any route key, its parts untyped.
const untyped: Api = api;
const loose: Promise<unknown> = call(untyped, "GET /anything", { params: { id: "1" } });
void loose;
