// An app that refuses to load outside Lambda: `bundle` cannot import it, so its schemas' writers serialize at run time.

import * as v from "valibot";
import { createApi } from "../../../lib/index.js";

if (!process.env.AWS_LAMBDA_FUNCTION_NAME) throw new Error("this module runs only in Lambda");

/** The Lambda handler. */
export const handler = createApi({ accessLog: false }).get("/", () => ({ ok: true, extra: 1 }), {
  response: v.object({ ok: v.boolean() }),
}).handler;
