// Tests of the access log: one line a request for every outcome, its fields and levels, getLogger().

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Logger as OldestLogger } from "powertools-logger-oldest";
import * as v from "valibot";
import {
  createAccessLog,
  getLogger,
  levelOf,
  type LogRecord,
  sanitizeRecord,
} from "../lib/access-log.js";
import { createApi } from "../lib/api.js";
import { HTTPException } from "../lib/errors.js";
import {
  type FixtureKind,
  fakeContext,
  fixture,
  fixtures,
  HTTP_KINDS,
} from "./helpers/fixtures.js";
import { captureLogs, captureOutput, type LogLine } from "./helpers/log.js";
import { inject } from "../lib/testing/index.js";

type Json = Record<string, unknown>;

/** A header of a raw Lambda result, whatever its shape (single- or multi-value). */
function resultHeader(result: unknown, name: string): string | undefined {
  const r = result as { headers?: Json; multiValueHeaders?: Record<string, string[]> };
  const single = r.headers?.[name];
  if (typeof single === "string") return single;
  return r.multiValueHeaders?.[name]?.[0];
}

/** The method, user agent and gateway request id a raw fixture carries. */
function facts(event: Json): { method: string; userAgent: string | undefined; gatewayId: unknown } {
  const context = (event.requestContext ?? {}) as Json;
  const http = (context.http ?? {}) as Json;
  const method = String(event.httpMethod ?? http.method);
  let userAgent: string | undefined;
  for (const [key, value] of Object.entries((event.headers ?? {}) as Json)) {
    if (key.toLowerCase() === "user-agent") userAgent = String(value);
  }
  for (const [key, value] of Object.entries((event.multiValueHeaders ?? {}) as Json)) {
    if (key.toLowerCase() === "user-agent") userAgent = (value as string[]).join(", ");
  }
  return { method, userAgent, gatewayId: context.requestId };
}

const POWERTOOLS_KEYS = {
  service: "test",
  function_name: "fixture-test",
  function_arn: "arn:aws:lambda:us-east-1:000000000000:function:fixture-test",
  function_memory_size: "128",
};

/** Asserts the fields every access-log line has, for a request made with `ctx`. */
function assertCommon(line: LogLine, ctx: { awsRequestId: string; logStreamName: string }): void {
  for (const [key, value] of Object.entries(POWERTOOLS_KEYS)) assert.equal(line[key], value, key);
  assert.equal(line.function_request_id, ctx.awsRequestId);
  assert.equal(typeof line.cold_start, "boolean");
  assert.equal(typeof line.timestamp, "string");
  assert.equal(line.server_id, ctx.logStreamName);
  assert.equal(typeof line.execution_time, "number");
  assert.ok((line.execution_time as number) >= 0);
  assert.equal(
    line.message,
    `${String(line.method)} ${String(line.path)} ${String(line.status_code)}`,
  );
}

