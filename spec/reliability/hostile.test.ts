// The hostile-input catalogue (docs/reliability.md): each input a row with its status, client body and access-log line, on every HTTP kind.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { createApi } from "../../lib/api.js";
import { Response } from "../../lib/response.js";
import { requestTo } from "../helpers/batch.js";
import { fakeContext, HTTP_KINDS, type Json } from "../helpers/fixtures.js";
import { prototypeSnapshot } from "../helpers/fuzz-app.js";
import { resultProblems } from "../helpers/oracle.js";
import { captureLogs } from "../helpers/log.js";
import { applyMutation } from "../helpers/mutate.js";

type Kind = (typeof HTTP_KINDS)[number];

/** The routes the catalogue aims at. */
function hostileApp(options: Parameters<typeof createApi>[0] = {}) {
  const Item = v.object({
    name: v.pipe(v.string(), v.minLength(1)),
    price: v.pipe(v.number(), v.finite(), v.minValue(0)),
  });
  return (
    createApi(options)
      .post("/items", ({ body }) => body, { body: Item, response: Item, status: 201 })
      .post("/loose", ({ body }) => body, {
        body: v.object({ name: v.string(), price: v.number() }),
        status: 201,
      })
      .post("/echo", ({ body }) => ({ body }))
      .post("/text", ({ request }) => ({
        text: request.text().slice(0, 20),
        length: request.text().length,
      }))
      .post(
        "/bytes",
        ({ request }) => new Response(request.bytes(), { mediaType: "application/octet-stream" }),
      )
      .get("/items/{id}", ({ params, query }) => ({ id: params.id.length, query }))
      .get("/files/{path+}", ({ params }) => ({ length: params.path.length }))
      // The fixtures bring headers of their own: only the added ones are counted.
      .get("/headers", ({ headers }) => ({
        added: Object.keys(headers).filter((name) => name.startsWith("x-h-")).length,
      }))
      .get("/cookies", ({ cookies }) => ({ cookies }))
      .get("/id", ({ request }) => ({ id: request.id }))
      .get("/header", ({ query, response }) => {
        response.headers["x-echo"] = query.v ?? "";
        return { ok: true };
      })
  );
}

const json = (text: string) =>
  ({ op: "body", body: text, flag: false, type: "application/json" }) as const;
const b64 = (bytes: number[], type: string) =>
  ({ op: "body", body: Buffer.from(bytes).toString("base64"), flag: true, type }) as const;
const deep = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;
const SIX_MB = "x".repeat(6 * 1024 * 1024);
const HEADERS = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`x-h-${i}`, `v${i}`]));

/** One catalogue row: the request (from the kind's real fixture), and what must come back and be logged. */
interface Row {
  readonly input: string;
  readonly route: string;
  readonly change?: (event: Json) => void;
  readonly status: number;
  /** The client's JSON body, exactly. */
  readonly body: unknown;
  readonly level: "INFO" | "WARN" | "ERROR";
  /** `error_detail` of the line: exact, a pattern, or absent. */
  readonly errorDetail?: unknown;
  /** The kinds the row is for, when not every HTTP kind. */
  readonly kinds?: readonly string[];
}

const apply =
  (...changes: Parameters<typeof applyMutation>[1][]) =>
  (event: Json) => {
    for (const change of changes) applyMutation(event, change);
  };

/** Sets the query as the client typed it: raw in a query string, as it stands in the maps. */
const query = (raw: string) => (event: Json) => {
  if ("rawQueryString" in event) event.rawQueryString = raw;
  else {
    const [name = "", value = ""] = raw.split("=");
    event.queryStringParameters = { [name]: value };
    event.multiValueQueryStringParameters = { [name]: [value] };
  }
};

/** Sets one query value as each kind carries it: REST decoded, HTTP API and ALB percent-encoded. */
const queryValue = (name: string, value: string) => (event: Json) => {
  const decoded = !("rawQueryString" in event) && !(event.requestContext as Json).elb;
  query(`${name}=${decoded ? value : encodeURIComponent(value)}`)(event);
};

