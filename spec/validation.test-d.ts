// Type-level tests, compiled by tsc in `npm test`: route inputs and returns inferred from schemas.

import * as v from "valibot";
import {
  type AnyResponse,
  createApi,
  JSONResponse,
  type LogRecord,
  type Request,
  Response,
  type ResponseState,
  type RouteInput,
  type RouteReturn,
} from "../lib/index.js";

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;
type IsAny<T> = 0 extends 1 & T ? true : false;
type NoAny<T> = { [K in keyof T]: IsAny<T[K]> }[keyof T] extends false ? true : false;

type StringRecord = Readonly<Record<string, string>>;

const Item = v.object({
  name: v.pipe(v.string(), v.minLength(1)),
  price: v.pipe(v.number(), v.minValue(0)),
});
type ItemT = { name: string; price: number };

const api = createApi();

// Without schemas: the untyped defaults, params from the template, no `any` anywhere.
api.get("/files/{bucket}/{key+}", (input) => {
  type _input = Expect<
    Equal<
      typeof input,
      {
        body: unknown;
        query: StringRecord;
        params: { bucket: string; key: string };
        headers: StringRecord;
        cookies: StringRecord;
        request: Request;
        response: ResponseState;
        log: LogRecord;
        signal: AbortSignal;
      }
    >
  >;
  type _noAny = Expect<NoAny<typeof input>>;
  return input.params.key;
});
type _noResponse = Expect<Equal<RouteReturn<{}>, unknown>>;

// Every part typed from its schema's OUTPUT; the options come after the function yet type it.
api.post(
  "/items/{id}",
  ({ body, query, params, headers }) => {
    type _body = Expect<Equal<typeof body, { name: string; price: number; note: string }>>;
    type _query = Expect<
      Equal<typeof query, { limit: number; tag: string[]; active: boolean; q?: string | undefined }>
    >;
    type _params = Expect<Equal<typeof params, { id: number }>>;
    type _headers = Expect<Equal<typeof headers, { "x-api-key": string }>>;
    return null;
  },
  {
    body: v.object({ ...Item.entries, note: v.optional(v.string(), "none") }),
    query: v.object({
      limit: v.pipe(v.string(), v.toNumber(), v.integer()),
      tag: v.optional(v.array(v.string()), []),
      active: v.pipe(
        v.picklist(["true", "false"]),
        v.transform((s) => s === "true"),
      ),
      q: v.optional(v.string()),
    }),
    params: v.object({ id: v.pipe(v.string(), v.toNumber()) }),
    headers: v.object({ "x-api-key": v.string() }),
    status: 201,
  },
);

// Async schemas type the input like sync ones.
api.post(
  "/users",
  ({ body, query }) => {
    type _body = Expect<Equal<typeof body, { name: string; age: number }>>;
    type _query = Expect<Equal<typeof query, { invite: string }>>;
  },
  {
    body: v.objectAsync({
      name: v.pipeAsync(
        v.string(),
        v.checkAsync(async () => true),
      ),
      age: v.pipeAsync(
        v.string(),
        v.transformAsync(async (s) => Number(s)),
      ),
    }),
    query: v.pipeAsync(
      v.objectAsync({ invite: v.string() }),
      v.checkAsync(async () => true),
    ),
  },
);

// A schema for one part leaves the others untyped.
api.get(
  "/only/{id}",
  ({ body, query, params }) => {
    type _body = Expect<Equal<typeof body, unknown>>;
    type _query = Expect<Equal<typeof query, { q: string }>>;
    type _params = Expect<Equal<typeof params, { id: string }>>;
  },
  { query: v.object({ q: v.string() }) },
);

// Provided resources join the input, flattened (readable on hover).
api
  .provide("db", () => ({ find: (id: string) => id }))
  .get(
    "/p/{id}",
    (input) => {
      type _db = Expect<Equal<typeof input.db, { find: (id: string) => string }>>;
      type _body = Expect<Equal<typeof input.body, ItemT>>;
    },
    { body: Item },
  );
type _flat = Expect<
  Equal<
    RouteInput<"/a/{b}", { body: typeof Item }, { db: number }>,
    {
      body: ItemT;
      query: StringRecord;
      params: { b: string };
      headers: StringRecord;
      cookies: StringRecord;
      request: Request;
      response: ResponseState;
      log: LogRecord;
      signal: AbortSignal;
      db: number;
    }
  >
>;

// `response: Item` makes the return type the schema's INPUT or a Response.
type _return = Expect<
  Equal<RouteReturn<{ response: typeof Item }>, ItemT | AnyResponse | Promise<ItemT | AnyResponse>>
