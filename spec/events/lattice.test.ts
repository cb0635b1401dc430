// VPC Lattice v1 and v2 against the real fixtures: what a route sees through api.handler, and the result Lattice gets.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import * as v from "valibot";
import { detectEvent } from "../../lib/events/detect.js";
import { latticeRequest, latticeResult } from "../../lib/events/lattice.js";
import { createApi, type Request, Response } from "../../lib/index.js";
import { fakeContext, fixture, fixtureNames, type Json } from "../helpers/fixtures.js";
import { captureLogs } from "../helpers/log.js";
import { inject } from "../../lib/testing/index.js";

const lattice = (name: string): Json => fixture("vpc-lattice", name);

interface Seen {
  source: string;
  kind: string;
  method: string;
  path: string;
  queryAll: Readonly<Record<string, readonly string[]>>;
  headers: Readonly<Record<string, string>>;
  text: string;
  id: string;
}

const seen = (request: Request): Seen => ({
  source: request.source,
  kind: request.kind,
  method: request.method,
  path: request.path,
  queryAll: request.queryAll,
  headers: request.headers,
  text: request.text(),
  id: request.id,
});

const echo = () =>
  createApi({ accessLog: false })
    .get("/testpath", ({ request }) => seen(request))
    .get("/newpath", ({ request }) => seen(request));

const V1_HEADERS = {
  user_agent: "curl/7.64.1",
  "x-forwarded-for": "10.213.229.10",
  host: "test-lambda-service-3908sdf9u3u.dkfjd93.vpc-lattice-svcs.us-east-2.on.aws",
  accept: "*/*",
};

/** Every fixture: what the route saw. */
const EXPECTED: Record<string, Omit<Seen, "id">> = {
  "powertools-py-v1-base64.json": {
    source: "lattice",
    kind: "lattice",
    method: "GET",
    path: "/testpath",
    queryAll: { "order-id": ["1"] },
    headers: { ...V1_HEADERS, header1: "value1", header2: "value1,value2" },
    text: '{"test": "event"}',
  },
  "powertools-ts-v1.json": {
    source: "lattice",
    kind: "lattice",
    method: "GET",
    path: "/testpath",
    queryAll: { "order-id": ["1"] },
    headers: V1_HEADERS,
    text: '{"message": "Hello from Lambda!"}',
  },
  "powertools-py-v2.json": {
    source: "lattice",
    kind: "lattice",
    method: "GET",
    path: "/newpath",
    queryAll: { "order-id": ["1"] },
    headers: V1_HEADERS,
    text: '{"message": "Hello from Lambda!"}',
  },
  "powertools-py-v2-array-values.json": {
    source: "lattice",
    kind: "lattice",
    method: "GET",
    path: "/newpath",
    queryAll: { parameter1: ["value1", "value2"], parameter2: ["value"] },
    headers: {
      "user-agent": "curl/8.3.0",
      accept: "*/*",
      powertools: "a, b",
      "x-forwarded-for": "172.31.40.143",
      host: "lattice-svc-027b423199122da5f.7d67968.vpc-lattice-svcs.us-east-1.on.aws",
      header1: "value1",
      header2: "value1, value2",
    },
    text: '{"message": "Hello from Lambda!"}',
  },
};