const ROWS: readonly Row[] = [
  {
    input: "malformed JSON",
    route: "POST /items",
    change: apply(json('{"name": "a",')),
    status: 400,
    body: { detail: "Malformed JSON body" },
    level: "WARN",
    errorDetail: "Malformed JSON body",
  },
  {
    input: "JSON nested 100,000 levels",
    route: "POST /echo",
    change: apply(json(deep(100_000))),
    status: 400,
    body: { detail: "JSON body nested deeper than 1000 levels" },
    level: "WARN",
    errorDetail: "JSON body nested deeper than 1000 levels",
  },
  {
    input: "JSON nested 1,000 levels",
    route: "POST /echo",
    change: apply(json(deep(1_000))),
    status: 200,
    body: { body: JSON.parse(deep(1_000)) },
    level: "INFO",
  },
  {
    input: "a number beyond float range (1e400) with v.finite()",
    route: "POST /items",
    change: apply(json('{"name":"a","price":1e400}')),
    status: 422,
    body: {
      detail: [
        { loc: ["body", "price"], msg: "Invalid finite: Received Infinity", type: "finite" },
      ],
    },
    level: "WARN",
    errorDetail: [
      { loc: ["body", "price"], msg: "Invalid finite: Received Infinity", type: "finite" },
    ],
  },
  {
    input: "a number beyond float range (1e400) with a bare v.number()",
    route: "POST /loose",
    change: apply(json('{"name":"a","price":1e400}')),
    status: 201,
    body: { name: "a", price: null },
    level: "INFO",
  },
  {
    input: "an integer beyond 2^53",
    route: "POST /echo",
    change: apply(json("123456789012345678901234567890")),
    status: 200,
    body: { body: 1.2345678901234568e29 },
    level: "INFO",
  },
  {
    input: "__proto__ and constructor keys in a body",
    route: "POST /items",
    change: apply(
      json(
        '{"name":"a","price":1,"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
      ),
    ),
    status: 201,
    body: { name: "a", price: 1 },
    level: "INFO",
  },
  {
    input: "__proto__ keys in query, cookie and header names",
    route: "GET /items/1",
    change: (event) => {
      query("__proto__=1")(event);
      apply(
        { op: "header", name: "__proto__", value: "1" },
        { op: "header", name: "cookie", value: "__proto__=1" },
      )(event);
    },
    status: 200,
    body: { id: 1, query: {} },
    level: "INFO",
  },
  {
    input: "invalid UTF-8 in a JSON body (hostile-input defect #2)",
    route: "POST /echo",
    change: apply(b64([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d], "application/json")),
    status: 400,
    body: { detail: "Malformed JSON body" },
    level: "WARN",
    errorDetail: "The JSON body is not valid UTF-8",
  },
  {
    input: "invalid UTF-8 read as text",
    route: "POST /text",
    change: apply(b64([0x61, 0xff, 0x62], "text/plain")),
    status: 200,
    body: { text: "a\ufffdb", length: 3 },
    level: "INFO",
  },
  {
    input: "invalid base64 flagged isBase64Encoded",
    route: "POST /echo",
    change: apply({ op: "body", body: "%%%not base64", flag: true, type: "application/json" }),
    status: 400,
    body: { detail: "Body is flagged base64 but is not valid base64" },
    level: "WARN",
    errorDetail: "Body is flagged base64 but is not valid base64",
  },
  {
    input: "bad percent-encoding in the path",
    route: "GET /items/%E0%A4%A",
    status: 400,
    body: { detail: "Invalid percent-encoding in path" },
    level: "WARN",
    errorDetail: "Invalid percent-encoding in path",
    // An HTTP API delivers the path decoded already: a `%` left in it is a character.
    kinds: ["apigw-rest", "function-url", "alb"],
  },
  {
    input: "a % that is not an escape in a path delivered decoded",
    route: "GET /items/%E0%A4%A",
    status: 200,
    body: { id: 8, query: {} },
    level: "INFO",
    kinds: ["apigw-http"],
  },
  {
    input: "bad percent-encoding in the query",
    route: "GET /items/1",
    change: query("q=%ZZ"),
    status: 200,
    body: { id: 1, query: { q: "%ZZ" } },
    level: "INFO",
  },
  {
    input: "a path of 100 kB",
    route: `GET /files/${"a/".repeat(50_000)}b`,
    status: 200,
    body: { length: 100_001 },
    level: "INFO",
  },
  {
    input: "a path of 100 kB that matches no route",
    route: `GET /${"a".repeat(100_000)}`,
    status: 404,
    body: { detail: "Not Found" },
    level: "WARN",
  },
  {
    input: "1,000 headers",
    route: "GET /headers",
    change: (event) => {
      for (const [name, value] of Object.entries(HEADERS))
        applyMutation(event, { op: "header", name, value });
    },
    status: 200,
    body: { added: 1_000 },
    level: "INFO",
  },
  {
    input: "a 6 MB body",
    route: "POST /text",
    change: apply({ op: "body", body: SIX_MB, flag: false, type: "text/plain" }),
    status: 200,
    body: { text: "x".repeat(20), length: SIX_MB.length },
    level: "INFO",
  },
  {
    input: "a 6 MB body echoed back (over Lambda's 6 MB result limit)",
    route: "POST /bytes",
    change: apply({ op: "body", body: SIX_MB, flag: false, type: "text/plain" }),
    status: 500,
    body: { detail: "Internal Server Error" },
    level: "ERROR",
    errorDetail:
      /^The response of about \d+ bytes exceeds Lambda's 6 MB response payload limit; answered 500 instead$/,
  },
  {
    input: "cookies with odd syntax",
    route: "GET /cookies",
    change: apply({
      op: "header",
      name: "cookie",
      value: '=; ;a;b=;__proto__=1; toString=2; c=%ZZ; d="q"; e=1=2; f=%E2%9C%93',
    }),
    status: 200,
    body: { cookies: { "": "", b: "", toString: "2", c: "%ZZ", d: '"q"', e: "1=2", f: "✓" } },
    level: "INFO",
  },
  {
    input: "a method with CR/LF",
    route: "GE\r\nT /headers",
    status: 405,
    body: { detail: "Method Not Allowed" },
    level: "WARN",
  },
];

