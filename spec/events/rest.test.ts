// Payload 1.0 (REST, HTTP API 1.0, direct invocations) against the real fixtures: each README oddity by name.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { restRequest, restResult, stripStage } from "../../lib/events/rest.js";
import { createApi, type Request } from "../../lib/index.js";
import { fakeContext, fixture, type Json } from "../helpers/fixtures.js";

const rest = (name: string): Json => fixture("apigw-rest", name);
const contextOf = (event: Json) => event.requestContext as Json;

interface Served {
  status: number;
  body: string;
  request: Request | undefined;
  value: unknown;
}

/** Serves `event` with one route that reads `body` (when asked), and reports what happened. */
async function serve(
  event: Json,
  method: "get" | "post",
  template: string,
  options: { readBody?: boolean; basePath?: string } = {},
): Promise<Served> {
  const served: Served = { status: 0, body: "", request: undefined, value: undefined };
  const api = createApi({ accessLog: false, basePath: options.basePath })[method](
    template,
    (input) => {
      served.request = input.request;
      served.value = options.readBody ? input.body : undefined;
      return { ok: true };
    },
  );
  const result = (await api.handler(event, fakeContext())) as { statusCode: number; body: string };
  return { ...served, status: result.statusCode, body: result.body };
}

describe("restRequest", () => {
  it("reads null maps as empty (apigw-rest/powertools-ts-real-console-test.json)", () => {
    // `auth` reads the authorizer on first use (spec/events/auth.test.ts checks what it reads).
    const { auth, ...incoming } = restRequest(rest("powertools-ts-real-console-test"), "rest");
    // The console's test invoke carries the console user's IAM identity.
    assert.equal(auth?.()?.kind, "iam");
    assert.deepEqual(incoming, {
      kind: "rest",
      method: "POST",
      path: "/no-auth",
      pathDecoded: false,
      headers: {},
      query: {},
      cookies: undefined,
      body: undefined,
      isBase64Encoded: false,
      requestId: "28422e1a-c975-42da-895e-165f882dafef",
      sourceIp: "test-invoke-source-ip",
      multiValueHeaders: false,
    });
  });

  it("reads null maps and a \\r\\n body as they came (apigw-rest/rust-console-test-invoke-null-maps.json)", () => {
    const incoming = restRequest(rest("rust-console-test-invoke-null-maps"), "rest");
    assert.deepEqual(incoming.headers, {});
    assert.deepEqual(incoming.query, {});
    assert.equal(incoming.body, '{\r\n\t"a": 1\r\n}');
  });

  it("reads events with no multiValue*, body or isBase64Encoded keys (apigw-rest/rust-http-proxy-request.json)", () => {
    const event = rest("rust-http-proxy-request");
    for (const key of [
      "multiValueHeaders",
      "multiValueQueryStringParameters",
      "body",
      "isBase64Encoded",
    ]) {
      assert.equal(key in event, false, key);
    }
    const incoming = restRequest(event, "rest");
    assert.deepEqual(incoming.query, { name: ["me"] });
    assert.equal(incoming.body, undefined);
    assert.equal(incoming.isBase64Encoded, false);
    assert.equal(incoming.sourceIp, "192.168.100.1");
    assert.equal(Object.keys(incoming.headers).length, 17);
  });

  it("takes headers from the single map when multiValueHeaders is {} (apigw-rest/powertools-py-empty-multivalue-headers.json)", () => {
    const incoming = restRequest(rest("powertools-py-empty-multivalue-headers"), "rest");
    assert.equal(Object.keys(incoming.headers).length, 18);
    assert.equal(incoming.headers["user-agent"], "Custom User Agent String");
    assert.deepEqual(incoming.query, {});
  });

  it("keeps a header only multiValueHeaders has, and joins repeats (apigw-rest/java-multivalue-header-only-key.json)", () => {
    const incoming = restRequest(rest("java-multivalue-header-only-key"), "rest");
    assert.deepEqual(incoming.headers, {
      header1: "value1",
      header2: "value1, value2",
      header3: "value1,value2",
    });
  });

  it("lowercases mixed-case names within one event (apigw-rest/powertools-ts-real-iam-auth.json)", () => {
    const event = rest("powertools-ts-real-iam-auth");
    const names = Object.keys(event.headers as Json);
    assert.ok(names.includes("x-amz-date") && names.includes("X-Amz-Security-Token"));
    const incoming = restRequest(event, "rest");
    assert.equal(incoming.headers["x-amz-date"], "20240617T145824Z");
    assert.equal(incoming.headers["x-amz-security-token"], "IQoJb3JpZ[...]==");
    assert.deepEqual(
      Object.keys(incoming.headers).filter((name) => name !== name.toLowerCase()),
      [],
    );
  });

  const queries: [string, Record<string, string[]>][] = [
    // The single map holds the FIRST value here, the multi map all of them.
    ["rust-proxy-multi-value-parameters", { name: ["me", "me2"] }],
    [
      "powertools-py-http-api-payload-v1",
      { parameter1: ["value1", "value2"], parameter2: ["value"] },
    ],
    // The single map holds the LAST value here.
    ["rust-http-multi-value-proxy-request", { name: ["me"], multiValueName: ["you", "me"] }],
    [
      "java-multivalue-header-only-key",
      { parameter1: ["value1"], parameter2: ["value1", "value2"] },
    ],
  ];
  for (const [name, query] of queries) {
    it(`prefers the multi-value query map whichever value the single map holds (apigw-rest/${name}.json)`, () => {
      assert.deepEqual(restRequest(rest(name), "rest").query, query);
    });
  }

  it("keeps a query key only the single map has (derived from apigw-rest/java-multivalue-header-only-key.json)", () => {
    const event = rest("java-multivalue-header-only-key");
    (event.queryStringParameters as Json).only = "single";
    assert.deepEqual(restRequest(event, "rest").query, {
      parameter1: ["value1"],
      parameter2: ["value1", "value2"],
      only: ["single"],
    });
  });

  it("keeps REST query values as the gateway decoded them (apigw-rest/dotnet-escaped-reserved-in-query.json)", () => {
    // API Gateway REST decodes query values itself; decoding "b%40r" again would double-decode.
    assert.deepEqual(restRequest(rest("dotnet-escaped-reserved-in-query"), "rest").query, {
      foo: ["b%40r"],
    });
  });

  it("uses path, which has no stage, not requestContext.path (apigw-rest/powertools-ts-real-no-auth.json)", () => {
    const event = rest("powertools-ts-real-no-auth");
    assert.equal(contextOf(event).path, "/prod/no-auth");
    assert.equal(restRequest(event, "rest").path, "/no-auth");
  });

  it("strips a named stage from HTTP API payload 1.0 paths (derived from apigw-rest/powertools-py-http-api-payload-v1.json)", () => {
    const event = rest("powertools-py-http-api-payload-v1");
    assert.equal(contextOf(event).resourceId, null);
    event.path = "/beta/my/path";
    contextOf(event).stage = "beta";
    assert.equal(restRequest(event, "rest").path, "/my/path");
  });

  it("never strips the stage from REST paths, SAM local's version 1.0 included (derived from apigw-rest/rust-sam-local-rest.json)", () => {
    const event = rest("rust-sam-local-rest");
    assert.equal(event.version, "1.0");
    event.path = "/Prod/test";
    assert.equal(restRequest(event, "rest").path, "/Prod/test");
  });

  const decodedOrNot: [name: string, decoded: boolean, why: string][] = [
    [
      "powertools-py-http-api-payload-v1",
      true,
      'HTTP API payload 1.0: version "1.0", resourceId null',
    ],
    [
      "java-multivalue-header-only-key",
      true,
      'version "1.0", resourceId null, as HTTP API payload 1.0',
    ],
    ["powertools-ts-real-no-auth", false, "a REST capture: no version"],
    ["rust-sam-local-rest", false, 'SAM local REST: version "1.0" with a resourceId'],
    ["dotnet-http-api-payload-v1-preview", false, "the HTTP API preview's version 2, a number"],
    ["direct-minimal-catch-all", false, "a direct invocation: no requestContext"],
  ];
  for (const [name, decoded, why] of decodedOrNot) {
    it(`flags the path as ${decoded ? "decoded already" : "still encoded"} for ${why} (apigw-rest/${name}.json)`, () => {
      const event = rest(name);
      const kind = event.requestContext ? "rest" : "direct";
      assert.equal(restRequest(event, kind).pathDecoded, decoded);
    });
  }

  it("reads a direct invocation with only resource, path and httpMethod (apigw-rest/direct-minimal-catch-all.json)", () => {
    // `auth` reads the authorizer on first use (spec/events/auth.test.ts checks what it reads).
    const { auth, ...incoming } = restRequest(rest("direct-minimal-catch-all"), "direct");
    assert.equal(auth?.(), undefined);
    assert.deepEqual(incoming, {
      kind: "direct",
      method: "GET",
      path: "/any/route/should/work",
      pathDecoded: false,
      headers: {},
      query: {},
      cookies: undefined,
      body: undefined,
      isBase64Encoded: false,
      requestId: undefined,
      sourceIp: undefined,
      multiValueHeaders: false,
    });
  });
});

