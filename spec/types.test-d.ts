// Type tests (compiled by tsc, never run): path templates type `params`, the route input, and provide().

import * as v from "valibot";
import {
  type Api,
  createApi,
  type PathParams,
  type Request,
  type ResponseState,
  type RouteInput,
} from "../lib/index.js";

/** True when A and B are the same type (not merely assignable either way). */
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only when T is true. */
type Expect<T extends true> = T;

/** Every assertion below, kept in one exported tuple so none is an unused local. */
export type PathParamTests = [
  Expect<Equal<PathParams<"/items/{id}">, { id: string }>>,
  Expect<Equal<PathParams<"/files/{rest+}">, { rest: string }>>,
  Expect<Equal<PathParams<"/a/{x}/b/{y+}">, { x: string; y: string }>>,
  Expect<Equal<PathParams<"/items/{id}/">, { id: string }>>,
  Expect<Equal<PathParams<"/">, {}>>,
  Expect<Equal<PathParams<"/items">, {}>>,
  Expect<Equal<PathParams<string>, Record<string, string>>>,
];

const api = createApi();

/** The path template alone types `params`; no type argument is written anywhere. */
export const withParams = api
  .get("/items/{id}", ({ params }) => {
    const checks: [Expect<Equal<typeof params, { id: string }>>] = [true];
    // @ts-expect-error `nope` is not a parameter of "/items/{id}".
    params.nope;
    return checks;
  })
  .get("/files/{rest+}", ({ params }) => {
    const checks: [Expect<Equal<typeof params, { rest: string }>>] = [true];
    // @ts-expect-error `path` is not a parameter of "/files/{rest+}".
    params.path;
    return checks;
  })
  .get("/", ({ params }) => {
    const checks: [Expect<Equal<typeof params, {}>>] = [true];
    // @ts-expect-error a template without parameters gives no parameters.
    params.id;
    return checks;
  });

/** A route without schemas: `unknown` body, string records for query and headers. */
export const withoutSchemas = api.post("/plain", (input) => {
  const checks: [
    Expect<Equal<typeof input.body, unknown>>,
    Expect<Equal<typeof input.query, Readonly<Record<string, string>>>>,
    Expect<Equal<typeof input.headers, Readonly<Record<string, string>>>>,
    Expect<Equal<typeof input.cookies, Readonly<Record<string, string>>>>,
    Expect<Equal<typeof input.request, Request>>,
    Expect<Equal<typeof input.response, ResponseState>>,
    Expect<Equal<typeof input.signal, AbortSignal>>,
  ] = [true, true, true, true, true, true, true];
  // @ts-expect-error an unvalidated body is unknown: it must be narrowed before use.
  input.body.name;
  return checks;
});

/** The same promise as a type: RouteInput of a template with no options. */
export type RouteInputTests = [
  Expect<Equal<RouteInput<"/u/{uid}", {}>["params"], { uid: string }>>,
  Expect<Equal<RouteInput<"/u", {}>["body"], unknown>>,
];

/** provide() adds a typed key to the input of the routes registered after it. */
export const provided = api
  .provide("db", async () => ({ query: (sql: string) => sql.length }))
  .provide("flag", () => true)
  .get("/db", ({ db, flag }) => {
    const checks: [
      Expect<Equal<typeof db, { query: (sql: string) => number }>>,
      Expect<Equal<typeof flag, boolean>>,
    ] = [true, true];
    return checks;
  });

/** The Api type carries the provided keys. */
export type ProvidedApiTests = [
  Expect<Equal<typeof provided, Api<{ db: { query: (sql: string) => number }; flag: boolean }>>>,
];

/** Without provide("db"), a route's input has no `db`. */
// @ts-expect-error a route on an Api without provide("db") has no `db`.
export const notProvided = api.get("/db", ({ db }) => db);

/** The `status` option is a number, not a string. */
// @ts-expect-error `status` is a number.
export const badStatus = api.get("/", () => 1, { status: "201" });

/** Options come after the function yet type it: a `response` schema checks the return value. */
export const checkedReturn = api.get("/item", () => ({ name: "a" }), {
  response: v.object({ name: v.string() }),
});

/** A return value that does not match the `response` schema is a compile error. */
// @ts-expect-error the return value does not match the `response` schema.
export const wrongReturn = api.get("/item", () => ({ name: 1 }), {
  response: v.object({ name: v.string() }),
});