const ROUTE_HEADER = "a\r\nSet-Cookie: evil=1";

function eventFor(kind: Kind, row: Row): Json {
  const [method = "GET", path = "/"] = row.route.split(" ");
  const event = requestTo(kind, method, path);
  delete event.cookies;
  row.change?.(event);
  return event;
}

describe("hostile input", () => {
  for (const row of ROWS) {
    for (const kind of HTTP_KINDS.filter((k) => !row.kinds || row.kinds.includes(k))) {
      it(`answers ${row.status} to ${row.input} (${kind}), with one ${row.level} line`, async () => {
        const logs = captureLogs();
        const prototypes = prototypeSnapshot();
        const result = (await hostileApp({ logger: logs.logger }).handler(
          eventFor(kind, row),
          fakeContext(),
        )) as { statusCode: number; body: string };
        assert.deepEqual(resultProblems(result), []);
        assert.equal(result.statusCode, row.status);
        assert.deepEqual(JSON.parse(result.body), row.body);
        const line = logs.one();
        assert.equal(line.level, row.level);
        assert.equal(line.status_code, row.status);
        if (row.errorDetail instanceof RegExp)
          assert.match(String(line.error_detail), row.errorDetail);
        else assert.deepEqual(line.error_detail, row.errorDetail);
        assert.equal(prototypeSnapshot(), prototypes);
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
      });
    }
  }

  const BAD_IDS: [string, string][] = [
    ["CR/LF", "abc\r\nSet-Cookie: evil=1"],
    ["10 kB", "a".repeat(10_240)],
  ];
  for (const [what, id] of BAD_IDS) {
    for (const kind of HTTP_KINDS) {
      it(`ignores an X-Request-ID of ${what} and uses the gateway's or the invocation's id (${kind})`, async () => {
        const logs = captureLogs();
        const event = requestTo(kind, "GET", "/id");
        applyMutation(event, { op: "header", name: "X-Request-ID", value: id });
        const context = fakeContext({ awsRequestId: "invocation-1" });
        const result = (await hostileApp({ logger: logs.logger }).handler(event, context)) as {
          statusCode: number;
          body: string;
          headers?: Record<string, string>;
          multiValueHeaders?: Record<string, string[]>;
        };
        const gateway = (event.requestContext as Json).requestId;
        const expected = typeof gateway === "string" ? gateway : "invocation-1";
        assert.deepEqual(resultProblems(result), []);
        assert.equal(result.statusCode, 200);
        assert.deepEqual(JSON.parse(result.body), { id: expected });
        const echoed =
          result.headers?.["x-request-id"] ?? result.multiValueHeaders?.["x-request-id"]?.[0];
        assert.equal(echoed, expected);
        assert.deepEqual([logs.one().id, logs.one().level], [expected, "INFO"]);
      });
    }
  }

  for (const kind of HTTP_KINDS) {
    it(`refuses a header value with CR/LF set by a route: the handler throws, logs critical, never emits it (${kind})`, async () => {
      const logs = captureLogs();
      const event = requestTo(kind, "GET", "/header");
      queryValue("v", ROUTE_HEADER)(event);
      await assert.rejects(hostileApp({ logger: logs.logger }).handler(event, fakeContext()), {
        name: "TypeError",
        message: 'Response header "x-echo" holds CR, LF or NUL; it is refused',
      });
      const line = logs.one();
      assert.equal(line.level, "CRITICAL");
      assert.equal(line.status_code, 500);
      assert.match(
        String(line.error_detail),
        /^TypeError: Response header "x-echo" holds CR, LF or NUL/,
      );
    });

    it(`answers 500 without the header when uncaughtErrors is "respond" (${kind})`, async () => {
      const logs = captureLogs();
      const event = requestTo(kind, "GET", "/header");
      queryValue("v", ROUTE_HEADER)(event);
      const api = hostileApp({ logger: logs.logger, uncaughtErrors: "respond" });
      const result = (await api.handler(event, fakeContext())) as {
        statusCode: number;
        body: string;
      };
      assert.deepEqual(resultProblems(result), []);
      assert.equal(result.statusCode, 500);
      assert.deepEqual(JSON.parse(result.body), { detail: "Internal Server Error" });
      assert.doesNotMatch(JSON.stringify(result), /evil|x-echo/);
      assert.equal(logs.one().level, "CRITICAL");
    });
  }

  it("reads a v2 cookies array with bare tokens, empty names, repeats and bad escapes", async () => {
    const logs = captureLogs();
    const event = requestTo("apigw-http", "GET", "/cookies");
    event.cookies = ["noeq", "=v", "a=1", "a=2", "__proto__=x", "b=%ZZ", "c=\u0000"];
    const result = (await hostileApp({ logger: logs.logger }).handler(event, fakeContext())) as {
      statusCode: number;
      body: string;
    };
    assert.equal(result.statusCode, 200);
    assert.deepEqual(JSON.parse(result.body), {
      cookies: { "": "v", a: "1", b: "%ZZ", c: "\u0000" },
    });
    assert.equal(logs.one().level, "INFO");
  });
});
