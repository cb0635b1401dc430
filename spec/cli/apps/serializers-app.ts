// An app whose answers have response schemas of the kinds `bundle` compiles ahead of time, and a union it does not (spec/cli/precompile.test.ts).

import * as v from "valibot";
import { createApi } from "../../../lib/index.js";

const Shape = v.variant("kind", [
  v.object({ kind: v.literal("circle"), r: v.number() }),
  v.object({ kind: v.literal("square"), side: v.number() }),
]);

// A schema that depends on the environment: the bundle sees the narrow one when it imports the
// app, so a function run with AIO_SPEC_WIDE=1 registers one the bundle did not compile.
const Env =
  process.env.AIO_SPEC_WIDE === "1"
    ? v.object({ a: v.string(), b: v.string() })
    : v.object({ a: v.string() });

export const api = createApi({ accessLog: false })
  .get(
    "/user",
    () => ({
      name: "Ada",
      born: new Date(Date.UTC(1815, 11, 10)),
      tags: ["math", "engines"],
      nick: null,
      password: "never sent",
    }),
    {
      response: v.object({
        name: v.string(),
        born: v.date(),
        tags: v.array(v.string()),
        nick: v.nullable(v.string()),
      }),
    },
  )
  // A union of objects: fast-json-stringify would pick the option with ajv, so it keeps its writer.
  .get("/shape", () => ({ kind: "circle" as const, r: 2 }), { response: Shape })
  .get("/count", () => ({ count: "many" }) as unknown as { count: number }, {
    response: v.object({ count: v.number() }),
  })
  .get("/env", () => ({ a: "1", b: "2" }), { response: Env })
  .get("/plain", () => ({ any: "thing" }));

/** The Lambda handler. */
export const handler = api.handler;