describe("VPC Lattice through api.handler", () => {
  it("has a row for every fixture of vpc-lattice/", () => {
    assert.deepEqual(fixtureNames("vpc-lattice"), Object.keys(EXPECTED).sort());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`serves vpc-lattice/${name} and answers in Lattice's shape`, async () => {
      const result = (await echo().handler(
        lattice(name),
        fakeContext({ awsRequestId: "inv-1" }),
      )) as Record<string, unknown>;
      assert.deepEqual(Object.keys(result).sort(), [
        "body",
        "headers",
        "isBase64Encoded",
        "statusCode",
        "statusDescription",
      ]);
      assert.equal(result.statusCode, 200);
      assert.equal(result.statusDescription, "200 OK");
      assert.equal(result.isBase64Encoded, false);
      assert.deepEqual(result.headers, {
        "content-type": "application/json",
        "x-request-id": "inv-1",
      });
      // Lattice sends no request id of its own: the invocation's is used.
      assert.deepEqual(JSON.parse(result.body as string), { ...expected, id: "inv-1" });
    });
  }

  it("detects v1 by raw_path and v2 by path with a service network ARN", () => {
    assert.equal(detectEvent(lattice("powertools-ts-v1")), "lattice-v1");
    assert.equal(detectEvent(lattice("powertools-py-v2")), "lattice-v2");
  });

  it("gives a repeated v2 query key every value with an array schema, the last without", async () => {
    const api = createApi({ accessLog: false }).get("/newpath", ({ query }) => query, {
      query: v.object({ parameter1: v.array(v.string()), parameter2: v.string() }),
    });
    const result = (await api.handler(lattice("powertools-py-v2-array-values"))) as {
      body: string;
    };
    assert.deepEqual(JSON.parse(result.body), {
      parameter1: ["value1", "value2"],
      parameter2: "value",
    });
    const plain = createApi({ accessLog: false }).get("/newpath", ({ query }) => query);
    const last = (await plain.handler(lattice("powertools-py-v2-array-values"))) as {
      body: string;
    };
    assert.deepEqual(JSON.parse(last.body), { parameter1: "value2", parameter2: "value" });
  });

  it("validates a v1 base64 JSON body against a body schema", async () => {
    const event = lattice("powertools-py-v1-base64");
    event.method = "POST";
    event.headers = { ...(event.headers as Json), "content-type": "application/json" };
    const api = createApi({ accessLog: false }).post("/testpath", ({ body }) => body, {
      body: v.object({ test: v.string() }),
    });
    const result = (await api.handler(event)) as { statusCode: number; body: string };
    assert.equal(result.statusCode, 200);
    assert.deepEqual(JSON.parse(result.body), { test: "event" });
  });

  it("answers 422 with the issue when a v2 body fails its schema", async () => {
    const event = lattice("powertools-py-v2");
    event.method = "POST";
    const api = createApi({ accessLog: false }).post("/newpath", ({ body }) => body, {
      body: v.object({ message: v.number() }),
    });
    const result = (await api.handler(event)) as Json;
    assert.equal(result.statusCode, 422);
    assert.equal(result.statusDescription, "422 Unprocessable Content");
    assert.deepEqual(JSON.parse(result.body as string).detail[0].loc, ["body", "message"]);
  });

  it("answers 404 with the reason phrase in statusDescription and the body", async () => {
    const result = (await createApi({ accessLog: false }).handler(
      lattice("powertools-py-v2"),
    )) as Json;
    assert.equal(result.statusCode, 404);
    assert.equal(result.statusDescription, "404 Not Found");
    assert.deepEqual(JSON.parse(result.body as string), { detail: "Not Found" });
  });

  it("sends bytes base64-encoded and keeps only the last Set-Cookie in single-value headers", async () => {
    const api = createApi({ accessLog: false }).get("/testpath", ({ response }) => {
      response.setCookie("a", "1");
      response.setCookie("b", "2");
      return new Response(new Uint8Array([0, 255, 128]), {
        mediaType: "application/octet-stream",
        headers: { vary: ["accept", "origin"] },
      });
    });
    const result = (await api.handler(lattice("powertools-ts-v1"))) as Json;
    assert.equal(result.isBase64Encoded, true);
    assert.deepEqual(Buffer.from(result.body as string, "base64"), Buffer.from([0, 255, 128]));
    const headers = result.headers as Record<string, string>;
    assert.equal(headers["set-cookie"], "b=2");
    assert.equal(headers.vary, "accept, origin");
  });

  it("writes the access-log line with the method, path and status", async () => {
    const logs = captureLogs();
    const api = createApi({ logger: logs.logger }).get("/newpath", () => ({ ok: true }));
    await api.handler(lattice("powertools-py-v2"), fakeContext());
    const line = logs.one();
    assert.equal(line.method, "GET");
    assert.equal(line.path, "/newpath");
    assert.equal(line.status_code, 200);
    assert.equal(line.user_agent, undefined);
  });
});

describe("inject with format lattice", () => {
  it("builds a v2 event: repeated query values, headers, cookies and a JSON body reach the route", async () => {
    const api = createApi({ accessLog: false }).post(
      "/items/{id}",
      ({ params, query, cookies, body, request }) => {
        return { id: params.id, tags: query.tag, cookies, body, source: request.source };
      },
      { query: v.object({ tag: v.array(v.string()) }) },
    );
    const res = await inject(api, {
      format: "lattice",
      method: "POST",
      path: "/items/7?tag=a",
      query: { tag: "b" },
      cookies: { session: "s 1" },
      body: { n: 1 },
    });
    assert.equal(res.status, 200);
    assert.equal((res.result as Json).statusDescription, "200 OK");
    assert.deepEqual(res.json(), {
      id: "7",
      tags: ["a", "b"],
      cookies: { session: "s 1" },
      body: { n: 1 },
      source: "lattice",
    });
    assert.equal(detectEvent(await lastEvent(api)), "lattice-v2");
  });
});

