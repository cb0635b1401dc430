// ALB targets in single- and multi-value header modes against the real fixtures: each README oddity by name.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { albRequest, albResult } from "../../lib/events/alb.js";
import { createApi, HTTPException, type Request } from "../../lib/index.js";
import type { IncomingRequest } from "../../lib/events/incoming.js";
import { fakeContext, fixture, type Json } from "../helpers/fixtures.js";

const alb = (name: string): Json => fixture("alb", name);

describe("albRequest", () => {
  it("reads a health check: {} query, one header, no host (alb/rust-http-health-check.json)", () => {
    assert.deepEqual(albRequest(alb("rust-http-health-check")), {
      kind: "alb",
      method: "GET",
      path: "/",
      pathDecoded: false,
      headers: { "user-agent": "ELB-HealthChecker/2.0" },
      query: {},
      cookies: undefined,
      body: "",
      isBase64Encoded: false,
      requestId: undefined,
      sourceIp: undefined,
      multiValueHeaders: false,
    });
  });

  it("reads an event with no body key (alb/rust-single-value-headers-no-body.json)", () => {
    const event = alb("rust-single-value-headers-no-body");
    assert.equal("body" in event, false);
    const incoming = albRequest(event);
    assert.equal(incoming.body, undefined);
    assert.deepEqual(incoming.query, { key: ["hello"] });
    assert.equal(incoming.multiValueHeaders, false);
  });

  const encoded: [string, Record<string, string[]>][] = [
    ["rust-http-single-value-encoded-query", { myKey: ["?showAll=true"] }],
    ["rust-http-multi-value-encoded-query", { myKey: ["?showAll=true", "?showAll=false"] }],
  ];
  for (const [name, query] of encoded) {
    it(`decodes the query ALB passes still encoded, once (alb/${name}.json)`, () => {
      assert.deepEqual(albRequest(alb(name)).query, query);
    });
  }

  const decodeOnce: [string, string, string][] = [
    ["%253F", "%3F", "a double-encoded value decodes one level only"],
    ["a+b%20c", "a b c", "+ is a space, as in a form"],
    ["%E0%A4%A", "%E0%A4%A", "a bad sequence stays as it came"],
    ["caf%C3%A9", "café", "UTF-8 sequences decode to characters"],
  ];
  for (const [raw, decoded, why] of decodeOnce) {
    it(`reads ${raw} as ${decoded}: ${why} (derived from alb/rust-http-single-value-encoded-query.json)`, () => {
      const event = alb("rust-http-single-value-encoded-query");
      event.queryStringParameters = { "my%20key": raw };
      assert.deepEqual(albRequest(event).query, { "my key": [decoded] });
    });
  }

  it("reads multi-value mode, which sends only multiValue* maps (alb/powertools-py-multi-value-query.json)", () => {
    const event = alb("powertools-py-multi-value-query");
    assert.equal("headers" in event || "queryStringParameters" in event, false);
    const incoming = albRequest(event);
    assert.equal(incoming.multiValueHeaders, true);
    assert.equal(incoming.headers.header2, "value1, value2");
    assert.deepEqual(incoming.query, { parameter1: ["value1", "value2"], parameter2: ["value"] });
  });

  it("reads multi-value mode with no query as an empty query (alb/powertools-py-multi-value-no-query.json)", () => {
    const event = alb("powertools-py-multi-value-no-query");
    assert.deepEqual(event.multiValueQueryStringParameters, {});
    assert.deepEqual(albRequest(event).query, {});
  });

  it("lets the multi-value maps win when an event has both (alb/rust-http-both-modes.json)", () => {
    const incoming = albRequest(alb("rust-http-both-modes"));
    assert.equal(incoming.multiValueHeaders, true);
    assert.equal(incoming.headers.cookie, "name1=value1; name2=value2");
    assert.deepEqual(incoming.query, { myKey: ["val1", "val2"], myOtherKey: ["val3", "val4"] });
  });
});

