// Type-level tests, compiled by tsc in `npm test`: `request.auth` narrowed by kind, and the `claims` option's typed input.

import * as v from "valibot";
import { createApi, type RequestAuth } from "../lib/index.js";

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

const Claims = v.object({ sub: v.string(), exp: v.pipe(v.string(), v.transform(Number)) });

createApi()
  .get(
    "/me",
    ({ claims }) => {
      type _claims = Expect<Equal<typeof claims, { sub: string; exp: number }>>;
      // @ts-expect-error the schema names no `email`
      claims.email;
      return claims.sub;
    },
    { claims: Claims },
  )
  .get("/public", (input) => {
    // @ts-expect-error a route without the `claims` option has no `claims` input
    input.claims;
    return null;
  })
  .get(
    "/async",
    ({ claims }) => {
      type _async = Expect<Equal<typeof claims, { tenant: string }>>;
      return null;
    },
    { claims: v.objectAsync({ tenant: v.string() }) },
  )
  .get("/who", ({ request }) => {
    const auth = request.auth;
    type _auth = Expect<Equal<typeof auth, RequestAuth | undefined>>;
    // @ts-expect-error auth may be undefined
    auth.kind;
    if (auth?.kind === "jwt") {
      type _jwt = Expect<Equal<typeof auth.scopes, readonly string[]>>;
      return auth.claims.sub;
    }
    if (auth?.kind === "lambda") {
      type _ctx = Expect<Equal<typeof auth.principalId, string | undefined>>;
      return auth.context;
    }
    if (auth?.kind === "iam") return auth.userArn;
    // @ts-expect-error `claims` is only on the jwt kind
    return auth?.claims;
  });

// @ts-expect-error `claims` takes a valibot schema
createApi().get("/bad", () => null, { claims: { sub: "string" } });
