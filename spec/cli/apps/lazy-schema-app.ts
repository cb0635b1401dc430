// An app with a response schema the bundle cannot key (v.lazy): that one keeps its run-time writer (spec/cli/precompile.test.ts).

import * as v from "valibot";
import { createApi } from "../../../lib/index.js";

/** The Lambda handler. */
export const handler = createApi({ accessLog: false })
  .get("/lazy", () => ({ a: "x", hidden: 1 }), {
    response: v.object({ a: v.lazy(() => v.string()) }),
  })
  .get("/plain", () => ({ b: 2, hidden: 1 }), { response: v.object({ b: v.number() }) }).handler;