>;
api.get("/r1", () => ({ name: "a", price: 1 }), { response: Item });
api.get("/r2", async () => ({ name: "a", price: 1 }), { response: Item });
api.get("/r3", () => new JSONResponse({ anything: true }, { status: 202 }), { response: Item });
api.get("/r4", () => new Response("raw"), { response: Item });
api.get("/r5", () => new globalThis.Response("web"), { response: Item });
const row = { name: "a", price: 1, passwordHash: "x" };
// Extra keys type-check: they are dropped by the compiled serializer.
api.get("/r6", () => row, { response: Item });
api.get(
  "/r7",
  // @ts-expect-error price must be a number
  () => ({ name: "a", price: "1" }),
  { response: Item },
);
api.get(
  "/r8",
  // @ts-expect-error name is missing
  async () => ({ price: 1 }),
  { response: Item },
);
api.get(
  "/r9",
  // @ts-expect-error a route with a response schema must return a value
  () => undefined,
  { response: Item },
);
// The input of a transforming schema is what the route returns.
api.get("/r10", () => ({ n: "1" }), {
  response: v.object({ n: v.pipe(v.string(), v.transform(Number)) }),
});
api.get(
  "/r11",
  // @ts-expect-error the schema's input is a string, not its output
  () => ({ n: 1 }),
  { response: v.object({ n: v.pipe(v.string(), v.transform(Number)) }) },
);
// The body's output flows into the return check.
api.post("/r12", ({ body }) => ({ name: body.name, price: body.price }), {
  body: Item,
  response: Item,
});

// Option mistakes are compile errors.
// @ts-expect-error a typo in an option name
api.get("/o1", () => 1, { bdy: Item });
// @ts-expect-error a plain object is not a schema
api.post("/o2", () => 1, { body: { name: "x" } });
// @ts-expect-error serializer is "compiled" or "json"
api.get("/o3", () => 1, { response: Item, serializer: "fast" });
api.get(
  "/o4",
  ({ body }) => {
    // @ts-expect-error body is unknown without a schema
    body.name;
  },
  {},
);
api.get("/o5", ({ query }) => {
  // @ts-expect-error query values are possibly undefined without a schema
  const q: string = query.q;
  return q;
});

// A params schema names only parameters of the path template; the route still infers from it.
api.get(
  "/pa1/{id}",
  ({ params }) => {
    type _params = Expect<Equal<typeof params, { itemId: string }>>;
  },
  // @ts-expect-error "itemId" is not a parameter of "/pa1/{id}"
  { params: v.object({ itemId: v.string() }) },
);
api.get("/pa2/{id}", () => 1, {
  // @ts-expect-error "extra" is not a parameter, even when optional
  params: v.object({ id: v.string(), extra: v.optional(v.string()) }),
});
api.get("/pa3/{id}", () => 1, {
  // @ts-expect-error a pipe keeps the keys of the object it starts with
  params: v.pipe(
    v.object({ idx: v.string() }),
    v.transform((p) => p.idx),
  ),
});
api.get("/pa4/{id}", () => 1, {
  // @ts-expect-error every option of a union is checked
  params: v.union([v.object({ id: v.string() }), v.object({ other: v.string() })]),
});
api.get("/pa5/{id}", () => 1, {
  // @ts-expect-error a loose object's entries are checked
  params: v.looseObject({ x: v.string() }),
});
// @ts-expect-error a template without parameters takes no named key
api.get("/pa6", () => 1, { params: v.object({ id: v.string() }), status: 200 });
api.get(
  "/pa7/{id}/{rest+}",
  ({ params }) => {
    type _params = Expect<Equal<typeof params, { id: number; rest: string }>>;
  },
  {
    params: v.object({ id: v.pipe(v.string(), v.toNumber()), rest: v.string() }),
    status: 200,
  },
);
// Fewer keys than the template, records, loose objects, unions of them and async schemas pass.
api.get(
  "/pa8/{id}/{slug}",
  ({ params }) => {
    type _params = Expect<Equal<typeof params, { id: string }>>;
  },
  { params: v.object({ id: v.string() }) },
);
api.get(
  "/pa9/{id}",
  ({ params }) => {
    type _params = Expect<Equal<typeof params, { [key: string]: string }>>;
  },
  { params: v.record(v.string(), v.string()) },
);
api.get(
  "/pa10/{id}/{v}",
  ({ params }) => {
    type _params = Expect<
      Equal<typeof params, { id: string } | ({ id: string } & { [key: string]: unknown })>
    >;
  },
  { params: v.union([v.object({ id: v.string() }), v.looseObject({ id: v.string() })]) },
);
api.get(
  "/pa11/{id}",
  ({ params }) => {
    type _params = Expect<Equal<typeof params, { id: string }>>;
  },
  {
    params: v.objectAsync({
      id: v.pipeAsync(
        v.string(),
        v.checkAsync(async () => true),
      ),
    }),
  },
);
// A template known only as a string is not checked.
const somePath: string = "/pa12/{id}";
api.get(somePath, () => 1, { params: v.object({ anything: v.string() }) });
