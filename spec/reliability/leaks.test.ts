// No internals leak: on every error path the client gets a bare detail, never the exception's message, stack or errorDetail.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import * as v from "valibot";
import { createApi } from "../../lib/api.js";
import { HTTPException } from "../../lib/errors.js";
import type { InjectResult } from "../../lib/inject.js";
import { Response } from "../../lib/response.js";
import { captureLogs } from "../helpers/log.js";
import { inject } from "../../lib/testing/index.js";

/** Each error path: the route, the status the client gets, and whether the log must hold the secret. */
const PATHS: readonly { path: string; status: number; logged: boolean; method?: string }[] = [
  { path: "/http", status: 400, logged: true },
  { path: "/http-bare", status: 503, logged: true },
  { path: "/error", status: 500, logged: true },
  { path: "/string", status: 500, logged: true },
  { path: "/object", status: 500, logged: true },
  { path: "/timeout", status: 504, logged: false },
  { path: "/provide", status: 503, logged: true },
  { path: "/aws", status: 503, logged: true },
  { path: "/schema", status: 500, logged: false },
  { path: "/header", status: 500, logged: false },
  { path: "/status", status: 500, logged: false },
  { path: "/big", status: 500, logged: false },
  { path: "/transform", status: 500, logged: true, method: "POST" },
];

/** An app whose every route fails with `secret.value` inside the failure. */
function failingApp(secret: { value: string }, logs: ReturnType<typeof captureLogs>) {
  return (
    createApi({ logger: logs.logger, uncaughtErrors: "respond" })
      .get("/http", () => {
        throw new HTTPException(400, "Bad input", {
          errorDetail: { secret: secret.value },
          cause: new Error(secret.value),
        });
      })
      .get("/http-bare", () => {
        throw new HTTPException(503, undefined, { errorDetail: secret.value });
      })
      .get("/error", () => {
        throw new Error(secret.value);
      })
      .get("/string", () => {
        throw secret.value;
      })
      .get("/object", () => {
        throw { secret: secret.value };
      })
      .get(
        "/timeout",
        ({ signal }) =>
          new Promise((_, reject) => {
            signal.addEventListener("abort", () => reject(new Error(secret.value)));
          }),
        { timeoutMs: 1 },
      )
      // A value that does not fit the response schema (a string for a number): a route bug.
      .get("/schema", () => ({ n: secret.value }) as unknown as { n: number }, {
        response: v.object({ n: v.number() }),
      })
      .get("/header", ({ response }) => {
        response.headers["x-secret"] = `${secret.value}\r\n`;
        return { ok: true };
      })
      .get("/status", () => new Response(secret.value, { status: 1_000 }))
      .get("/big", () => `${secret.value}${"x".repeat(7 * 1024 * 1024)}`)
      .get("/aws", () => {
        throw Object.assign(new Error(secret.value), {
          name: "InternalServerError",
          $fault: "server",
          $metadata: { httpStatusCode: 500, requestId: secret.value },
        });
      })
      .post("/transform", ({ body }) => body, {
        body: v.pipe(
          v.unknown(),
          v.transform(() => {
            throw new Error(secret.value);
          }),
        ),
      })
      .provide("db", () => {
        throw new Error(secret.value);
      })
      .get("/provide", ({ db }) => db)
  );
}

/** Everything the client receives, as one text. */
const visible = (result: InjectResult): string =>
  JSON.stringify([result.status, result.headers, result.cookies, result.body]);

/** Whether `text` holds the secret as sent or as JSON would escape it. */
const holds = (text: string, secret: string): boolean =>
  text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1));

// Marks around the random part, so a short random string never matches ordinary text by chance.
const secrets = fc.string({ unit: "binary", minLength: 1, maxLength: 40 }).map((s) => `«${s}»`);

describe("no internals leak", () => {
  it("keeps the message, stack and errorDetail of every error path out of the client's answer, for random secrets", async () => {
    const secret = { value: "" };
    const logs = captureLogs();
    const api = failingApp(secret, logs);
    await fc.assert(
      fc.asyncProperty(secrets, fc.constantFrom(...PATHS), async (value, route) => {
        secret.value = value;
        logs.clear();
        const method = route.method ?? "GET";
        const result = await inject(api, {
          method,
          path: route.path,
          body: method === "POST" ? {} : undefined,
        });
        assert.equal(result.status, route.status);
        const seen = visible(result);
        assert.equal(
          holds(seen, value),
          false,
          `${route.path} leaked ${JSON.stringify(value)}: ${seen.slice(0, 300)}`,
        );
        assert.doesNotMatch(seen, /\bat .+:\d+:\d+|Error:|errorDetail|stack/);
        const detail = JSON.parse(result.body) as { detail: unknown };
        assert.deepEqual(Object.keys(detail), ["detail"]);
        // The access log is where the secret belongs.
        const line = logs.one();
        const logged = line.error_detail;
        const text = typeof logged === "string" ? logged : JSON.stringify(logged);
        if (route.logged)
          assert.equal(holds(text, value), true, `${route.path} did not log the secret`);
      }),
      { seed: 42, numRuns: 260 },
    );
  });

  it("answers every error path with only its reason phrase as detail", async () => {
    const logs = captureLogs();
    const api = failingApp({ value: "«hidden»" }, logs);
    const answers: Record<string, unknown> = {};
    for (const route of PATHS) {
      const method = route.method ?? "GET";
      const result = await inject(api, {
        method,
        path: route.path,
        body: method === "POST" ? {} : undefined,
      });
      answers[route.path] = [result.status, result.json()];
    }
    assert.deepEqual(answers, {
      "/http": [400, { detail: "Bad input" }],
      "/http-bare": [503, { detail: "Service Unavailable" }],
      "/error": [500, { detail: "Internal Server Error" }],
      "/string": [500, { detail: "Internal Server Error" }],
      "/object": [500, { detail: "Internal Server Error" }],
      "/timeout": [504, { detail: "Gateway Timeout" }],
      "/provide": [503, { detail: "Service Unavailable" }],
      "/aws": [503, { detail: "Service Unavailable" }],
      "/schema": [500, { detail: "Internal Server Error" }],
      "/header": [500, { detail: "Internal Server Error" }],
      "/status": [500, { detail: "Internal Server Error" }],
      "/big": [500, { detail: "Internal Server Error" }],
      "/transform": [500, { detail: "Internal Server Error" }],
    });
  });

  it("rethrows an uncaught error for Lambda to report when uncaughtErrors is the default, returning no answer at all", async () => {
    const logs = captureLogs();
    const api = createApi({ logger: logs.logger }).get("/error", () => {
      throw new Error("«hidden»");
    });
    await assert.rejects(inject(api, { path: "/error" }), { message: "«hidden»" });
    assert.equal(logs.one().level, "CRITICAL");
  });
});