describe("access log", () => {
  describe("over every real HTTP fixture", () => {
    for (const kind of HTTP_KINDS) {
      for (const { name, event } of fixtures(kind)) {
        it(`writes one line with the request's fields for ${kind}/${name}`, async () => {
          const logs = captureLogs();
          const seen: LogRecord[] = [];
          const route = ({ request }: { request: { path: string; id: string } }) => {
            // What getLogger() holds before the route does anything.
            seen.push({ ...getLogger() });
            return { path: request.path, id: request.id };
          };
          const { method, userAgent, gatewayId } = facts(event);
          const verb = method.toLowerCase() as "get" | "post";
          const api = createApi({ logger: logs.logger })
            [verb]("/", route)
            [verb]("/{proxy+}", route);
          const ctx = fakeContext({ awsRequestId: `inv-${name}` });
          const result = await api.handler(event, ctx);
          const line = logs.one();
          assertCommon(line, ctx);
          const status = (result as { statusCode: number }).statusCode;
          assert.equal(line.status_code, status);
          assert.equal(line.level, status < 400 ? "INFO" : "WARN");
          assert.equal(line.method, method);
          assert.equal(line.user_agent, userAgent);
          const expectedId =
            typeof gatewayId === "string" && gatewayId !== "" ? gatewayId : ctx.awsRequestId;
          assert.equal(line.id, expectedId);
          assert.equal(resultHeader(result, "x-request-id"), expectedId);
          if (status === 200) {
            assert.ok(line.route === "/" || line.route === "/{proxy+}");
            assert.deepEqual(seen, [
              {
                method,
                path: line.path,
                route: line.route,
                id: expectedId,
                server_id: ctx.logStreamName,
                user_agent: userAgent,
              },
            ]);
          }
        });
      }
    }
  });

  /** One outcome of a request: the route (or api) that causes it and what the line must say. */
  interface Outcome {
    name: string;
    status: number;
    level: "INFO" | "WARN" | "ERROR" | "CRITICAL";
    body: string | undefined;
    /** Builds the api; `verb` is the fixture's method, lowercase. */
    api: (logger: ReturnType<typeof captureLogs>["logger"], verb: "get" | "post") => Api;
    /** Changes the event before it is sent. */
    edit?: (event: Json) => void;
    errorDetail: (detail: unknown) => void;
  }
  type Api = ReturnType<typeof createApi>;

  const noDetail = (detail: unknown) => assert.equal(detail, undefined);
  const crash = (error: unknown) => () => {
    throw error;
  };

  const outcomes: Outcome[] = [
    {
      name: "success",
      status: 200,
      level: "INFO",
      body: '{"ok":true}',
      api: (logger, verb) => createApi({ logger })[verb]("/{p+}", () => ({ ok: true })),
      errorDetail: noDetail,
    },
    {
      name: "a redirect set on response.status",
      status: 302,
      level: "INFO",
      body: undefined,
      api: (logger, verb) =>
        createApi({ logger })[verb]("/{p+}", ({ response }) => {
          response.status = 302;
          response.headers.location = "/elsewhere";
        }),
      errorDetail: noDetail,
    },
    {
      name: "HTTPException 4xx with errorDetail",
      status: 409,
      level: "WARN",
      body: '{"detail":"Taken"}',
      api: (logger, verb) =>
        createApi({ logger })[verb](
          "/{p+}",
          crash(new HTTPException(409, "Taken", { errorDetail: { owner: "u1" } })),
        ),
      errorDetail: (detail) => assert.deepEqual(detail, { owner: "u1" }),
    },
    {
      name: "HTTPException 4xx without errorDetail",
      status: 403,
      level: "WARN",
      body: '{"detail":"No access to this item"}',
      api: (logger, verb) =>
        createApi({ logger })[verb](
          "/{p+}",
          crash(new HTTPException(403, "No access to this item")),
        ),
      errorDetail: (detail) => assert.equal(detail, "No access to this item"),
    },
    {
      name: "HTTPException 5xx",
      status: 502,
      level: "ERROR",
      body: '{"detail":"Bad Gateway"}',
      api: (logger, verb) =>
        createApi({ logger })[verb](
          "/{p+}",
          crash(new HTTPException(502, undefined, { errorDetail: "upstream said 500" })),
        ),
      errorDetail: (detail) => assert.equal(detail, "upstream said 500"),
    },
    {
      name: "a validation error",
      status: 422,
      level: "WARN",
      body: '{"detail":[{"loc":["query","limit"],"msg":"Invalid key: Expected \\"limit\\" but received undefined","type":"object"}]}',
      api: (logger, verb) =>
        createApi({ logger })[verb]("/{p+}", () => "never", {
          query: v.object({ limit: v.string() }),
        }),
      errorDetail: (detail) =>
        assert.deepEqual(detail, [
          {
            loc: ["query", "limit"],
            msg: 'Invalid key: Expected "limit" but received undefined',
            type: "object",
          },
        ]),
    },
    {
      name: "a malformed JSON body",
      status: 400,
      level: "WARN",
      body: '{"detail":"Malformed JSON body"}',
      api: (logger, verb) =>
        createApi({ logger })[verb]("/{p+}", ({ body }) => body, {
          body: v.object({ n: v.number() }),
        }),
      edit: (event) => {
        event.body = '{"n": 1';
        event.isBase64Encoded = false;
      },
      errorDetail: (detail) => assert.equal(detail, "Malformed JSON body"),
    },
    {
      name: "no route for the path",
      status: 404,
      level: "WARN",
      body: '{"detail":"Not Found"}',
      api: (logger, verb) => createApi({ logger })[verb]("/nothing/here", () => 1),
      errorDetail: noDetail,
    },
    {
      name: "no route for the method",
      status: 405,
      level: "WARN",
      body: '{"detail":"Method Not Allowed"}',
      api: (logger) => createApi({ logger }).patch("/{p+}", () => 1),
      errorDetail: noDetail,
    },
    {
      name: "a route past its timeout",
      status: 504,
      level: "ERROR",
      body: '{"detail":"Gateway Timeout"}',
      api: (logger, verb) =>
        createApi({ logger })[verb]("/{p+}", () => new Promise(() => {}), { timeoutMs: 5 }),
      errorDetail: (detail) => assert.equal(detail, "Route exceeded its timeout of 5 ms"),
    },
    {
      name: "a provided resource that fails",
      status: 503,
      level: "ERROR",
      body: '{"detail":"Service Unavailable"}',
      api: (logger, verb) =>
        createApi({ logger })
          .provide("db", crash(new Error("connect ECONNREFUSED 10.0.0.1:5432")))
          [verb]("/{p+}", ({ db }) => db),
      errorDetail: (detail) => {
        assert.equal(typeof detail, "string");
        assert.match(
          detail as string,
          /^Provided resource "db" could not be created: Error: connect ECONNREFUSED 10\.0\.0\.1:5432\n {4}at /,
        );
      },
    },
  ];

  // One real fixture of each kind, each with a path below the root so `/{p+}` matches.
  const samples: [FixtureKind, string][] = [
    ["apigw-rest", "rust-http-proxy-request"],
    ["apigw-http", "go-v2-iam-authorizer"],
    ["function-url", "powertools-py-iam-org"],
    ["alb", "powertools-py-multi-value-query"],
    ["alb", "powertools-py-single-value"],
  ];

  describe("outcomes", () => {
    for (const [kind, name] of samples) {
      for (const outcome of outcomes) {
        it(`writes one ${outcome.level} line with its error_detail for ${outcome.name} (${kind}/${name})`, async () => {
          const event = fixture(kind, name);
          outcome.edit?.(event);
          const { method, userAgent } = facts(event);
          const logs = captureLogs();
          const api = outcome.api(logs.logger, method.toLowerCase() as "get" | "post");
          const ctx = fakeContext({ awsRequestId: `inv-${outcome.status}` });
          const result = (await api.handler(event, ctx)) as { statusCode: number; body: string };
          assert.equal(result.statusCode, outcome.status);
          if (outcome.body !== undefined) assert.equal(result.body, outcome.body);
          const line = logs.one();
          assertCommon(line, ctx);
          assert.equal(line.level, outcome.level);
          assert.equal(line.status_code, outcome.status);
          assert.equal(line.method, method);
          assert.equal(line.user_agent, userAgent);
          assert.equal(line.id, resultHeader(result, "x-request-id"));
          assert.equal(line.route, outcome.name.startsWith("no route") ? undefined : "/{p+}");
          outcome.errorDetail(line.error_detail);
        });
      }

      const uncaught: [string, unknown, RegExp][] = [
        [
          "an Error",
          new TypeError("x is not a function"),
          /^TypeError: x is not a function\n {4}at /,
        ],
        ["a thrown string", "x", /^thrown non-Error value: "x"$/],
        ["a thrown null", null, /^thrown non-Error value: null$/],
        ["a thrown undefined", undefined, /^thrown non-Error value: undefined$/],
      ];
      for (const [what, thrown, detail] of uncaught) {
        it(`writes one CRITICAL line before rethrowing ${what} (${kind}/${name})`, async () => {
          const event = fixture(kind, name);
          const { method } = facts(event);
          const logs = captureLogs();
          const api = createApi({ logger: logs.logger })[method.toLowerCase() as "get" | "post"](
            "/{p+}",
            crash(thrown),
          );
          const ctx = fakeContext();
          let linesAtRejection = -1;
          await assert.rejects(
            Promise.resolve(api.handler(event, ctx)).catch((error: unknown) => {
              linesAtRejection = logs.lines.length;
              throw error;
            }),
            (error: unknown) => error === thrown,
          );
          assert.equal(linesAtRejection, 1);
          const line = logs.one();
          assertCommon(line, ctx);
          assert.equal(line.level, "CRITICAL");
          assert.equal(line.status_code, 500);
          assert.match(String(line.error_detail), detail);
        });
      }
    }
  });

  describe("record", () => {
    const ctx = fakeContext();

    it("is the same object as input.log, from any async code of the request", async () => {
      const logs = captureLogs();
      const api = createApi({ logger: logs.logger }).get("/", async ({ log }) => {
        const same = [getLogger() === log];
        await new Promise((resolve) => setTimeout(resolve, 1));
        same.push(getLogger() === log);
        await new Promise<void>((resolve) =>
          setImmediate(() => {
            getLogger().from_immediate = true;
            resolve();
          }),
        );
        await Promise.resolve().then(() => {
          getLogger().from_then = [1, "two"];
        });
        log.from_input = { nested: { ok: true } };
        return same;
      });
      const result = await inject(api, { path: "/", context: ctx });
      assert.deepEqual(result.json(), [true, true]);
      const line = logs.one();
      assert.equal(line.from_immediate, true);
      assert.deepEqual(line.from_then, [1, "two"]);
      assert.deepEqual(line.from_input, { nested: { ok: true } });
    });

    it("keeps 100 concurrent requests' fields apart", async () => {
      const logs = captureLogs();
      const api = createApi({ logger: logs.logger }).get("/{n}", async ({ params }) => {
        const n = Number(params.n);
        getLogger()[`only_${n}`] = n;
        // Interleave: each request waits a different number of turns before reading back.
        for (let turn = 0; turn < n % 7; turn++) await new Promise((r) => setImmediate(r));
        getLogger().n = n;
        return Object.keys(getLogger()).filter((key) => key.startsWith("only_"));
      });
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, n) =>
          inject(api, { path: `/${n}`, headers: { "x-request-id": `req-${n}` } }),
        ),
      );
      results.forEach((result, n) => {
        assert.deepEqual(result.json(), [`only_${n}`]);
        assert.equal(result.headers["x-request-id"], `req-${n}`);
      });
      const lines = logs.records();
      assert.equal(lines.length, 100);
      for (const line of lines) {
        const n = Number(String(line.path).slice(1));
        assert.equal(line.id, `req-${n}`);
        assert.equal(line.n, n);
        assert.deepEqual(
          Object.keys(line).filter((key) => key.startsWith("only_")),
          [`only_${n}`],
        );
      }
    });

    it("replaces and flags values that are not JSON, and still answers and logs", async () => {
      const logs = captureLogs();
      const api = createApi({ logger: logs.logger }).get("/", ({ log }) => {
        const cycle: Json = { name: "cycle" };
        cycle.self = cycle;
        log.cycle = cycle;
        log.big = 10n;
        log.to_json = {
          toJSON: () => {
            throw new Error("no JSON for you");
          },
        };
        Object.defineProperty(log, "getter", {
          enumerable: true,
          get: () => {
            throw new Error("getter failed");
          },
        });
        log.fine = "kept";
        return { ok: true };
      });
      const result = await inject(api, { path: "/", context: ctx });
      assert.equal(result.status, 200);
      assert.deepEqual(result.json(), { ok: true });
      const line = logs.one();
      assert.equal(line.cycle, "[unserializable: Converting circular structure to JSON]");
      assert.equal(line.big, "[unserializable: Do not know how to serialize a BigInt]");
      assert.equal(line.to_json, "[unserializable: no JSON for you]");
      assert.equal(line.getter, "[unserializable: getter failed]");
      assert.equal(line.fine, "kept");
      assert.deepEqual(line.log_unserializable, ["cycle", "big", "to_json", "getter"]);
      assert.equal(line.status_code, 200);
    });

    it("drops Powertools' reserved keys instead of printing a second line", async () => {
      const logs = captureLogs();
      const api = createApi({ logger: logs.logger }).get("/", ({ log }) => {
        Object.assign(log, { level: "DEBUG", message: "hi", timestamp: 1, service: "x" });
        log.sampling_rate = 1;
        return null;
      });
      await inject(api, { path: "/", context: ctx });
      const line = logs.one();
      assert.equal(line.level, "INFO");
      assert.equal(line.message, "GET / 204");
      assert.equal(line.service, "test");
      assert.deepEqual(line.log_reserved, [
        "level",
        "message",
        "timestamp",
        "service",
        "sampling_rate",
      ]);
    });

    it("measures execution_time on a monotonic clock: a wall clock set back changes nothing", async () => {
      const logs = captureLogs();
      const realNow = Date.now;
      const api = createApi({ logger: logs.logger }).get("/", async () => {
        // An NTP step back of one hour while the route runs.
        Date.now = () => realNow() - 3_600_000;
        await new Promise((resolve) => setImmediate(resolve));
        return "ok";
      });
      try {
        await inject(api, { path: "/", context: ctx });
      } finally {
        Date.now = realNow;
      }
      const time = logs.one().execution_time as number;
      assert.ok(time >= 0 && time < 3_600_000, `execution_time ${time}`);
    });

    it("is a fresh throwaway object outside a request", () => {
      const outside = getLogger();
      outside.leak = true;
      assert.notEqual(getLogger(), outside);
      assert.deepEqual(getLogger(), {});
    });
  });

  describe("logger", () => {
    it("uses the user's logger: its service name and its level (ERROR drops INFO and WARN)", async () => {
      const logs = captureLogs({ serviceName: "orders", logLevel: "ERROR" });
      const api = createApi({ logger: logs.logger })
        .get("/ok", () => "ok")
        .get("/gone", crash(new HTTPException(410)))
        .get("/down", crash(new HTTPException(503)));
      for (const path of ["/ok", "/gone", "/down"]) await inject(api, { path });
      const lines = logs.records();
      assert.deepEqual(
        lines.map((line) => [line.level, line.service, line.status_code]),
        [["ERROR", "orders", 503]],
      );
    });

    it("writes nothing with accessLog: false; getLogger() is then a throwaway record", async () => {
      const logs = captureLogs();
      const api = createApi({ logger: logs.logger, accessLog: false }).get("/", ({ log }) => {
        getLogger().a = 1;
        log.b = 2;
        return { same: getLogger() === log, method: log.method, a: log.a ?? null };
      });
      const result = await inject(api, { path: "/" });
      assert.deepEqual(result.json(), { same: false, method: "GET", a: null });
      assert.deepEqual(logs.lines, []);
    });

    it("writes through a default Powertools Logger (INFO on stdout, WARN on stderr) when none is given", async () => {
      const api = createApi().get("/", () => "ok");
      const ctx = fakeContext({ awsRequestId: "default-logger" });
      const out = await captureOutput(async () => {
        await inject(api, { path: "/", context: ctx });
        await inject(api, { path: "/missing", context: ctx });
      });
      const lines = out.map((text) => JSON.parse(text) as LogLine);
      assert.deepEqual(
        lines.map((line) => [line.level, line.status_code, line.function_request_id, line.service]),
        [
          ["INFO", 200, "default-logger", process.env.POWERTOOLS_SERVICE_NAME || "aio-lambda-api"],
          ["WARN", 404, "default-logger", process.env.POWERTOOLS_SERVICE_NAME || "aio-lambda-api"],
        ],
      );
    });

    it("takes server_id from AWS_LAMBDA_LOG_STREAM_NAME when the context has no log stream", async () => {
      const logs = captureLogs();
      const api = createApi({ logger: logs.logger }).get("/", () => 1);
      const saved = process.env.AWS_LAMBDA_LOG_STREAM_NAME;
      process.env.AWS_LAMBDA_LOG_STREAM_NAME = "2024/05/05/[$LATEST]from-env";
      try {
        await api.handler(fixture("apigw-http", "rust-http-v2-minimal"), { awsRequestId: "a" });
      } finally {
        if (saved === undefined) delete process.env.AWS_LAMBDA_LOG_STREAM_NAME;
        else process.env.AWS_LAMBDA_LOG_STREAM_NAME = saved;
      }
      assert.equal(logs.one().server_id, "2024/05/05/[$LATEST]from-env");
    });

    it("says cold_start true on the first line of an on-demand environment only", async () => {
      const saved = process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
      process.env.AWS_LAMBDA_INITIALIZATION_TYPE = "on-demand";
      const logs = captureLogs();
      if (saved === undefined) delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
      else process.env.AWS_LAMBDA_INITIALIZATION_TYPE = saved;
      const api = createApi({ logger: logs.logger }).get("/", () => 1);
      for (const id of ["first", "second"]) {
        await api.handler(
          fixture("apigw-http", "rust-http-v2-minimal"),
          fakeContext({ awsRequestId: id }),
        );
      }
      assert.deepEqual(
        logs.records().map((line) => [line.function_request_id, line.cold_start]),
        [
          ["first", true],
          ["second", false],
        ],
      );
    });

    it("answers and writes a minimal line to stderr when the logger throws", async () => {
      const logs = captureLogs();
      logs.logger.info = () => {
        throw new Error("formatter bug");
      };
      const api = createApi({ logger: logs.logger }).get("/", () => "ok");
      const written: string[] = [];
      const original = process.stderr.write;
      process.stderr.write = ((chunk: string) => written.push(chunk) > 0) as typeof original;
      let status: number;
      try {
        status = (await inject(api, { path: "/", headers: { "x-request-id": "r1" } })).status;
      } finally {
        process.stderr.write = original;
      }
      assert.equal(status, 200);
      assert.deepEqual(
        written.map((chunk) => JSON.parse(chunk)),
        [
          {
            level: "ERROR",
            message: "access log line could not be written: formatter bug",
            method: "GET",
            path: "/",
            status_code: 200,
            id: "r1",
          },
        ],
      );
    });
  });

  describe("helpers", () => {
    const levels: [number, string][] = [
      [100, "info"],
      [200, "info"],
      [304, "info"],
      [399, "info"],
      [400, "warn"],
      [404, "warn"],
      [499, "warn"],
      [500, "error"],
      [504, "error"],
      [599, "error"],
    ];
    for (const [status, level] of levels) {
      it(`logs status ${status} at ${level}`, () => assert.equal(levelOf(status), level));
    }

    it("returns the record itself from sanitizeRecord when nothing needs fixing", () => {
      const record = { method: "GET", a: 1, error_detail: [{ loc: ["body"] }] };
      assert.equal(sanitizeRecord(record), record);
    });

    it("checks error_detail like any added field", () => {
      const detail: Json = {};
      detail.self = detail;
      const out = sanitizeRecord({ method: "GET", error_detail: detail });
      assert.deepEqual(out, {
        method: "GET",
        error_detail: "[unserializable: Converting circular structure to JSON]",
        log_unserializable: ["error_detail"],
      });
    });

    it("writes nothing until the default logger is ready", () => {
      const log = createAccessLog(undefined);
      assert.doesNotThrow(() => log.write({ method: "GET" }, "info", undefined));
      assert.ok(log.ready() instanceof Promise);
    });
  });
});