/** The event `inject` built, seen through a handler that records it. */
async function lastEvent(api: ReturnType<typeof createApi>): Promise<unknown> {
  let event: unknown;
  await inject(
    api.get("/__event", ({ request }) => void (event = request.event)),
    {
      format: "lattice",
      path: "/__event",
    },
  );
  return event;
}

describe("latticeRequest", () => {
  const cases: [string, Json, "v1" | "v2", string, Record<string, string[]>][] = [
    [
      "a query inside raw_path",
      { raw_path: "/a?x=1&x=2", method: "get" },
      "v1",
      "/a",
      { x: ["1", "2"] },
    ],
    ["an empty raw_path", { raw_path: "", method: "GET" }, "v1", "/", {}],
    [
      "a query map that wins over a query in the path",
      { path: "/b?y=0", method: "GET", queryStringParameters: { y: "1" } },
      "v2",
      "/b",
      { y: ["1"] },
    ],
    [
      "non-string values, dropped",
      { path: "/c", method: "GET", queryStringParameters: { n: 1, a: [2, "ok"] } },
      "v2",
      "/c",
      { a: ["ok"] },
    ],
  ];
  for (const [what, event, version, path, query] of cases) {
    it(`reads ${what}`, () => {
      const incoming = latticeRequest(event, version);
      assert.equal(incoming.path, path);
      assert.deepEqual(incoming.query, query);
      assert.equal(incoming.method, String(event.method).toUpperCase());
    });
  }

  it("reads is_base64_encoded in v1 and isBase64Encoded in v2, not the other spelling", () => {
    assert.equal(
      latticeRequest({ raw_path: "/", is_base64_encoded: true }, "v1").isBase64Encoded,
      true,
    );
    assert.equal(
      latticeRequest({ raw_path: "/", isBase64Encoded: true }, "v1").isBase64Encoded,
      false,
    );
    assert.equal(latticeRequest({ path: "/", isBase64Encoded: true }, "v2").isBase64Encoded, true);
    assert.equal(
      latticeRequest({ path: "/", is_base64_encoded: true }, "v2").isBase64Encoded,
      false,
    );
  });
});

describe("latticeResult", () => {
  it("shapes an empty reply with an empty body and a reason phrase", () => {
    assert.deepEqual(latticeResult({ status: 204, headers: {}, body: undefined }), {
      statusCode: 204,
      statusDescription: "204 No Content",
      headers: {},
      body: "",
      isBase64Encoded: false,
    });
  });
});

describe("hostile Lattice events", () => {
  const value = fc.oneof(
    fc.string(),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.integer(),
    fc.constant(null),
    fc.constant(undefined),
  );
  const map = fc.option(fc.dictionary(fc.string({ maxLength: 12 }), value, { maxKeys: 5 }));
  const event = fc.record({
    version: fc.constantFrom("v1", "v2"),
    path: fc.string({ maxLength: 30 }),
    method: fc.constantFrom("GET", "post", "PATCH", "", "DELETE"),
    headers: map,
    query: map,
    body: fc.option(fc.string({ maxLength: 40 })),
    base64: fc.boolean(),
  });

  it("answers every generated v1 and v2 event with a Lattice result, never a throw", async () => {
    const api = createApi({ accessLog: false }).post("/{p+}", ({ request }) => ({
      n: request.bytes().byteLength,
    }));
    await fc.assert(
      fc.asyncProperty(event, async (e) => {
        const raw: Json =
          e.version === "v1"
            ? {
                raw_path: e.path,
                method: e.method,
                headers: e.headers,
                query_string_parameters: e.query,
                body: e.body,
                is_base64_encoded: e.base64,
              }
            : {
                version: "2.0",
                path: e.path,
                method: e.method,
                headers: e.headers,
                queryStringParameters: e.query,
                body: e.body,
                isBase64Encoded: e.base64,
                requestContext: { serviceNetworkArn: "arn:x", timeEpoch: "1" },
              };
        const result = (await api.handler(raw)) as Json;
        assert.equal(typeof result.statusCode, "number");
        assert.match(String(result.statusDescription), /^\d{3} /);
        assert.equal(typeof result.body, "string");
      }),
      { numRuns: 300 },
    );
  });
});
