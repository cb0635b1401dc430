// Type-level tests, compiled by tsc in `npm test`: a sub-API typed with what its parent gives it, and mount checked against it.

import { type Api, createApi, defineMiddleware, HTTPException } from "../lib/index.js";

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

interface Db {
  find(id: string): Promise<{ id: string }>;
}
interface User {
  id: string;
}
declare function connect(): Promise<Db>;
declare function verify(token: string | undefined): Promise<User>;
class NotFoundError extends Error {}

// The sub-API's routes, middleware and hooks see what it expects, typed.
const items = createApi<{ db: Db; user: User }>({ expects: ["db", "user"] })
  .use(async ({ user }, next) => {
    type _user = Expect<Equal<typeof user, User>>;
    return next({ owner: user.id });
  })
  .get("/items/{id}", ({ params, db, user, owner }) => {
    type _db = Expect<Equal<typeof db, Db>>;
    type _user = Expect<Equal<typeof user, User>>;
    type _owner = Expect<Equal<typeof owner, string>>;
    return db.find(params.id);
  })
  .onError(NotFoundError, (_error, { user }) => {
    // Optional: an error in the parent's middleware reaches the hook before it added the name.
    type _user = Expect<Equal<typeof user, User | undefined>>;
    throw new HTTPException(404);
  });

// What it provides itself is not expected from the parent.
const own = createApi<{ user: User }>({ expects: ["user"] })
  .provide("cache", () => new Map<string, string>())
  .get("/me", ({ user, cache }) => cache.get(user.id) ?? user.id);
type _ownType = Expect<
  Equal<typeof own, Api<{ user: User; cache: Map<string, string> }, { user: User }>>
>;

const auth = createApi()
  .provide("db", () => connect())
  .use(async ({ headers }, next) => next({ user: await verify(headers.authorization) }));

// Mounted where the parent provides both: fine, and the parent keeps its own type.
const api = auth.mount("/v1", items).mount("/v1", own);
type _api = Expect<Equal<typeof api, typeof auth>>;

// @ts-expect-error the parent does not provide "user" before the mount
createApi().provide("db", connect).mount("/v1", items);

// @ts-expect-error nothing is provided before the mount
createApi().mount("/v1", items).provide("db", connect);

createApi()
  .provide("db", connect)
  .use(async (_input, next) => next({ user: "someone" }))
  // @ts-expect-error "user" is a string here, and the sub-API expects a User
  .mount("/v1", items);

// A parent that is itself a sub-API passes on what it expects.
createApi<{ db: Db }>({ expects: ["db"] })
  .use(async (_input, next) => next({ user: { id: "1" } }))
  .mount("/items", items);

// An Api that expects nothing mounts anywhere.
createApi().mount(
  "/health",
  createApi().get("/", () => "ok"),
);

// Typed with a Context, the names are required, and must be names of it.
// @ts-expect-error expects is required when a Context is declared
createApi<{ db: Db }>();
// @ts-expect-error "dbs" is not a name of the Context
createApi<{ db: Db }>({ expects: ["dbs"] });
// @ts-expect-error at least one name
createApi<{ db: Db }>({ expects: [] });
// Without a Context, no names.
// @ts-expect-error nothing to expect
createApi({ expects: ["db"] });

// Middleware defined apart sees nothing expected, as before.
defineMiddleware(async (_input, next) => next());
