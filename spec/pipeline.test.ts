// Tests of one request through the pipeline: request ids, route timeouts and the uncaught-error exits.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import * as v from "valibot";
import { createApi } from "../lib/api.js";
import { isRouteTimeout } from "../lib/timeout.js";
import { type FixtureKind, fakeContext, fixture } from "./helpers/fixtures.js";
import { captureLogs } from "./helpers/log.js";
import { inject } from "../lib/testing/index.js";

type Json = Record<string, unknown>;

/** Sets a request header on a raw fixture, in every header map it has. */
function withHeader(event: Json, name: string, value: string): Json {
  event.headers = { ...((event.headers ?? {}) as Json), [name]: value };
  if (typeof event.multiValueHeaders === "object" && event.multiValueHeaders !== null) {
    event.multiValueHeaders = { ...(event.multiValueHeaders as Json), [name]: [value] };
  }
  return event;
}

/** A header of a raw Lambda result, whatever its shape. */
function resultHeader(result: unknown, name: string): string | undefined {
  const r = result as { headers?: Record<string, string>; multiValueHeaders?: Json };
  return r.headers?.[name] ?? (r.multiValueHeaders?.[name] as string[] | undefined)?.[0];
}

describe("pipeline", () => {
  describe("X-Request-ID", () => {
    // [fixture, its gateway request id, or undefined when it has none (ALB)]
    const samples: [FixtureKind, string, string | undefined][] = [
      ["apigw-rest", "rust-http-proxy-request", "41b45ea3-70b5-11e6-b7bd-69b5aaebc7d9"],
      ["apigw-http", "go-v2-no-authorizer", "LV7fzho-PHcEJPw="],
      ["function-url", "go-real-get-root", "deeb7e49-a9a8-4a8f-bcd1-5482231e2087"],
      ["alb", "powertools-py-multi-value-query", undefined],
    ];
    // [case, header value, kept?]
    const headers: [string, string, boolean][] = [
      ["a sane id", "abc-123_XYZ.~:/=+;!#$%&()*,<>?@[]^`{|}", true],
      ["200 printable characters", "a".repeat(200), true],
      ["201 characters", "a".repeat(201), false],
      ["a 10 kB value", "x".repeat(10_240), false],
      ["a newline", "abc\ndef", false],
      ["CR LF and a header", "abc\r\nset-cookie: session=stolen", false],
      ["a JSON fragment", '","level":"CRITICAL","status_code":200,"x":"', false],
      ["a JSON object", '{"id":"1"}', false],
      ["a double quote", 'ab"c', false],
      ["a single quote", "ab'c", false],
      ["a space", "ab c", false],
      ["a tab", "ab\tc", false],
      ["a NUL", "ab\0c", false],
      ["a DEL", "ab\x7fc", false],
      ["a non-ASCII letter", "réq-1", false],
      ["an empty value", "", false],
    ];
    for (const [kind, name, gatewayId] of samples) {
      for (const [what, value, kept] of headers) {
        it(`${kept ? "keeps" : "replaces"} ${what} (${kind}/${name})`, async () => {
          const event = withHeader(fixture(kind, name), "x-request-id", value);
          const method = String(
            event.httpMethod ?? (event.requestContext as Json & { http: Json }).http.method,
          );
          const logs = captureLogs();
          const route = ({ request }: { request: { id: string } }) => ({ id: request.id });
          const api = createApi({ logger: logs.logger })
            [method.toLowerCase() as "get"]("/", route)
            [method.toLowerCase() as "get"]("/{p+}", route);
          const ctx = fakeContext({ awsRequestId: "invocation-id" });
          const result = (await api.handler(event, ctx)) as { statusCode: number; body: string };
          const expected = kept ? value : (gatewayId ?? "invocation-id");
          assert.equal(result.statusCode, 200);
          assert.deepEqual(JSON.parse(result.body), { id: expected });
          assert.equal(resultHeader(result, "x-request-id"), expected);
          assert.equal(logs.one().id, expected);
          if (!kept && value !== "") {
            assert.ok(!logs.lines[0]!.includes(JSON.stringify(value).slice(1, -1)));
          }
        });
      }
    }

    it("makes a UUID when there is no header, no gateway id and no invocation id", async () => {
      const logs = captureLogs();
      const api = createApi({ logger: logs.logger }).get("/{p+}", ({ request }) => request.id);
      const result = await api.handler(fixture("alb", "powertools-py-multi-value-query"), {});
      const id = resultHeader(result, "x-request-id");
      assert.match(
        String(id),
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      assert.equal(logs.one().id, id);
    });
  });

  describe("uncaught errors", () => {
    it('answers 500 with a CRITICAL line and the request id under uncaughtErrors: "respond"', async () => {
      const logs = captureLogs();
      const api = createApi({ logger: logs.logger, uncaughtErrors: "respond" }).get("/", () => {
        throw new RangeError("index out of range");
      });
      const result = await inject(api, { path: "/", headers: { "x-request-id": "r-500" } });
      assert.equal(result.status, 500);
      assert.deepEqual(result.json(), { detail: "Internal Server Error" });
      assert.equal(result.headers["x-request-id"], "r-500");
      const line = logs.one();
      assert.equal(line.level, "CRITICAL");
      assert.equal(line.id, "r-500");
      assert.match(String(line.error_detail), /^RangeError: index out of range\n {4}at /);
    });
  });

  describe("timeouts", () => {
    // One deadline per request: time spent validating counts against the route's timeout, with
    // or without middleware (a slow async query schema, then a slow route, each under the limit).
    for (const [what, withMiddleware] of [
      ["without middleware", false],
      ["with a pass-through middleware", true],
    ] as const) {
      it(`answers 504 at the deadline when validation and the route together pass it, ${what}`, async () => {
        const logs = captureLogs();
        const query = v.pipeAsync(
          v.object({ q: v.optional(v.string()) }),
          v.checkAsync(async () => {
            await sleep(60);
            return true;
          }),
        );
        let seen: AbortSignal | undefined;
        const base = createApi({ logger: logs.logger });
        const api = (withMiddleware ? base.use(async (_input, next) => next()) : base).get(
          "/slow",
          async ({ signal }) => {
            seen = signal;
            await sleep(60);
            return { done: true };
          },
          { query, timeoutMs: 100 },
        );
        const result = await inject(api, { path: "/slow" });
        assert.equal(result.status, 504);
        assert.deepEqual(result.json(), { detail: "Gateway Timeout" });
        assert.equal(logs.one().error_detail, "Route exceeded its timeout of 100 ms");
        // The route had started (validation took 60 ms of its 100): its signal is aborted by now.
        // On a machine too loaded for that, validation itself passed the deadline and the route
        // never ran, which is the same answer.
        assert.ok(seen === undefined || seen.aborted);
      });
    }

    it("answers 504, aborts the signal with the reason at that moment and logs at error", async () => {
      const logs = captureLogs();
      const seen: { aborted: boolean; reason: unknown }[] = [];
      const api = createApi({ logger: logs.logger }).get(
        "/slow",
        ({ signal }) =>
          new Promise((_, reject) => {
            signal.addEventListener("abort", () => {
              seen.push({ aborted: signal.aborted, reason: signal.reason });
              reject(signal.reason);
            });
          }),
        { timeoutMs: 10 },
      );
      const result = await inject(api, { path: "/slow" });
      assert.equal(result.status, 504);
      assert.equal(result.body, '{"detail":"Gateway Timeout"}');
      assert.equal(seen.length, 1);
      assert.equal(seen[0]!.aborted, true);
      assert.ok(isRouteTimeout(seen[0]!.reason));
      assert.equal((seen[0]!.reason as Error).name, "RouteTimeoutError");
      const line = logs.one();
      assert.equal(line.level, "ERROR");
      assert.equal(line.status_code, 504);
      assert.equal(line.error_detail, "Route exceeded its timeout of 10 ms");
    });

    it("does not wait for a route that ignores the signal, and later requests are unaffected", async () => {
      const logs = captureLogs();
      const api = createApi({ logger: logs.logger })
        .get("/stuck", () => new Promise(() => {}), { timeoutMs: 5 })
        .get("/fast", async () => ({ ok: true }), { timeoutMs: 5 });
      const statuses: number[] = [];
      for (const path of ["/stuck", "/fast", "/stuck", "/fast"]) {
        statuses.push((await inject(api, { path })).status);
      }
      assert.deepEqual(statuses, [504, 200, 504, 200]);
      assert.deepEqual(
        logs.records().map((line) => line.level),
        ["ERROR", "INFO", "ERROR", "INFO"],
      );
    });

    // [case, api options, route timeoutMs, remaining ms in the context, expected deadline]
    const deadlines: [string, Json, number | undefined, number, number][] = [
      ["the route's timeoutMs over the api's", { timeoutMs: 40 }, 12, 30_000, 12],
      ["the api's timeoutMs when the route has none", { timeoutMs: 14 }, undefined, 30_000, 14],
      ["remaining time minus the default 500 ms margin", {}, 10_000, 530, 30],
      ["remaining time minus timeoutMarginMs", { timeoutMarginMs: 100 }, 10_000, 125, 25],
      ["zero when less time remains than the margin", {}, 10_000, 200, 0],
    ];
    for (const [what, options, routeMs, remainingMs, expected] of deadlines) {
      it(`cuts a route at ${what}`, async () => {
        const logs = captureLogs();
        const api = createApi({ ...options, logger: logs.logger }).get(
          "/",
          () => new Promise(() => {}),
          routeMs === undefined ? {} : { timeoutMs: routeMs },
        );
        const result = await inject(api, { path: "/", context: fakeContext({ remainingMs }) });
        assert.equal(result.status, 504);
        // The route never settles: the deadline answers it. The log names the configured
        // timeout, or says the invocation's remaining time came first.
        assert.equal(
          logs.one().error_detail,
          expected === (routeMs ?? options.timeoutMs)
            ? `Route exceeded its timeout of ${expected} ms`
            : `Route exceeded the invocation's remaining time, before its timeout of ${routeMs} ms`,
        );
      });
    }

    it("still runs a synchronous route when less time remains than the margin", async () => {
      const api = createApi({ accessLog: false }).get("/", () => "done");
      const result = await inject(api, { path: "/", context: fakeContext({ remainingMs: 100 }) });
      assert.equal(result.status, 200);
    });

    it("leaves no timer behind after a route that answered in time", async () => {
      const timers = () => process.getActiveResourcesInfo().filter((x) => x === "Timeout").length;
      const api = createApi({ accessLog: false })
        .get("/async", async () => "ok")
        .get("/sync", () => "ok");
      const before = timers();
      for (const path of ["/async", "/sync"])
        assert.equal((await inject(api, { path })).status, 200);
      assert.equal(timers(), before);
    });

    it("defaults to FUNCTION_TIMEOUT seconds (in a child process, settings are read once)", () => {
      const index = new URL("../lib/index.ts", import.meta.url).href;
      const testing = new URL("../lib/testing/index.ts", import.meta.url).href;
      const code = `
        const { createApi } = await import(${JSON.stringify(index)});
        const { inject } = await import(${JSON.stringify(testing)});
        const api = createApi().get("/", () => new Promise(() => {}));
        await inject(api, { path: "/" });`;
      const child = spawnSync(
        process.execPath,
        ["--import", "tsx", "--input-type=module", "--eval", code],
        { env: { ...process.env, FUNCTION_TIMEOUT: "0.02" }, encoding: "utf8", timeout: 20_000 },
      );
      // Powertools prints WARN and above through console.error: the line is on stderr.
      assert.equal(child.stdout, "");
      const line = JSON.parse(child.stderr) as Json;
      assert.equal(line.status_code, 504);
      assert.equal(line.error_detail, "Route exceeded its timeout of 20 ms");
    });
  });
});