describe("a user's Logger of the oldest accepted version", () => {
  // Installed under an alias (package.json devDependencies): the version the peer range starts at.
  const oldest = JSON.parse(
    readFileSync(
      new URL("../node_modules/powertools-logger-oldest/package.json", import.meta.url),
      "utf8",
    ),
  ) as { name: string; version: string };
  const range = (
    JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      peerDependencies: Record<string, string>;
    }
  ).peerDependencies[oldest.name];

  it("is the version the peer range starts at", () => {
    assert.equal(oldest.name, "@aws-lambda-powertools/logger");
    assert.equal(range, `^${oldest.version}`);
  });

  const rows: [path: string, status: number, level: string][] = [
    ["/items/1", 200, "INFO"],
    ["/nowhere", 404, "WARN"],
    ["/fail", 500, "CRITICAL"],
  ];
  for (const [path, status, level] of rows) {
    it(`writes the ${status} access-log line through it at ${level}, with the Lambda context keys`, async () => {
      const api = createApi({ logger: new OldestLogger({ serviceName: "oldest-logger-app" }) })
        .get("/items/{id}", ({ params }) => ({ id: params.id }))
        .get("/fail", () => {
          throw new Error("boom");
        });
      const event = fixture("apigw-http", "go-v2-no-authorizer.json");
      event.rawPath = path;
      (event.requestContext as { http: Json }).http.path = path;
      const ctx = fakeContext({ awsRequestId: "inv-oldest" });
      const lines = await captureOutput(() => api.handler(event, ctx).catch(() => undefined));
      assert.equal(lines.length, 1, lines.join(""));
      const line = JSON.parse(lines[0]!) as LogLine;
      assert.equal(line.service, "oldest-logger-app");
      assert.equal(line.level, level);
      assert.equal(line.message, `GET ${path} ${status}`);
      assert.equal(line.status_code, status);
      assert.equal(line.method, "GET");
      assert.equal(line.path, path);
      assert.equal(line.function_name, "fixture-test");
      assert.equal(line.function_request_id, "inv-oldest");
      assert.equal(typeof line.execution_time, "number");
      if (status === 500) assert.match(String(line.error_detail), /^Error: boom\n/);
    });
  }
});
