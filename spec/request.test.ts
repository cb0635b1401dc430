// Tests of the request a route sees: query, cookies, the lazy body, content type, the request id, and its event, record and context.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createApi } from "../lib/api.js";
import { HTTPException } from "../lib/errors.js";
import { chooseRequestId, LambdaRequest } from "../lib/request.js";
import type { IncomingRequest } from "../lib/events/incoming.js";
import { fakeContext, type FixtureKind, fixture } from "./helpers/fixtures.js";
import { inject } from "../lib/testing/index.js";
import { multipart } from "../lib/forms/index.js";
import { batchHandler } from "../lib/batch/index.js";
import type { Request } from "../lib/index.js";
import { requestTo, sqsEvent } from "./helpers/batch.js";

function incoming(overrides: Partial<IncomingRequest> = {}): IncomingRequest {
  return {
    kind: "http-api",
    method: "POST",
    path: "/",
    headers: {},
    query: {},
    cookies: undefined,
    body: undefined,
    isBase64Encoded: false,
    requestId: "gateway-id",
    sourceIp: "127.0.0.1",
    multiValueHeaders: false,
    ...overrides,
  };
}

const request = (overrides: Partial<IncomingRequest> = {}) =>
  new LambdaRequest(incoming(overrides), { raw: true }, { awsRequestId: "invocation-id" });

const quiet = () => createApi({ accessLog: false });

describe("LambdaRequest", () => {
  it("gives the last value of a repeated query key and every value in queryAll", () => {
    const req = request({ query: { a: ["1", "2", "3"], b: ["x"] } });
    assert.deepEqual(req.query, { a: "3", b: "x" });
    assert.deepEqual(req.queryAll, { a: ["1", "2", "3"], b: ["x"] });
    assert.equal(req.query, req.query, "the single-value map is made once");
  });

  it("parses cookies from the cookie header", () => {
    const req = request({ headers: { cookie: "a=1; b=hello%20world; __proto__=x" } });
    assert.deepEqual({ ...req.cookies }, { a: "1", b: "hello world" });
    assert.equal(Object.getPrototypeOf(req.cookies), Object.prototype);
  });

  it("prefers the payload 2.0 cookies array over the cookie header, counting each once", () => {
    const req = request({ cookies: ["a=1", "b=2"], headers: { cookie: "a=1; b=2" } });
    assert.deepEqual(req.cookies, { a: "1", b: "2" });
  });

  it("gives an empty cookie map when there are none", () => {
    assert.deepEqual(request().cookies, {});
  });

  const types: [header: string | undefined, contentType: string | undefined][] = [
    [undefined, undefined],
    ["application/json", "application/json"],
    ["Application/JSON; charset=utf-8", "application/json"],
    ["application/problem+json", "application/problem+json"],
    ["text/plain;charset=utf-8", "text/plain"],
    ["application/octet-stream", "application/octet-stream"],
    ["  ; charset=utf-8", undefined],
  ];
  for (const [header, contentType] of types) {
    it(`reads the content type ${JSON.stringify(header)} as ${JSON.stringify(contentType)}`, () => {
      const req = request({ headers: header === undefined ? {} : { "content-type": header } });
      assert.equal(req.contentType, contentType);
    });
  }

  it("gives empty bytes, empty text and undefined JSON for no body", () => {
    for (const body of [undefined, ""]) {
      const req = request({ body });
      assert.equal(req.hasBody, false);
      assert.equal(req.bytes().byteLength, 0);
      assert.equal(req.text(), "");
      assert.equal(req.json(), undefined);
    }
  });

  it("keeps text bodies as they came and encodes their bytes as UTF-8", () => {
    const req = request({ body: "héllo" });
    assert.equal(req.hasBody, true);
    assert.equal(req.text(), "héllo");
    assert.deepEqual([...req.bytes()], [...Buffer.from("héllo", "utf8")]);
  });

  it("decodes a base64 body to its exact bytes", () => {
    const bytes = Uint8Array.from([0, 255, 128, 10, 13]);
    const req = request({ body: Buffer.from(bytes).toString("base64"), isBase64Encoded: true });
    assert.deepEqual([...req.bytes()], [...bytes]);
    assert.equal(req.bytes(), req.bytes(), "bytes are decoded once");
  });

  it("decodes a base64 body to text and JSON", () => {
    const req = request({ body: Buffer.from('{"a":1}').toString("base64"), isBase64Encoded: true });
    assert.equal(req.text(), '{"a":1}');
    assert.deepEqual(req.json(), { a: 1 });
  });

  it("refuses a body flagged base64 that is not base64 with 400", () => {
    const req = request({ body: "Hello from Lambda!", isBase64Encoded: true });
    for (const read of [() => req.bytes(), () => req.text(), () => req.json()]) {
      assert.throws(read, (error: unknown) => {
        assert.ok(error instanceof HTTPException);
        assert.equal(error.status, 400);
        assert.equal(error.detail, "Body is flagged base64 but is not valid base64");
        return true;
      });
    }
  });

  it("parses JSON once and returns the same value every time", () => {
    const req = request({ body: '{"a":[1,2]}' });
    const first = req.json();
    assert.deepEqual(first, { a: [1, 2] });
    assert.equal(req.json(), first);
  });

  it("refuses malformed JSON with 400 only when JSON is read", () => {
    const req = request({ body: "{nope" });
    assert.equal(req.text(), "{nope");
    assert.throws(() => req.json(), {
      name: "HTTPException",
      status: 400,
      detail: "Malformed JSON body",
    });
  });

  it("keeps __proto__ in a JSON body as a plain key, never a prototype", () => {
    const req = request({ body: '{"__proto__":{"polluted":true}}' });
    const value = req.json() as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.keys(value), ["__proto__"]);
  });

  it("exposes the raw event, the context and the kind", () => {
    const req = request();
    assert.deepEqual(req.event, { raw: true });
    assert.equal(req.context?.awsRequestId, "invocation-id");
    assert.equal(req.kind, "http-api");
    assert.equal(req.source, "http");
    assert.equal(req.record, undefined);
    assert.equal(req.sourceIp, "127.0.0.1");
  });
});

