// Type-level tests, compiled by tsc in `npm test`: provided resources reach routes by name, typed.

import { createApi } from "../lib/index.js";

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

interface Pool {
  query(sql: string): Promise<unknown[]>;
  end(): Promise<void>;
}
declare function connect(): Promise<Pool>;

const api = createApi()
  .provide("db", () => connect(), { dispose: (pool) => pool.end() })
  .provide("answer", () => 42)
  .provide("config", async () => ({ region: "eu-west-1" as const }));

api.get("/", ({ db, answer, config }) => {
  type _db = Expect<Equal<typeof db, Pool>>;
  type _answer = Expect<Equal<typeof answer, number>>;
  type _config = Expect<Equal<typeof config, { region: "eu-west-1" }>>;
  return db.query(`select ${answer}`);
});

// The provided names sit beside the built-in keys, which keep their types.
api.get("/items/{id}", ({ params, db, signal, log }) => {
  type _params = Expect<Equal<typeof params, { id: string }>>;
  type _signal = Expect<Equal<typeof signal, AbortSignal>>;
  log.id_seen = params.id;
  return db.query(params.id);
});

// Only routes registered after provide() receive the resource.
createApi()
  // @ts-expect-error db is not provided yet when this route is registered
  .get("/before", ({ db }) => db)
  .provide("db", () => connect())
  .get("/after", ({ db }) => db.end());

// dispose receives the awaited value, typed.
createApi().provide("db", () => connect(), {
  // @ts-expect-error a Pool has no close()
  dispose: (pool) => pool.close(),
});

// Providing the same name again replaces the type for later routes.
createApi()
  .provide("client", () => "a string")
  .provide("client", () => 7)
  .get("/", ({ client }) => {
    type _client = Expect<Equal<typeof client, number>>;
    return client;
  });
