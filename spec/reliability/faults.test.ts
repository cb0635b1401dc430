// Faults: failing provided resources, an SSM server that answers 500 or hangs, non-Error throws, routes that never settle; each ends documented, the next request is served.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createApi } from "../../lib/api.js";
import { createSsm } from "../../lib/ssm/index.js";
import { requestTo } from "../helpers/batch.js";
import { fakeContext, HTTP_KINDS, type Json } from "../helpers/fixtures.js";
import { resultProblems } from "../helpers/oracle.js";
import { captureLogs, type LogLine } from "../helpers/log.js";
import { type SsmServer, ssmClientFor, startSsmServer } from "../helpers/ssm-server.js";

type Answer = { statusCode: number; body: string };
type Api = {
  handler: (event: unknown, context?: ReturnType<typeof fakeContext>) => Promise<unknown>;
};

/** Sends `GET path` as each HTTP kind's real fixture, and returns the answer and its one log line. */
async function send(
  api: Api,
  logs: ReturnType<typeof captureLogs>,
  path: string,
  kind: (typeof HTTP_KINDS)[number] = "apigw-http",
  context = fakeContext(),
): Promise<{ answer: Answer; line: LogLine }> {
  logs.clear();
  const answer = (await api.handler(requestTo(kind, "GET", path), context)) as Answer;
  assert.deepEqual(resultProblems(answer), []);
  return { answer, line: logs.one() };
}

const detail = (answer: Answer) => (JSON.parse(answer.body) as Json).detail;