describe("REST events through api.handler", () => {
  it("answers 400 to a route that reads a body flagged base64 that is not (apigw-rest/powertools-py-base64-flag-invalid-body.json)", async () => {
    const served = await serve(rest("powertools-py-base64-flag-invalid-body"), "get", "/my/path", {
      readBody: true,
    });
    assert.equal(served.status, 400);
    assert.equal(served.body, '{"detail":"Body is flagged base64 but is not valid base64"}');
  });

  it("still answers a route that never reads that body (apigw-rest/powertools-py-base64-flag-invalid-body.json)", async () => {
    const served = await serve(rest("powertools-py-base64-flag-invalid-body"), "get", "/my/path");
    assert.equal(served.status, 200);
    assert.equal(served.request?.hasBody, true);
    assert.throws(() => served.request?.bytes(), { status: 400 });
  });

  it("reads base64 with body null as no body (apigw-rest/dotnet-http-api-payload-v1-preview.json)", async () => {
    const event = rest("dotnet-http-api-payload-v1-preview");
    assert.equal(event.version, 2);
    assert.equal(event.isBase64Encoded, true);
    assert.equal(event.body, null);
    const served = await serve(event, "get", "/api/{name}", { readBody: true });
    assert.equal(served.status, 200);
    assert.equal(served.value, undefined);
    assert.equal(served.request?.bytes().byteLength, 0);
    assert.equal(served.request?.params.name, "resourcepath");
  });

  it("decodes %2F once per segment after splitting (apigw-rest/dotnet-escaped-percent-slash-in-path.json)", async () => {
    const event = rest("dotnet-escaped-percent-slash-in-path");
    assert.equal(contextOf(event).path, "/Prod/foo%25%2Fbar/");
    const served = await serve(event, "get", "/{name}");
    assert.equal(served.status, 200);
    assert.equal(served.request?.path, "/foo%25%2Fbar");
    assert.deepEqual(served.request?.params, { name: "foo%/bar" });
  });

  it("strips a custom-domain base path given as createApi({ basePath }) (apigw-rest/direct-minimal-custom-domain-base-path.json)", async () => {
    const event = () => rest("direct-minimal-custom-domain-base-path");
    const template = "/subscriptions/{subscription}";
    const mapped = await serve(event(), "get", template, { basePath: "/payment" });
    assert.equal(mapped.status, 200);
    assert.deepEqual(mapped.request?.params, { subscription: "123" });
    assert.equal(mapped.request?.path, "/payment/subscriptions/123");
    const unmapped = await serve(event(), "get", template);
    assert.equal(unmapped.status, 404);
    assert.equal(unmapped.body, '{"detail":"Not Found"}');
  });

  it("parses a POST body without content-type as JSON (apigw-rest/direct-minimal-post-body-no-headers.json)", async () => {
    const served = await serve(rest("direct-minimal-post-body-no-headers"), "post", "/todos", {
      readBody: true,
    });
    assert.equal(served.status, 200);
    assert.deepEqual(served.value, { title: "foo", userId: 1, completed: false });
    assert.equal(served.request?.contentType, undefined);
  });

  it("keeps \\r\\n in a body and parses it as JSON (apigw-rest/rust-console-test-invoke-null-maps.json)", async () => {
    const served = await serve(rest("rust-console-test-invoke-null-maps"), "post", "/myPath", {
      readBody: true,
    });
    assert.deepEqual(served.value, { a: 1 });
    assert.equal(served.request?.text(), '{\r\n\t"a": 1\r\n}');
    assert.equal(served.request?.bytes().byteLength, 13);
  });

  it("answers 400 to a route that reads a text body sent without content-type (apigw-rest/powertools-py-http-api-payload-v1.json)", async () => {
    const served = await serve(rest("powertools-py-http-api-payload-v1"), "get", "/my/path", {
      readBody: true,
    });
    assert.equal(served.status, 400);
    assert.equal(served.body, '{"detail":"Malformed JSON body"}');
  });
});

