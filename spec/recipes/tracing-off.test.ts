// The Tracer recipe outside Lambda (tracing off, as in local runs and most tests): it changes nothing.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createApi, HTTPException } from "../../lib/index.js";
import { tracer, tracing } from "./tracing.js";
import { inject } from "../../lib/testing/index.js";

describe("recipe: Powertools Tracer, tracing off", () => {
  it("is off outside Lambda", () => {
    assert.equal(tracer.isTracingEnabled(), false);
  });

  it("passes every answer through unchanged", async () => {
    const api = createApi({ accessLog: false })
      .use(tracing)
      .get("/ok", () => ({ ok: true }))
      .get("/missing", () => {
        throw new HTTPException(404);
      })
      .get("/boom", () => {
        throw new Error("boom");
      });
    const ok = await inject(api, { path: "/ok" });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json(), { ok: true });
    assert.equal((await inject(api, { path: "/missing" })).status, 404);
    await assert.rejects(inject(api, { path: "/boom" }), { message: "boom" });
  });
});
