// Type-level tests, compiled by tsc in `npm test`: middleware additions type later routes, inferred, no annotation.

import * as v from "valibot";
import {
  createApi,
  defineMiddleware,
  HTTPException,
  JSONResponse,
  type MiddlewareInput,
  type Next,
  type Response,
} from "../lib/index.js";
import { compress, cors, etag } from "../lib/middleware/index.js";

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

interface User {
  id: string;
  roles: readonly string[];
}
declare function verify(token: string | undefined): Promise<User>;

// What next() receives types the routes registered after use(), without an annotation.
const authed = createApi()
  .get("/health", (input) => {
    // @ts-expect-error no user before the middleware is registered
    input.user;
    return "ok";
  })
  .use(async ({ headers }, next) => next({ user: await verify(headers.authorization) }))
  .get("/me", ({ user }) => {
    type _user = Expect<Equal<typeof user, User>>;
    return user.id;
  });

// Later middleware see earlier additions; additions accumulate and a later one wins a name.
authed
  .use(async ({ user }, next) => {
    type _user = Expect<Equal<typeof user, User>>;
    return next({ admin: user.roles.includes("admin"), user: user.id });
  })
  .get("/admin", ({ admin, user }) => {
    type _admin = Expect<Equal<typeof admin, boolean>>;
    type _user = Expect<Equal<typeof user, string>>;
    return admin;
  });

// A short-circuit branch (a value, a JSONResponse, a throw) keeps the additions of the next() branch.
createApi()
  .use(async ({ headers }, next) => {
    if (!headers.authorization) return new JSONResponse({ detail: "Log in" }, { status: 401 });
    if (headers.authorization === "banned") throw new HTTPException(403);
    if (headers.authorization === "legacy") return { detail: "upgrade" };
    const answer = await next({ token: headers.authorization });
    answer.headers["x-auth"] = "1";
    return answer;
  })
  .get("/t", ({ token }) => {
    type _token = Expect<Equal<typeof token, string>>;
    return token;
  });

// A middleware adding nothing leaves the route input as it was.
createApi()
  .use(async (_input, next) => next())
  .use(cors({ origin: "https://app.example.com" }))
  .use(compress())
  .use(etag())
  .get("/plain", (input) => {
    type _keys = Expect<
      Equal<
        keyof typeof input,
        | "body"
        | "query"
        | "params"
        | "headers"
        | "cookies"
        | "request"
        | "response"
        | "log"
        | "signal"
      >
    >;
    return 1;
  });

// Additions cannot take the name of a route input key.
createApi().use(async (_input, next) =>
  // @ts-expect-error "body" is reserved
  next({ body: 1 }),
);

// The middleware input: raw query and headers, the matched template, and what came before.
createApi()
  .provide("db", () => ({ ping: (): boolean => true }))
  .use(async (input, next) => {
    type _query = Expect<Equal<typeof input.query, Readonly<Record<string, string>>>>;
    type _route = Expect<Equal<typeof input.route, string | undefined>>;
    type _allow = Expect<Equal<typeof input.allow, readonly string[] | undefined>>;
    type _db = Expect<Equal<typeof input.db, { ping: () => boolean }>>;
    // @ts-expect-error the body is validated later, by the route's schema: middleware read `request`
    input.body;
    return next();
  });

// next() resolves to a Response whose content is the rendered body.
createApi().use(async (_input, next) => {
  const answer = await next();
  type _content = Expect<Equal<typeof answer.content, string | Uint8Array | undefined>>;
  type _isResponse = Expect<typeof answer extends Response<unknown> ? true : false>;
  return answer;
});

// A route's `use` option: middleware made with defineMiddleware type the route, schemas still apply.
const tenant = defineMiddleware(async ({ headers }, next) => next({ tenant: headers["x-tenant"] }));
const audit = defineMiddleware(async (_input, next) => next({ auditId: 42 }));
createApi().post(
  "/items/{id}",
  ({ body, params, tenant, auditId }) => {
    type _body = Expect<Equal<typeof body, { name: string }>>;
    type _params = Expect<Equal<typeof params, { id: string }>>;
    type _tenant = Expect<Equal<typeof tenant, string | undefined>>;
    type _audit = Expect<Equal<typeof auditId, number>>;
    return { ok: true };
  },
  { body: v.object({ name: v.string() }), use: [tenant, audit] },
);

// A route-level middleware that needs an addition the route does not have is refused.
const needsUser = async (input: MiddlewareInput<{ user: User }>, next: () => Promise<unknown>) => {
  input.user.id;
  return next();
};
createApi().get("/x", () => 1, {
  // @ts-expect-error no user on this Api
  use: [needsUser],
});
authed.get("/y", () => 1, { use: [needsUser] });

// onError hooks get the error typed by its class; notFound the middleware input.
class NotFoundError extends Error {
  readonly id = "x";
}
createApi()
  .onError(NotFoundError, (error, { request }) => {
    type _error = Expect<Equal<typeof error, NotFoundError>>;
    return { detail: `${error.id} at ${request.path}` };
  })
  .notFound(({ route }) => {
    type _route = Expect<Equal<typeof route, string | undefined>>;
    return null;
  })
  .methodNotAllowed(({ allow }) => allow);

// mount keeps the parent's types; the mounted Api's additions stay its own.
const child = createApi()
  .use(async (_input, next) => next({ childOnly: true }))
  .get("/c", ({ childOnly }) => childOnly);
authed.mount("/v1", child).get("/after-mount", ({ user }) => {
  type _user = Expect<Equal<typeof user, User>>;
  // @ts-expect-error childOnly belongs to the mounted Api's routes
  return user.id + childOnly;
});

// Options are checked when the middleware is made.
// @ts-expect-error origin must be a string, list, RegExp or function
cors({ origin: 42 });
// @ts-expect-error "zstd" is not offered
compress({ encodings: ["zstd"] });

// An inline middleware in a route's `use` would hide the route's option types: the error names
// defineMiddleware, and the inline function's input is still typed (no implicit any).
createApi()
  .provide("tenant", () => "acme")
  .post("/inline", ({ tenant }) => tenant, {
    body: v.object({ n: v.number() }),
    use: [
      // @ts-expect-error an inline middleware hides the route's option types: pass defineMiddleware(fn)
      async ({ headers, tenant }, next) => {
        type _headers = Expect<Equal<typeof headers, Readonly<Record<string, string>>>>;
        type _tenant = Expect<Equal<typeof tenant, string>>;
        return next();
      },
    ],
  });

// Annotated, it infers the options as a defined one does.
createApi().post("/annotated", ({ body }) => body.n, {
  body: v.object({ n: v.number() }),
  use: [async (_input: MiddlewareInput, next: Next) => next()],
});

// Route input keys are type errors for provide and next(), with messages that say why.
// @ts-expect-error "body" is a route input key: provide it under another name
createApi().provide("body", () => 1);
// @ts-expect-error "route" is a route input key: provide it under another name
createApi().provide("route", () => 1);
// @ts-expect-error "body" is a route input key: add it under another name
createApi().use(async (_input, next) => next({ body: 1 }));
createApi().use(async (_input, next) =>
  // @ts-expect-error "signal" is a route input key, whatever the value
  next({ user: "a", signal: new AbortController().signal }),
);
