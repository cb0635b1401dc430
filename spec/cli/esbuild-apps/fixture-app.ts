// An app with response schemas on the paths of the AWS fixtures the esbuild plugin's tests send (spec/cli/esbuild.test.ts).

import * as v from "valibot";
import { createApi } from "../../../lib/index.js";

const Owner = v.object({ id: v.string(), name: v.string() });

const Item = v.object({
  id: v.string(),
  born: v.date(),
  tags: v.array(v.string()),
  owner: Owner,
  nick: v.nullable(v.string()),
  note: v.optional(v.string()),
});

/** What every route returns: undeclared keys (`secret`, `owner.password`) the schemas drop. */
function stored(id: string) {
  return {
    id,
    born: new Date(Date.UTC(1815, 11, 10)),
    tags: ["math", "engines"],
    owner: { id: "o1", name: "Ada", password: "never sent" },
    nick: null,
    secret: "never sent",
  };
}

export const api = createApi({ accessLog: false })
  .get("/", () => stored("root"), { response: Item })
  .get("/lambda", () => [stored("a"), stored("b")], { response: v.array(Item) })
  .post("/no-auth", () => ({ ok: true, owner: stored("c").owner }), {
    response: v.object({ ok: v.boolean(), owner: Owner }),
  });

/** The Lambda handler. */
export const handler = api.handler;
