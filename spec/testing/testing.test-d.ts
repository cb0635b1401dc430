// Type-level tests, compiled by tsc in `npm test`: routeInput builds a route argument with no cast; call takes route keys.

import * as v from "valibot";
import { createApi, type RouteInput } from "../../lib/index.js";
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
const result: Promise<unknown> = call(api, "GET /items/{id}", { params: { id: "1" } });
void result;
call(api, "GET /items/{id}", { params: { id: "1" }, user: "ann" });
// @ts-expect-error not a method a route key has
call(api, "FETCH /items/{id}");
// @ts-expect-error a key is a method and a path starting with "/"
call(api, "GET items");
// @ts-expect-error params are strings, as a path gives them
call(api, "GET /items/{id}", { params: { id: 1 } });
// @ts-expect-error not an Api
call({}, "GET /items/{id}");