describe("faults", () => {
  describe("a provided resource whose factory fails", () => {
    for (const kind of HTTP_KINDS) {
      it(`answers 503 with an error line naming it, then serves the next request with a new creation (${kind})`, async () => {
        const logs = captureLogs();
        let calls = 0;
        const api = createApi({ logger: logs.logger })
          .provide("db", () => {
            calls += 1;
            if (calls === 1) throw new Error("connect ECONNREFUSED 10.0.0.1:5432");
            return { query: () => "row" };
          })
          .get("/rows", ({ db }) => ({ row: db.query() }));
        const failed = await send(api, logs, "/rows", kind);
        assert.equal(failed.answer.statusCode, 503);
        assert.equal(detail(failed.answer), "Service Unavailable");
        assert.equal(failed.line.level, "ERROR");
        assert.match(
          String(failed.line.error_detail),
          /^Provided resource "db" could not be created: Error: connect ECONNREFUSED 10\.0\.0\.1:5432\n\s+at /,
        );
        const next = await send(api, logs, "/rows", kind);
        assert.deepEqual(
          [next.answer.statusCode, JSON.parse(next.answer.body)],
          [200, { row: "row" }],
        );
        assert.equal(next.line.level, "INFO");
        assert.equal(calls, 2);
      });
    }

    it("answers 503 for a factory that rejects with a non-Error value, then retries it", async () => {
      const logs = captureLogs();
      let calls = 0;
      const api = createApi({ logger: logs.logger })
        .provide("db", () => (++calls === 1 ? Promise.reject("no route to host") : "pool"))
        .get("/rows", ({ db }) => ({ db }));
      const failed = await send(api, logs, "/rows");
      assert.equal(failed.answer.statusCode, 503);
      assert.equal(
        failed.line.error_detail,
        'Provided resource "db" could not be created: thrown non-Error value: "no route to host"',
      );
      assert.equal((await send(api, logs, "/rows")).answer.statusCode, 200);
    });
  });

  describe("an SSM server", () => {
    let server: SsmServer;
    before(async () => {
      server = await startSsmServer({ "/app/name": { value: "demo" } });
    });
    after(() => server.close());

    /** An app reading one parameter with its own cache and a client of one attempt. */
    function ssmApp(
      logs: ReturnType<typeof captureLogs>,
      requestTimeout: number,
      timeoutMs: number,
    ) {
      const client = ssmClientFor(server, {
        requestHandler: { requestTimeout, throwOnRequestTimeout: true },
      });
      const ssm = createSsm({ client });
      const api = createApi({ logger: logs.logger })
        .get("/name", async () => ({ name: await ssm.getParameter("/app/name") }), { timeoutMs })
        .get("/", () => ({ ok: true }));
      return { api, client };
    }

    it("answering 500 makes a 503 with the fault in the error line; the next request is served once SSM answers", async (t) => {
      const logs = captureLogs();
      const { api, client } = ssmApp(logs, 5_000, 10_000);
      t.after(() => client.destroy());
      server.fault = { status: 500, type: "InternalServerError", message: "SSM is down" };
      t.after(() => void (server.fault = undefined));
      const failed = await send(api, logs, "/name");
      assert.equal(failed.answer.statusCode, 503);
      assert.equal(detail(failed.answer), "Service Unavailable");
      assert.equal(failed.line.level, "ERROR");
      assert.deepEqual(
        { ...(failed.line.error_detail as Json), stack: undefined },
        {
          name: "InternalServerError",
          service: "SSM",
          requestId: server.requestId,
          status: 500,
          stack: undefined,
        },
      );
      server.fault = undefined;
      const next = await send(api, logs, "/name");
      assert.deepEqual(
        [next.answer.statusCode, JSON.parse(next.answer.body)],
        [200, { name: "demo" }],
      );
    });

    it("hanging past the client's request timeout ends in the SDK's TimeoutError: rethrown, one critical line; the next request is served", async (t) => {
      const logs = captureLogs();
      const { api, client } = ssmApp(logs, 50, 10_000);
      t.after(() => client.destroy());
      server.delayMs = Number.POSITIVE_INFINITY;
      t.after(() => void (server.delayMs = 0));
      await assert.rejects(api.handler(requestTo("apigw-http", "GET", "/name"), fakeContext()), {
        name: "TimeoutError",
      });
      const line = logs.one();
      assert.equal(line.level, "CRITICAL");
      assert.match(String(line.error_detail), /^TimeoutError: /);
      server.delayMs = 0;
      const next = await send(api, logs, "/name");
      assert.deepEqual(
        [next.answer.statusCode, JSON.parse(next.answer.body)],
        [200, { name: "demo" }],
      );
    });

    it("hanging past the route's timeout answers 504; other routes are served meanwhile, and this one once the SDK gives up", async (t) => {
      const logs = captureLogs();
      const { api, client } = ssmApp(logs, 300, 20);
      t.after(() => client.destroy());
      server.delayMs = Number.POSITIVE_INFINITY;
      t.after(() => void (server.delayMs = 0));
      const hung = await send(api, logs, "/name");
      assert.equal(hung.answer.statusCode, 504);
      assert.equal(detail(hung.answer), "Gateway Timeout");
      assert.deepEqual(
        [hung.line.level, hung.line.error_detail],
        ["ERROR", "Route exceeded its timeout of 20 ms"],
      );
      assert.equal((await send(api, logs, "/")).answer.statusCode, 200);
      server.delayMs = 0;
      // Requests for the parameter share the hung call until the SDK's timeout ends it (docs/reliability.md).
      // A request that joins it just before the SDK gives up gets the SDK's TimeoutError.
      let outcome: unknown;
      for (let attempt = 0; attempt < 200 && outcome !== 200; attempt++) {
        outcome = await api.handler(requestTo("apigw-http", "GET", "/name"), fakeContext()).then(
          (answer) => (answer as Answer).statusCode,
          (error: Error) => error.name,
        );
        assert.ok([200, 504, "TimeoutError"].includes(outcome as number), String(outcome));
      }
      assert.equal(outcome, 200);
    });
  });

  describe("a route that throws a non-Error value", () => {
    const unprintable = {
      toJSON() {
        throw new Error("no JSON");
      },
      toString() {
        throw new Error("no text");
      },
    };
    const VALUES: [string, unknown, string][] = [
      ['"x"', "x", 'thrown non-Error value: "x"'],
      ["null", null, "thrown non-Error value: null"],
      ["undefined", undefined, "thrown non-Error value: undefined"],
      ["42", 42, "thrown non-Error value: 42"],
      ["an object", { code: "E1" }, 'thrown non-Error value: {"code":"E1"}'],
      ["a BigInt", 10n, "thrown non-Error value: 10"],
      ["a symbol", Symbol("s"), "thrown non-Error value: Symbol(s)"],
      [
        "a value whose toJSON and toString throw (fault defect #4)",
        unprintable,
        "thrown non-Error value that cannot be printed (typeof object)",
      ],
    ];
    for (const [what, value, logged] of VALUES) {
      it(`rethrows ${what} after one critical line, then serves the next request`, async () => {
        const logs = captureLogs();
        const api = createApi({ logger: logs.logger })
          .get("/throw", () => {
            throw value;
          })
          .get("/", () => ({ ok: true }));
        const thrown = await api
          .handler(requestTo("apigw-rest", "GET", "/throw"), fakeContext())
          .then(
            () => assert.fail("the handler resolved"),
            (error: unknown) => error,
          );
        assert.equal(thrown, value);
        assert.deepEqual(
          [logs.one().level, logs.one().status_code, logs.one().error_detail],
          ["CRITICAL", 500, logged],
        );
        assert.equal((await send(api, logs, "/", "apigw-rest")).answer.statusCode, 200);
      });

      it(`answers 500 to ${what} with uncaughtErrors "respond"`, async () => {
        const logs = captureLogs();
        const api = createApi({ logger: logs.logger, uncaughtErrors: "respond" }).get(
          "/throw",
          () => {
            throw value;
          },
        );
        const { answer, line } = await send(api, logs, "/throw");
        assert.deepEqual([answer.statusCode, detail(answer)], [500, "Internal Server Error"]);
        assert.deepEqual([line.level, line.error_detail], ["CRITICAL", logged]);
      });
    }
  });

  describe("a route that never settles", () => {
    it("answers 504 at its own timeoutMs, aborts its signal, and serves the next request", async () => {
      const logs = captureLogs();
      let aborted: unknown;
      const api = createApi({ logger: logs.logger })
        .get(
          "/never",
          ({ signal }) => {
            signal.addEventListener("abort", () => void (aborted = signal.reason));
            return new Promise(() => {});
          },
          { timeoutMs: 10 },
        )
        .get("/", () => ({ ok: true }));
      for (const kind of HTTP_KINDS) {
        const { answer, line } = await send(api, logs, "/never", kind);
        assert.deepEqual([answer.statusCode, detail(answer)], [504, "Gateway Timeout"]);
        assert.deepEqual(
          [line.level, line.error_detail],
          ["ERROR", "Route exceeded its timeout of 10 ms"],
        );
        assert.equal((aborted as Error).name, "RouteTimeoutError");
        assert.equal((await send(api, logs, "/", kind)).answer.statusCode, 200);
      }
    });

    it("answers 504 before Lambda's own deadline: remaining time minus the margin", async () => {
      const logs = captureLogs();
      const api = createApi({ logger: logs.logger, timeoutMarginMs: 500 }).get(
        "/never",
        () => new Promise(() => {}),
      );
      const { answer, line } = await send(
        api,
        logs,
        "/never",
        "apigw-http",
        fakeContext({ remainingMs: 530 }),
      );
      assert.equal(answer.statusCode, 504);
      // The remaining time (530 - 500 ms) cut the route before its own timeout (30 s by default).
      assert.equal(
        line.error_detail,
        "Route exceeded the invocation's remaining time, before its timeout of 30000 ms",
      );
    });
  });
});