describe("LambdaRequest: the body as data", () => {
  const SCHEMA = new Set(["tag"]);
  const bytesOf = (text: string) => [...Buffer.from(text)];
  const body = (type: string | undefined, text: string | undefined) =>
    request({ headers: type === undefined ? {} : { "content-type": type }, body: text });
  const unsupported = (type: string) => ({
    name: "HTTPException",
    status: 415,
    detail: `Content type ${JSON.stringify(type)} is not supported; send JSON`,
  });
  // [what, content type, body, read without a schema, read for a schema with the array key "tag"]
  const rows: [string, string | undefined, string | undefined, unknown, unknown][] = [
    ["no body", "application/json", undefined, undefined, undefined],
    ["an empty body", undefined, "", undefined, undefined],
    ["JSON", "application/json; charset=utf-8", '{"a":1}', { a: 1 }, { a: 1 }],
    ["JSON without a content type", undefined, "[1]", [1], [1]],
    ["+json", "application/problem+json", '"x"', "x", "x"],
    [
      "urlencoded fields",
      "application/x-www-form-urlencoded",
      "tag=a&tag=b&n=1&n=2",
      { tag: "b", n: "2" },
      { tag: ["a", "b"], n: "2" },
    ],
    ["text/*", "text/csv", "a,b", "a,b", unsupported("text/csv")],
    [
      "bytes",
      "application/octet-stream",
      "\u0001",
      bytesOf("\u0001"),
      unsupported("application/octet-stream"),
    ],
    ["XML", "application/xml", "<a/>", bytesOf("<a/>"), unsupported("application/xml")],
  ];
  const read = (req: LambdaRequest, schema?: Set<string>) => {
    const value = req.readBody(schema);
    return value instanceof Uint8Array ? [...value] : value;
  };
  for (const [what, type, text, loose, schema] of rows) {
    it(`reads ${what} for a route without a body schema and for a body schema`, () => {
      assert.deepEqual(read(body(type, text)), loose);
      const forSchema = () => read(body(type, text), SCHEMA);
      if (schema instanceof Object && "status" in schema) assert.throws(forSchema, schema);
      else assert.deepEqual(forSchema(), schema);
    });
  }

  it("answers 400 for a malformed JSON body, with or without a content type", () => {
    for (const type of ["application/json", undefined]) {
      for (const schema of [undefined, SCHEMA]) {
        assert.throws(() => body(type, "{nope").readBody(schema), {
          status: 400,
          detail: "Malformed JSON body",
        });
      }
    }
  });

  const B = "XyZ";
  const MULTIPART = `multipart/form-data; boundary=${B}`;
  const field = (name: string, value: string) =>
    `--${B}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const FORM = `${field("tag", "a")}${field("tag", "b")}--${B}\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n\u0000\u00ff\r\n--${B}--\r\n`;

  it("reads a multipart body parsed by parseForm: last values or arrays, files as Files", async () => {
    const req = body(MULTIPART, FORM);
    await req.parseForm(multipart());
    const loose = req.readBody() as Record<string, unknown>;
    assert.equal(loose.tag, "b");
    assert.ok(loose.f instanceof File);
    assert.equal(loose.f.name, "a.bin");
    const forSchema = req.readBody(SCHEMA) as Record<string, unknown>;
    assert.deepEqual(forSchema.tag, ["a", "b"]);
    assert.equal(forSchema.f, loose.f, "the body is parsed once, whoever reads it");
  });

  it("keeps what parsing met on the request: readers get the 400 or 413, the bytes stay readable", async () => {
    const rows: [string, string, Parameters<LambdaRequest["parseForm"]>[0], number, string][] = [
      [
        "a malformed body",
        "no boundary in sight",
        multipart(),
        400,
        "Malformed multipart body: it is not multipart/form-data that can be read (a missing or broken boundary, part header or closing boundary)",
      ],
      [
        "a body past a limit",
        FORM,
        multipart({ maxParts: 2 }),
        413,
        "The multipart body has more than 2 parts (multipart maxParts)",
      ],
    ];
    for (const [what, text, limits, status, detail] of rows) {
      const req = body(MULTIPART, text);
      await req.parseForm(limits);
      for (const schema of [undefined, SCHEMA]) {
        assert.throws(() => req.readBody(schema), { status, detail }, what);
      }
      assert.equal(req.text(), text, what);
    }
  });

  it("keeps a multipart body flagged base64 that is not as a 400 for its readers", async () => {
    const req = request({
      headers: { "content-type": MULTIPART },
      body: "not base64!",
      isBase64Encoded: true,
    });
    await req.parseForm(multipart());
    assert.throws(() => req.readBody(SCHEMA), {
      status: 400,
      detail: "Body is flagged base64 but is not valid base64",
    });
  });

  it("gives the bytes of a multipart body nothing parsed (a request no route took)", () => {
    assert.deepEqual(read(body(MULTIPART, FORM)), bytesOf(FORM));
  });

  it("parses nothing, at once, for a request without a multipart body", () => {
    for (const req of [
      body(MULTIPART, undefined),
      body("application/json", "{}"),
      body(undefined, "x"),
      body("application/x-www-form-urlencoded", "a=1"),
    ]) {
      assert.equal(req.parseForm(undefined), undefined);
    }
  });
});

describe("chooseRequestId", () => {
  const long = "a".repeat(200);
  const rows: [header: string | undefined, gateway: string | undefined, chosen: string][] = [
    ["client-id-1", "gateway-id", "client-id-1"],
    ["Root=1-5eb33c07;x=y", "gateway-id", "Root=1-5eb33c07;x=y"],
    [long, "gateway-id", long],
    [`${long}a`, "gateway-id", "gateway-id"],
    ["has space", "gateway-id", "gateway-id"],
    ['has"quote', "gateway-id", "gateway-id"],
    ["has'quote", "gateway-id", "gateway-id"],
    ["line\nbreak", "gateway-id", "gateway-id"],
    ["tab\there", "gateway-id", "gateway-id"],
    ["", "gateway-id", "gateway-id"],
    ["é", "gateway-id", "gateway-id"],
    [undefined, "gateway-id", "gateway-id"],
    [undefined, "MIZRNhJtIAMEMDw=", "MIZRNhJtIAMEMDw="],
    [undefined, undefined, "invocation-id"],
    [undefined, "", "invocation-id"],
    ["bad id", "bad gateway", "invocation-id"],
  ];
  for (const [header, gateway, chosen] of rows) {
    it(`chooses ${JSON.stringify(chosen.slice(0, 30))} for header ${JSON.stringify(header?.slice(0, 30))} and gateway ${JSON.stringify(gateway)}`, () => {
      const req = incoming({
        headers: header === undefined ? {} : { "x-request-id": header },
        requestId: gateway,
      });
      assert.equal(chooseRequestId(req, { awsRequestId: "invocation-id" }), chosen);
    });
  }

  it("makes a UUID when there is no id at all", () => {
    const id = chooseRequestId(incoming({ requestId: undefined }), undefined);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("request id through the handler", () => {
  const api = quiet().get("/{p+}", ({ request }) => request.id);
  const long = "x".repeat(201);
  const rows: [kind: FixtureKind, name: string, header: string | undefined, id: string][] = [
    ["apigw-http", "rust-http-v2-minimal", "client-1", "client-1"],
    ["apigw-http", "rust-http-v2-minimal", "has space", "MIZRNhJtIAMEMDw="],
    ["apigw-http", "rust-http-v2-minimal", 'has"quote', "MIZRNhJtIAMEMDw="],
    ["apigw-http", "rust-http-v2-minimal", "line\nbreak", "MIZRNhJtIAMEMDw="],
    ["apigw-http", "rust-http-v2-minimal", long, "MIZRNhJtIAMEMDw="],
    ["apigw-http", "rust-http-v2-minimal", undefined, "MIZRNhJtIAMEMDw="],
    ["apigw-rest", "rust-http-proxy-request", "has space", "41b45ea3-70b5-11e6-b7bd-69b5aaebc7d9"],
    ["alb", "rust-http-single-value", "client-2", "client-2"],
    ["alb", "rust-http-single-value", "has space", "invocation-9"],
    ["apigw-rest", "direct-minimal-catch-all", undefined, "invocation-9"],
  ];
  for (const [kind, name, header, id] of rows) {
    it(`chooses ${JSON.stringify(id)} for x-request-id ${JSON.stringify(header?.slice(0, 20))} in ${kind}/${name}`, async () => {
      const event = fixture(kind, name);
      event.headers = {
        ...(event.headers as object),
        ...(header ? { "x-request-id": header } : {}),
      };
      if (kind === "apigw-http") (event as { rawPath: string }).rawPath = "/who";
      else (event as { path: string }).path = "/who";
      const result = (await api.handler(event, fakeContext({ awsRequestId: "invocation-9" }))) as {
        body: string;
        headers: Record<string, string>;
      };
      assert.equal(JSON.parse(result.body), id);
      assert.equal(result.headers["x-request-id"], id);
    });
  }
});

describe("request through the handler", () => {
  it("never parses the body of a route that does not read it", async () => {
    const api = quiet().post("/", () => "fine");
    const res = await inject(api, {
      method: "POST",
      path: "/",
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    assert.equal(res.status, 200);
    assert.equal(res.json(), "fine");
  });

  it("answers 400 when a route reads a malformed JSON body", async () => {
    const api = quiet().post("/", ({ body }) => body);
    const res = await inject(api, { method: "POST", path: "/", body: "{not json" });
    assert.equal(res.status, 400);
    assert.equal(res.body, '{"detail":"Malformed JSON body"}');
  });

  it("gives the route the request id it echoes in x-request-id", async () => {
    const api = quiet().get("/", ({ request }) => request.id);
    const res = await inject(api, { path: "/", headers: { "X-Request-ID": "abc-123" } });
    assert.equal(res.json(), "abc-123");
    assert.equal(res.headers["x-request-id"], "abc-123");
  });

  it("falls back to the invocation id when the event has no gateway id (ALB)", async () => {
    const api = quiet().get("/", ({ request }) => request.id);
    const res = await inject(api, {
      path: "/",
      format: "alb",
      headers: { "x-request-id": "not sane" },
      context: { awsRequestId: "invocation-7" },
    });
    assert.equal(res.json(), "invocation-7");
    assert.equal(res.headers["x-request-id"], "invocation-7");
  });

  it("hands the route method, path, lowercase headers, query and params decoded once (REST)", async () => {
    const api = quiet().put("/items/{id}", ({ request, params, query, headers }) => ({
      method: request.method,
      path: request.path,
      params,
      query,
      queryAll: request.queryAll,
      header: headers["x-thing"],
      same: request.params === params,
    }));
    const res = await inject(api, {
      method: "put",
      path: "/items/a%20b?x=1&x=2",
      headers: { "X-Thing": "yes" },
      format: "v1",
    });
    assert.deepEqual(res.json(), {
      method: "PUT",
      path: "/items/a%20b",
      params: { id: "a b" },
      query: { x: "2" },
      queryAll: { x: ["1", "2"] },
      header: "yes",
      same: true,
    });
  });
});

describe("request.event, request.record and request.context", () => {
  const seen = () => {
    const got: Request[] = [];
    const api = createApi({ accessLog: false }).post("/orders", ({ request }) => {
      got.push(request);
      if (request.kind === "http-api") return { method: request.event.requestContext.http.method };
      if (request.kind === "rest") return { method: request.event.requestContext.httpMethod };
      return { kind: request.kind };
    });
    return { api, got };
  };

  it("gives the HTTP API event itself, whose requestContext.http names the method", async () => {
    const { api, got } = seen();
    const event = requestTo("apigw-http", "POST", "/orders", "{}");
    const result = await api.handler(event, fakeContext());
    assert.deepEqual(JSON.parse((result as { body: string }).body), { method: "POST" });
    assert.equal(got[0]?.event, event);
    assert.equal(got[0]?.record, undefined);
    assert.equal(got[0]?.source, "http");
  });

  it("gives the REST event itself, whose requestContext names the method", async () => {
    const { api, got } = seen();
    const event = requestTo("apigw-rest", "POST", "/orders", "{}");
    const result = await api.handler(event, fakeContext());
    assert.deepEqual(JSON.parse((result as { body: string }).body), { method: "POST" });
    assert.equal(got[0]?.event, event);
  });

  it("gives an SQS record's request as event and the record itself as record", async () => {
    const { api, got } = seen();
    const inner = requestTo("apigw-http", "POST", "/orders", "{}");
    const event = sqsEvent("powertools-py-two-records", [JSON.stringify(inner)]);
    const answer = await batchHandler(api)(event, fakeContext());
    assert.deepEqual(answer, { batchItemFailures: [] });
    const request = got[0];
    assert.equal(request?.source, "sqs");
    assert.equal(request?.kind, "http-api");
    assert.equal(request?.record, (event.Records as unknown[])[0]);
    assert.deepEqual(request?.event, inner);
    if (request?.source !== "sqs") throw new Error("expected an SQS request");
    assert.equal(request.record.eventSourceARN, "arn:aws:sqs:us-east-2:123456789012:my-queue");
  });

  it("gives a complete Lambda context under inject, and the one passed to the handler", async () => {
    const { api, got } = seen();
    await inject(api, { method: "POST", path: "/orders" });
    const context = got[0]?.context;
    assert.deepEqual(Object.keys(context ?? {}).sort(), [
      "awsRequestId",
      "callbackWaitsForEmptyEventLoop",
      "functionName",
      "functionVersion",
      "getRemainingTimeInMillis",
      "invokedFunctionArn",
      "logGroupName",
      "logStreamName",
      "memoryLimitInMB",
    ]);
    assert.equal(context?.callbackWaitsForEmptyEventLoop, true);
    assert.equal(typeof context?.memoryLimitInMB, "string");
    const passed = fakeContext({ awsRequestId: "inv-1" });
    await api.handler(requestTo("apigw-http", "POST", "/orders"), passed);
    assert.equal(got[1]?.context, passed);
  });
});