describe("restResult", () => {
  it("sends multiValueHeaders only for a header that repeats", () => {
    const reply = {
      status: 201,
      headers: { "content-type": "application/json", "set-cookie": ["a=1"], vary: ["a", "b"] },
      body: "{}",
    };
    assert.deepEqual(restResult(reply), {
      statusCode: 201,
      headers: { "content-type": "application/json", "set-cookie": "a=1" },
      multiValueHeaders: { vary: ["a", "b"] },
      body: "{}",
      isBase64Encoded: false,
    });
    const once = restResult({ status: 200, headers: { a: "1" }, body: undefined });
    assert.equal("multiValueHeaders" in once, false);
    assert.equal(once.body, "");
  });
});

describe("stripStage", () => {
  const rows: [string, unknown, string][] = [
    ["/beta/api/values", "beta", "/api/values"],
    ["/beta", "beta", "/"],
    ["/betamax/x", "beta", "/betamax/x"],
    ["/api/beta", "beta", "/api/beta"],
    ["/x", "$default", "/x"],
    ["/x", undefined, "/x"],
    ["/x", "", "/x"],
  ];
  for (const [path, stage, expected] of rows) {
    it(`turns ${path} on stage ${String(stage)} into ${expected}`, () => {
      assert.equal(stripStage(path, stage), expected);
    });
  }
});