/** Serves `event` with routes answering `answer` (or `{ok: true}`), and reports what the route saw. */
async function serve(
  event: Json,
  answer: (request: Request) => unknown = () => ({ ok: true }),
): Promise<{ result: Record<string, unknown>; request: Request | undefined }> {
  let request: Request | undefined;
  const route = (input: { request: Request }) => {
    request = input.request;
    return answer(input.request);
  };
  const api = createApi({ accessLog: false }).get("/", route).get("/{name}", route);
  const result = (await api.handler(event, fakeContext())) as Record<string, unknown>;
  return { result, request };
}

describe("ALB events through api.handler", () => {
  it("gives {name} foo%/bar for /foo%25%2Fbar (alb/dotnet-escaped-percent-slash-in-path.json)", async () => {
    const { result, request } = await serve(alb("dotnet-escaped-percent-slash-in-path"));
    assert.equal(result.statusCode, 200);
    assert.deepEqual(request?.params, { name: "foo%/bar" });
  });

  it("reads the body of a GET as text, and answers 400 to a route that wants it as JSON (alb/rust-multi-value-headers.json)", async () => {
    const { request } = await serve(alb("rust-multi-value-headers"));
    assert.equal(request?.text(), "Some text");
    assert.throws(
      () => request?.json(),
      (error: unknown) => {
        assert.ok(error instanceof HTTPException);
        assert.equal(error.status, 400);
        assert.equal(error.detail, "Malformed JSON body");
        return true;
      },
    );
    const api = createApi({ accessLog: false }).get("/", ({ body }) => ({ body }));
    const result = await api.handler(alb("rust-multi-value-headers"), fakeContext());
    assert.deepEqual(result, {
      statusCode: 400,
      statusDescription: "400 Bad Request",
      multiValueHeaders: {
        "content-type": ["application/json"],
        "x-request-id": ["00000000-0000-4000-8000-000000000000"],
      },
      body: '{"detail":"Malformed JSON body"}',
      isBase64Encoded: false,
    });
  });

  const statuses: [string, number, string][] = [
    ["rust-http-single-value", 404, "404 Not Found"],
    ["rust-http-single-value", 204, "204 No Content"],
    ["rust-http-single-value", 299, "299"],
    ["powertools-py-multi-value-no-query", 503, "503 Service Unavailable"],
  ];
  for (const [name, status, description] of statuses) {
    it(`describes status ${status} as "${description}" (alb/${name}.json)`, async () => {
      const event = alb(name);
      if (status === 404) event.path = "/no/such/path";
      const { result } = await serve(event, () => {
        if (status === 503) throw new HTTPException(503);
        return status === 204 ? null : new Response(null, { status });
      });
      assert.equal(result.statusCode, status);
      assert.equal(result.statusDescription, description);
    });
  }
});

describe("albResult", () => {
  const reply = () => ({
    status: 200,
    headers: {
      "content-type": "text/plain",
      "set-cookie": ["a=1", "b=2"],
      vary: ["accept", "origin"],
    },
    body: "hi",
  });
  const incoming = (multi: boolean): IncomingRequest => ({
    ...albRequest(alb(multi ? "rust-multi-value-headers" : "rust-http-single-value")),
  });

  it("answers single-value mode with one value a header: the last Set-Cookie (alb/rust-http-single-value.json)", () => {
    assert.deepEqual(albResult(reply(), incoming(false)), {
      statusCode: 200,
      statusDescription: "200 OK",
      headers: { "content-type": "text/plain", vary: "accept, origin", "set-cookie": "b=2" },
      body: "hi",
      isBase64Encoded: false,
    });
  });

  it("answers multi-value mode with multiValueHeaders only (alb/rust-multi-value-headers.json)", () => {
    assert.deepEqual(albResult(reply(), incoming(true)), {
      statusCode: 200,
      statusDescription: "200 OK",
      multiValueHeaders: {
        "content-type": ["text/plain"],
        "set-cookie": ["a=1", "b=2"],
        vary: ["accept", "origin"],
      },
      body: "hi",
      isBase64Encoded: false,
    });
  });
});
