// api.handler against every real HTTP fixture (what the route saw, the result it answered) and every non-HTTP event, batches included.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  createApi,
  type EventKind,
  isHTTPException,
  type Request,
  Response,
  type ResponseState,
  UnsupportedEventError,
} from "../lib/index.js";
import { fakeContext, fixture, fixtureNames, HTTP_KINDS } from "./helpers/fixtures.js";
import { captureLogs } from "./helpers/log.js";

const INVOCATION = "invocation-1";
const context = () => fakeContext({ awsRequestId: INVOCATION });

/** What reading the body gave: JSON, text, bytes (as text), or the HTTPException's status and detail. */
type Read =
  | undefined
  | { json: unknown }
  | { text: string }
  | { bytes: string }
  | { error: string };

function read(fn: () => unknown): Read {
  try {
    const value = fn();
    if (value === undefined) return undefined;
    if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString("utf8") };
    return typeof value === "string" ? { text: value } : { json: value };
  } catch (error) {
    if (isHTTPException(error)) return { error: `${error.status} ${String(error.detail)}` };
    throw error;
  }
}

interface Seen {
  route: string;
  kind: EventKind;
  req: string;
  params: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  queryAll: Readonly<Record<string, readonly string[]>>;
  headers: Readonly<Record<string, string>>;
  cookies: Readonly<Record<string, string>>;
  id: string;
  text: Read;
  bytes: Read;
  body: Read;
}

let seen: Seen[] = [];

/** A route that writes down everything it was given, then answers `{"ok":true}`. */
const recorder =
  (route: string) =>
  (input: { body: unknown; request: Request }): { ok: true } => {
    const { request } = input;
    seen.push({
      route,
      kind: request.kind,
      req: `${request.method} ${request.path}`,
      params: request.params,
      query: request.query,
      queryAll: request.queryAll,
      headers: request.headers,
      cookies: request.cookies,
      id: request.id,
      text: read(() => request.text()),
      bytes: read(() => request.bytes()),
      body: read(() => input.body),
    });
    return { ok: true };
  };

const logs = captureLogs();
const METHODS = ["get", "post", "put", "patch", "delete", "options"] as const;
let app = createApi({ logger: logs.logger });
for (const method of METHODS) app = app[method]("/", recorder("/"));
for (const method of METHODS) app = app[method]("/{proxy+}", recorder("/{proxy+}"));
const api = app
  .get("/{name}", recorder("/{name}"))
  .post("/my/{name}", recorder("/my/{name}"))
  .get("/my/path", recorder("/my/path"));

/** The expected view of one fixture. Omitted: no params, query, cookies or body (text ""). */
interface Row {
  file: string;
  kind: EventKind;
  req: string;
  route: string;
  params?: Record<string, string>;
  /** Every value of every key; the route's `query` holds the last of each. */
  query?: Record<string, string[]>;
  /** How many headers, and some of them (`undefined`: absent). */
  headers: [number, Record<string, string | undefined>];
  cookies?: Record<string, string>;
  text?: string | { error: string };
  body?: Read;
  id: string;
  /** ALB target group in multi-value header mode. */
  alb?: "multi";
}

const ID_DOTNET = "7713b963-f984-11e7-b02a-f346964d4540";
const ID_GO = "deef4878-7910-11e6-8f14-25afc3e9ae33";
const ID_RUST = "41b45ea3-70b5-11e6-b7bd-69b5aaebc7d9";
const ID_CONSOLE = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";
const CRLF = '{\r\n\t"a": 1\r\n}';
const NOT_JSON = { error: "400 Malformed JSON body" };
const NOT_BASE64 = { error: "400 Body is flagged base64 but is not valid base64" };
const P12 = { parameter1: ["value1", "value2"], parameter2: ["value"] };
const V2_POST = '{"message": "hello world", "username": "tom"}';
const V2_POST_JSON = { json: { message: "hello world", username: "tom" } };
const C12 = { cookie1: "value1", cookie2: "value2" };
const H12 = { header1: "value1", header2: "value2" };

// biome-ignore format: one fixture a line
const ROWS: Row[] = [
  { file: "apigw-rest/direct-minimal-catch-all.json", kind: "direct", req: "GET /any/route/should/work", route: "/{proxy+}", params: { proxy: "any/route/should/work" }, headers: [0, {}], id: INVOCATION },
  { file: "apigw-rest/direct-minimal-custom-domain-base-path.json", kind: "direct", req: "GET /payment/subscriptions/123", route: "/{proxy+}", params: { proxy: "payment/subscriptions/123" }, headers: [0, {}], id: INVOCATION },
  { file: "apigw-rest/direct-minimal-headers-only.json", kind: "direct", req: "GET /todos", route: "/{name}", params: { name: "todos" }, headers: [1, { "accept-encoding": "gzip" }], id: INVOCATION },
  { file: "apigw-rest/direct-minimal-post-body-no-headers.json", kind: "direct", req: "POST /todos", route: "/{proxy+}", params: { proxy: "todos" }, headers: [0, {}], text: "{\"title\": \"foo\", \"userId\": 1, \"completed\": false}", body: { json: { title: "foo", userId: 1, completed: false } }, id: INVOCATION },
  { file: "apigw-rest/dotnet-escaped-percent-slash-in-path.json", kind: "rest", req: "GET /foo%25%2Fbar", route: "/{name}", params: { name: "foo%/bar" }, headers: [14, { host: "zzqupfvhrk.execute-api.us-west-2.amazonaws.com" }], id: ID_DOTNET },
  { file: "apigw-rest/dotnet-escaped-reserved-in-query.json", kind: "rest", req: "GET /foo/bar", route: "/{proxy+}", params: { proxy: "foo/bar" }, query: { foo: ["b%40r"] }, headers: [14, { "x-forwarded-port": "443" }], id: ID_DOTNET },
  { file: "apigw-rest/dotnet-http-api-payload-v1-preview.json", kind: "rest", req: "GET /api/resourcepath", route: "/{proxy+}", params: { proxy: "api/resourcepath" }, headers: [14, { host: "atm5u4y7o1.execute-api.us-west-2.amazonaws.com", "sec-fetch-user": "?1" }], id: INVOCATION },
  { file: "apigw-rest/dotnet-real-post-text-body.json", kind: "rest", req: "POST /api/values", route: "/{proxy+}", params: { proxy: "api/values" }, headers: [19, { "content-type": "text/plain", "cache-control": "no-cache" }], text: "{\"hello\":\"world\"}", body: { text: "{\"hello\":\"world\"}" }, id: "ec60ed0b-0c02-4d5e-bbb9-57bb77b798c0" },
  { file: "apigw-rest/go-proxy-authorizer-context-mtls.json", kind: "rest", req: "POST /hello/world", route: "/{proxy+}", params: { proxy: "hello/world" }, query: { name: ["me"] }, headers: [19, { headername: "headerValue", host: "gy415nuibc.execute-api.us-east-1.amazonaws.com" }], text: CRLF, body: { json: { a: 1 } }, id: ID_GO },
  { file: "apigw-rest/java-multivalue-header-only-key.json", kind: "rest", req: "GET /my/path", route: "/my/path", query: { parameter1: ["value1"], parameter2: ["value1", "value2"] }, headers: [3, { header1: "value1", header2: "value1, value2", header3: "value1,value2" }], text: "Hello from Lambda!", body: NOT_JSON, id: "id=" },
  { file: "apigw-rest/powertools-py-base64-flag-invalid-body.json", kind: "rest", req: "GET /my/path", route: "/my/path", query: P12, headers: [2, { header1: "value1", header2: "value1, value2" }], text: NOT_BASE64, body: NOT_BASE64, id: "id=" },
  { file: "apigw-rest/powertools-py-empty-multivalue-headers.json", kind: "rest", req: "GET /todos", route: "/{name}", params: { name: "todos" }, headers: [18, { "user-agent": "Custom User Agent String", "cache-control": "max-age=0" }], id: ID_CONSOLE },
  { file: "apigw-rest/powertools-py-http-api-payload-v1.json", kind: "rest", req: "GET /my/path", route: "/my/path", query: P12, headers: [3, { header2: "value1, value2", origin: "https://aws.amazon.com" }], text: "Hello from Lambda!", body: NOT_JSON, id: "id=" },
  { file: "apigw-rest/powertools-py-minimal-authorizer-only.json", kind: "rest", req: "POST /trip", route: "/{proxy+}", params: { proxy: "trip" }, headers: [0, {}], id: "34972478-2843-4ced-a657-253108738274" },
  { file: "apigw-rest/powertools-ts-real-cognito-authorizer.json", kind: "rest", req: "POST /cognito", route: "/{proxy+}", params: { proxy: "cognito" }, headers: [18, { "user-agent": "HTTPie/3.2.2", "cloudfront-viewer-asn": "7224" }], id: "e56434a3-0b5d-453c-9183-f07a5e91fbb3" },
  { file: "apigw-rest/powertools-ts-real-console-test.json", kind: "rest", req: "POST /no-auth", route: "/{proxy+}", params: { proxy: "no-auth" }, headers: [0, {}], id: "28422e1a-c975-42da-895e-165f882dafef" },
  { file: "apigw-rest/powertools-ts-real-iam-auth.json", kind: "rest", req: "POST /iam", route: "/{proxy+}", params: { proxy: "iam" }, headers: [20, { "x-amz-date": "20240617T145824Z", "x-amz-security-token": "IQoJb3JpZ[...]==" }], id: "89f9261a-2765-4d49-b72e-f76726991e44" },
  { file: "apigw-rest/powertools-ts-real-lambda-authorizer.json", kind: "rest", req: "POST /lambda-token", route: "/{proxy+}", params: { proxy: "lambda-token" }, headers: [18, { authorization: "Bearer foo" }], id: "3c177581-2d03-4af4-9b68-5924083f37fe" },
  { file: "apigw-rest/powertools-ts-real-no-auth.json", kind: "rest", req: "POST /no-auth", route: "/{proxy+}", params: { proxy: "no-auth" }, headers: [17, { "x-forwarded-proto": "https", authorization: undefined }], id: "f88e38e3-2060-4a56-93c0-9efbc6a659a0" },
  { file: "apigw-rest/rust-console-request-no-multivalue.json", kind: "rest", req: "POST /path/to/resource", route: "/{proxy+}", params: { proxy: "path/to/resource" }, query: { foo: ["bar"] }, headers: [18, { host: "1234567890.execute-api.{dns_suffix}", "content-type": undefined }], text: "{\"test\":\"body\"}", body: { json: { test: "body" } }, id: ID_CONSOLE },
  { file: "apigw-rest/rust-console-test-invoke-null-maps.json", kind: "rest", req: "POST /myPath", route: "/{proxy+}", params: { proxy: "myPath" }, headers: [0, {}], text: CRLF, body: { json: { a: 1 } }, id: "e5488776-afe4-4e5e-92b1-37bd23f234d6" },
  { file: "apigw-rest/rust-http-multi-value-proxy-request.json", kind: "rest", req: "POST /hello/world", route: "/{proxy+}", params: { proxy: "hello/world" }, query: { name: ["me"], multiValueName: ["you", "me"] }, headers: [19, { "content-type": "application/json" }], text: CRLF, body: { json: { a: 1 } }, id: ID_GO },
  { file: "apigw-rest/rust-http-proxy-request-no-host.json", kind: "rest", req: "GET /hello", route: "/{name}", params: { name: "hello" }, query: { name: ["me"] }, headers: [16, { host: undefined, "x-forwarded-for": "192.168.100.1, 192.168.1.1" }], id: ID_RUST },
  { file: "apigw-rest/rust-http-proxy-request.json", kind: "rest", req: "GET /hello", route: "/{name}", params: { name: "hello" }, query: { name: ["me"] }, headers: [17, { host: "wt6mne2s9k.execute-api.us-west-2.amazonaws.com" }], id: ID_RUST },
  { file: "apigw-rest/rust-proxy-multi-value-parameters.json", kind: "rest", req: "POST /hello/world", route: "/{proxy+}", params: { proxy: "hello/world" }, query: { name: ["me", "me2"] }, headers: [19, { headername: "headerValue, headerValue2" }], text: CRLF, body: { json: { a: 1 } }, id: ID_GO },
  { file: "apigw-rest/rust-sam-local-rest.json", kind: "rest", req: "GET /test", route: "/{name}", params: { name: "test" }, headers: [17, { host: "127.0.0.1:3000", "x-forwarded-proto": "http" }], id: "ea86b9eb-c688-4bbb-8309-a1671442bea9" },
  { file: "apigw-http/dotnet-real-v2-escaped-percent-slash.json", kind: "http-api", req: "GET /foo%25%2Fbar", route: "/{name}", params: { name: "foo%25%2Fbar" }, headers: [14, { "content-length": "0" }], id: "J60wWgQVoAMEPEA=" },
  { file: "apigw-http/dotnet-real-v2-escaped-query.json", kind: "http-api", req: "GET /foo/bar", route: "/{proxy+}", params: { proxy: "foo/bar" }, query: { foo: ["b@r"] }, headers: [14, { host: "uo9pe23ec6.execute-api.us-east-1.amazonaws.com" }], id: "J60wWgQVoAMEPEA=" },
  { file: "apigw-http/dotnet-real-v2-named-stage.json", kind: "http-api", req: "GET /api/values", route: "/{proxy+}", params: { proxy: "api/values" }, headers: [15, { host: "uzdrcy3wk7.execute-api.us-east-1.amazonaws.com" }], id: "J6vl3iNWoAMESOw=" },
  { file: "apigw-http/go-v2-iam-authorizer.json", kind: "http-api", req: "GET /my/path", route: "/my/path", query: P12, headers: [3, { ...H12, cookie: "cookie1; cookie2" }], text: CRLF, body: { json: { a: 1 } }, id: "id" },
  { file: "apigw-http/go-v2-jwt-authorizer.json", kind: "http-api", req: "GET /my/path", route: "/my/path", query: P12, headers: [3, { ...H12, cookie: "cookie1; cookie2" }], text: CRLF, body: { json: { a: 1 } }, id: "id" },
  { file: "apigw-http/go-v2-lambda-authorizer.json", kind: "http-api", req: "GET /my/path", route: "/my/path", query: P12, headers: [3, { ...H12, cookie: "cookie1; cookie2" }], text: CRLF, body: { json: { a: 1 } }, id: "id" },
  { file: "apigw-http/go-v2-no-authorizer.json", kind: "http-api", req: "GET /", route: "/", headers: [8, { "user-agent": "curl/7.58.0" }], id: "LV7fzho-PHcEJPw=" },
  { file: "apigw-http/powertools-py-v2-jwt-and-lambda-authorizer.json", kind: "http-api", req: "GET /my/path", route: "/my/path", query: P12, headers: [3, { ...H12, cookie: "cookie1; cookie2" }], text: CRLF, body: { json: { a: 1 } }, id: "id" },
  { file: "apigw-http/powertools-py-v2-jwt-post.json", kind: "http-api", req: "POST /my/path", route: "/my/{name}", params: { name: "path" }, query: P12, headers: [3, { header2: "value1,value2", cookie: "cookie1; cookie2" }], text: V2_POST, body: V2_POST_JSON, id: "id" },
  { file: "apigw-http/powertools-py-v2-rawpath-trailing-slash.json", kind: "http-api", req: "POST /my/path/", route: "/my/{name}", params: { name: "path" }, query: P12, headers: [3, { header2: "value1,value2", cookie: "cookie1; cookie2" }], text: V2_POST, body: V2_POST_JSON, id: "id" },
  { file: "apigw-http/powertools-ts-real-iam-auth.json", kind: "http-api", req: "POST /iam", route: "/{proxy+}", params: { proxy: "iam" }, headers: [13, { "x-amz-date": "20240617T153941Z" }], id: "ZhLNpgotDoEEJUQ=" },
  { file: "apigw-http/powertools-ts-real-jwt-authorizer.json", kind: "http-api", req: "POST /cognito", route: "/{proxy+}", params: { proxy: "cognito" }, headers: [10, { authorization: "Bearer eyJra[...]A" }], id: "ZhMpgigvDoEEPlg=" },
  { file: "apigw-http/powertools-ts-real-lambda-authorizer-null.json", kind: "http-api", req: "POST /lambda", route: "/{proxy+}", params: { proxy: "lambda" }, headers: [10, { "content-length": "0" }], id: "ZhNHJhhLjoEEPiw=" },
  { file: "apigw-http/rust-http-v2-minimal.json", kind: "http-api", req: "GET /", route: "/", headers: [8, { "user-agent": "curl/7.64.1" }], id: "MIZRNhJtIAMEMDw=" },
  { file: "apigw-http/rust-http-v2-path-with-space.json", kind: "http-api", req: "POST /my/path-with space", route: "/my/{name}", params: { name: "path-with space" }, query: P12, headers: [3, { ...H12, cookie: "cookie1=value1; cookie2=value2" }], cookies: C12, text: "Hello from Lambda", body: NOT_JSON, id: "id" },
  { file: "apigw-http/rust-http-v2-proxy-request.json", kind: "http-api", req: "POST /my/path", route: "/my/{name}", params: { name: "path" }, query: P12, headers: [3, { ...H12, cookie: "cookie1=value1; cookie2=value2" }], cookies: C12, text: "Hello from Lambda", body: NOT_JSON, id: "id" },
  { file: "apigw-http/rust-http-v2-sam-local-hello.json", kind: "http-api", req: "GET /hello", route: "/{name}", params: { name: "hello" }, headers: [14, { host: "127.0.0.1:3000", "user-agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:94.0) Gecko/20100101 Firefox/94.0" }], id: "1ac06eee-f687-44ec-9036-dfd49d0be0a3" },
  { file: "apigw-http/rust-http-v2-stage-in-path.json", kind: "http-api", req: "POST /my/path", route: "/my/{name}", params: { name: "path" }, query: P12, headers: [3, { ...H12, cookie: "cookie1=value1; cookie2=value2" }], cookies: C12, text: "Hello from Lambda", body: NOT_JSON, id: "id" },
  { file: "apigw-http/rust-v2-multi-value-parameters.json", kind: "http-api", req: "GET /my/path", route: "/my/path", query: { Parameter1: ["value1", "value2"] }, headers: [2, { header2: "value1,value2", cookie: "cookie1; cookie2" }], text: CRLF, body: { json: { a: 1 } }, id: "id" },
  { file: "apigw-http/rust-v2-sam-local.json", kind: "http-api", req: "GET /dump", route: "/{name}", params: { name: "dump" }, query: { foo: ["bar"] }, headers: [18, { pragma: "no-cache" }], id: "b3ea2f1a-9f2a-48a4-8791-0db24e5d40e5" },
  { file: "function-url/go-real-get-root.json", kind: "function-url", req: "GET /", route: "/", headers: [14, { "content-type": "application/json", host: "lambda-url-id.lambda-url.us-west-2.on.aws" }], id: "deeb7e49-a9a8-4a8f-bcd1-5482231e2087" },
  { file: "function-url/go-real-post-base64-body.json", kind: "function-url", req: "POST /", route: "/", headers: [15, { "content-type": "idk", "content-length": "6" }], text: "<idk/>", body: { bytes: "<idk/>" }, id: "9701a3d4-36ad-40bd-bf0b-a525c987d27f" },
  { file: "function-url/go-real-post-headers-cookies-text-body.json", kind: "function-url", req: "POST /hello", route: "/{proxy+}", params: { proxy: "hello" }, query: { hello: ["world"], foo: ["bar"] }, headers: [19, { cookie: "foo=bar; hello=hello", header2: "h1,h2" }], cookies: { foo: "bar", hello: "hello" }, text: "{\"hello\": \"world\"}", body: { json: { hello: "world" } }, id: "5bbd0e3e-fe7a-4299-9076-32d4de45391b" },
  { file: "function-url/go-request-no-routekey.json", kind: "function-url", req: "POST /my/path", route: "/my/{name}", params: { name: "path" }, query: P12, headers: [3, { header2: "value1,value2", cookie: "cookie1; cookie2" }], text: "Hello from client!", body: NOT_JSON, id: "id" },
  { file: "function-url/powertools-py-auth-none-browser.json", kind: "function-url", req: "GET /", route: "/", headers: [20, { "accept-language": "pt-BR,pt;q=0.9" }], id: "id" },
  { file: "function-url/powertools-py-iam-org.json", kind: "function-url", req: "GET /todos", route: "/{name}", params: { name: "todos" }, headers: [13, { "user-agent": "Custom User Agent" }], id: "24f9ef37-8eb7-45fe-9dbc-a504169fd2f8" },
  { file: "function-url/powertools-py-iam.json", kind: "function-url", req: "POST /my/path", route: "/my/{name}", params: { name: "path" }, query: P12, headers: [3, { header2: "value1,value2", cookie: "cookie1; cookie2" }], text: "Hello from client!", body: NOT_JSON, id: "id" },
  { file: "function-url/rust-http-function-url.json", kind: "function-url", req: "GET /my/path", route: "/my/path", query: P12, headers: [10, { cookie: "test=hi" }], cookies: { test: "hi" }, id: "MIZRNhJtIAMEMDw=" },
  { file: "alb/dotnet-escaped-percent-slash-in-path.json", kind: "alb", req: "GET /foo%25%2Fbar", route: "/{name}", params: { name: "foo%/bar" }, headers: [1, { "user-agent": "ELB-HealthChecker/2.0" }], id: INVOCATION },
  { file: "alb/powertools-py-multi-value-no-query.json", kind: "alb", req: "GET /todos", route: "/{name}", params: { name: "todos" }, headers: [7, { "x-forwarded-port": "80" }], id: INVOCATION, alb: "multi" },
  { file: "alb/powertools-py-multi-value-query.json", kind: "alb", req: "GET /todos", route: "/{name}", params: { name: "todos" }, query: P12, headers: [9, { header2: "value1, value2" }], id: INVOCATION, alb: "multi" },
  { file: "alb/powertools-py-single-value.json", kind: "alb", req: "GET /lambda", route: "/{name}", params: { name: "lambda" }, query: { query: ["1234ABCD"] }, headers: [12, { "x-imforwards": "20" }], text: "Test", body: NOT_JSON, id: INVOCATION },
  { file: "alb/rust-http-both-modes.json", kind: "alb", req: "GET /", route: "/", query: { myKey: ["val1", "val2"], myOtherKey: ["val3", "val4"] }, headers: [10, { cookie: "name1=value1; name2=value2" }], cookies: { name1: "value1", name2: "value2" }, text: "request_body", body: { text: "request_body" }, id: INVOCATION, alb: "multi" },
  { file: "alb/rust-http-health-check.json", kind: "alb", req: "GET /", route: "/", headers: [1, { "user-agent": "ELB-HealthChecker/2.0", host: undefined }], id: INVOCATION },
  { file: "alb/rust-http-multi-value-encoded-query.json", kind: "alb", req: "GET /", route: "/", query: { myKey: ["?showAll=true", "?showAll=false"] }, headers: [10, { "content-type": "text/plain" }], cookies: { name1: "value1", name2: "value2" }, text: "request_body", body: { text: "request_body" }, id: INVOCATION, alb: "multi" },
  { file: "alb/rust-http-single-value-encoded-query.json", kind: "alb", req: "GET /", route: "/", query: { myKey: ["?showAll=true"] }, headers: [10, { cookie: "cookies" }], text: "request_body", body: { text: "request_body" }, id: INVOCATION },
  { file: "alb/rust-http-single-value.json", kind: "alb", req: "GET /", route: "/", query: { myKey: ["val2"] }, headers: [10, { "x-forwarded-for": "72.21.198.66" }], text: "request_body", body: { text: "request_body" }, id: INVOCATION },
  { file: "alb/rust-multi-value-headers.json", kind: "alb", req: "GET /", route: "/", query: { key: ["hello"] }, headers: [10, { "x-myheader": "123" }], text: "Some text", body: NOT_JSON, id: INVOCATION, alb: "multi" },
  { file: "alb/rust-single-value-headers-no-body.json", kind: "alb", req: "GET /", route: "/", query: { key: ["hello"] }, headers: [10, { "x-myheader": "123" }], id: INVOCATION },
];

type Shape = "rest" | "v2" | "alb" | "alb-multi";

function shapeOf(row: Row): Shape {
  if (row.kind === "rest" || row.kind === "direct") return "rest";
  if (row.kind === "alb") return row.alb === "multi" ? "alb-multi" : "alb";
  return "v2";
}

/** The result every fixture gets from the recorder: the shape of its kind, nothing more. */
function okResult(row: Row): Record<string, unknown> {
  const headers = { "content-type": "application/json", "x-request-id": row.id };
  const base = { statusCode: 200, body: '{"ok":true}', isBase64Encoded: false };
  switch (shapeOf(row)) {
    case "alb":
      return { ...base, statusDescription: "200 OK", headers };
    case "alb-multi":
      return {
        ...base,
        statusDescription: "200 OK",
        multiValueHeaders: { "content-type": ["application/json"], "x-request-id": [row.id] },
      };
    default:
      return { ...base, headers };
  }
}

const [kindOf, nameOf] = [
  (file: string) => file.split("/")[0]!,
  (file: string) => file.split("/")[1]!,
];
const eventOf = (row: Row) =>
  fixture(kindOf(row.file) as (typeof HTTP_KINDS)[number], nameOf(row.file));
const lastOf = (all: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(all).map(([name, values]) => [name, values.at(-1)]));

describe("dispatch: every HTTP fixture through api.handler", () => {
  it("has one row for every HTTP fixture on disk", () => {
    const onDisk = HTTP_KINDS.flatMap((kind) =>
      fixtureNames(kind).map((name) => `${kind}/${name}`),
    );
    assert.deepEqual(ROWS.map((row) => row.file).sort(), onDisk.sort());
  });

  for (const row of ROWS) {
    it(`gives the route what ${row.file} carries and answers its kind's shape`, async () => {
      seen = [];
      logs.clear();
      const result = await api.handler(eventOf(row), context());
      assert.equal(seen.length, 1, "the route runs once");
      const saw = seen[0]!;
      assert.equal(saw.route, row.route);
      assert.equal(saw.kind, row.kind);
      assert.equal(saw.req, row.req);
      assert.deepEqual(saw.params, row.params ?? {});
      assert.deepEqual(saw.queryAll, row.query ?? {});
      assert.deepEqual(saw.query, lastOf(row.query ?? {}));
      const names = Object.keys(saw.headers);
      assert.equal(names.length, row.headers[0], `header names: ${names.join(", ")}`);
      assert.deepEqual(
        names.filter((name) => name !== name.toLowerCase()),
        [],
      );
      for (const [name, value] of Object.entries(row.headers[1])) {
        assert.equal(saw.headers[name], value, `header ${name}`);
      }
      assert.deepEqual(saw.cookies, row.cookies ?? {});
      assert.equal(saw.id, row.id);
      const text = row.text ?? "";
      if (typeof text === "string") {
        assert.deepEqual(saw.text, { text });
        assert.deepEqual(saw.bytes, { bytes: text });
      } else {
        assert.deepEqual(saw.text, text);
        assert.deepEqual(saw.bytes, text);
      }
      assert.deepEqual(saw.body, row.body);
      assert.deepEqual(result, okResult(row));
      assert.equal(logs.one().status_code, 200);
    });
  }
});

describe("dispatch: result shapes for every HTTP fixture", () => {
  const bytes = new Uint8Array([0, 1, 2, 255]);
  const answer = ({ response }: { response: ResponseState }) => {
    response.setCookie("a", "1");
    response.setCookie("b", "x y", { path: "/" });
    return new Response(bytes, {
      mediaType: "application/octet-stream",
      headers: { vary: ["accept", "origin"] },
    });
  };
  const shaped = createApi({ accessLog: false }).get("/", answer).get("/{any+}", answer);
  const cookies = ["a=1", "b=x%20y; Path=/"];
  const common = { statusCode: 200, body: "AAEC/w==", isBase64Encoded: true };

  function expected(row: Row): Record<string, unknown> {
    const single = { "content-type": "application/octet-stream", "x-request-id": row.id };
    switch (shapeOf(row)) {
      case "rest":
        return {
          ...common,
          headers: single,
          multiValueHeaders: { "set-cookie": cookies, vary: ["accept", "origin"] },
        };
      case "v2":
        return { ...common, headers: { ...single, vary: "accept, origin" }, cookies };
      case "alb":
        // Single-value mode carries one value per header: the last Set-Cookie only.
        return {
          ...common,
          statusDescription: "200 OK",
          headers: { ...single, vary: "accept, origin", "set-cookie": cookies[1] },
        };
      default:
        return {
          ...common,
          statusDescription: "200 OK",
          multiValueHeaders: {
            "content-type": ["application/octet-stream"],
            "x-request-id": [row.id],
            vary: ["accept", "origin"],
            "set-cookie": cookies,
          },
        };
    }
  }

  for (const row of ROWS) {
    it(`shapes bytes, a repeated header and two cookies for ${row.file}`, async () => {
      const event = eventOf(row);
      // Every fixture as a GET to one greedy route, so the shape alone is under test.
      if (typeof event.httpMethod === "string") event.httpMethod = "GET";
      const http = (event.requestContext as { http?: { method: string } } | undefined)?.http;
      if (http) http.method = "GET";
      assert.deepEqual(await shaped.handler(event, context()), expected(row));
    });
  }
});

describe("dispatch: events that are not HTTP requests", () => {
  let calls = 0;
  const counted = createApi({ accessLog: false })
    .get("/", () => ++calls)
    .post("/{proxy+}", () => ++calls)
    .get("/{proxy+}", () => ++calls);

  const named: Record<string, RegExp> = {
    "other/go-dynamodb-stream.json": /a DynamoDB stream batch \(eventSource "aws:dynamodb"\)/,
    "other/go-kinesis.json": /a Kinesis stream batch \(eventSource "aws:kinesis"\)/,
    "other/go-s3.json": /an S3 notification \(eventSource "aws:s3"\)/,
    "other/powertools-py-bedrock-agent.json": /an Amazon Bedrock agent event \(keys: actionGroup,/,
    "other/powertools-py-eventbridge-ec2.json":
      /an EventBridge event \(keys: version, id, detail-type/,
    "other/powertools-ts-real-http-request-authorizer.json": /an API Gateway authorizer event/,
    "other/powertools-ts-real-rest-request-authorizer.json": /an API Gateway authorizer event/,
    "other/powertools-ts-real-rest-token-authorizer.json":
      /an API Gateway authorizer event \(keys: type, methodArn, authorizationToken\)/,
    "other/powertools-ts-websocket-connect-authorizer.json": /an API Gateway authorizer event/,
    "other/rust-eventbridge-scheduled.json": /an EventBridge event/,
    "websocket/go-real-disconnect.json":
      /an API Gateway WebSocket event \(keys: headers, multiValueHeaders, requestContext, isBase64Encoded\)/,
    "websocket/go-real-message.json":
      /an API Gateway WebSocket event \(keys: requestContext, body, isBase64Encoded\)/,
    "websocket/rust-connect.json": /an API Gateway WebSocket event/,
  };

  it("names every fixture of other/ and websocket/", () => {
    const onDisk = (["other", "websocket"] as const).flatMap((kind) =>
      fixtureNames(kind).map((name) => `${kind}/${name}`),
    );
    assert.deepEqual(Object.keys(named).sort(), onDisk.sort());
  });

  const cases: [string, () => unknown, RegExp][] = [
    ...Object.entries(named).map(([file, re]): [string, () => unknown, RegExp] => [
      file,
      () => fixture(kindOf(file) as "other" | "websocket", nameOf(file)),
      re,
    ]),
    ["{}", () => ({}), /cannot handle this event: an empty object\./],
    ["null", () => null, /expected an object, got null/],
    ["a string", () => "GET /", /expected an object, got a string/],
    ["an array", () => [{ httpMethod: "GET", path: "/" }], /expected an object, got an array/],
    ["undefined", () => undefined, /expected an object, got undefined/],
    [
      'a Kinesis "Records" batch',
      () => ({ Records: [{ eventSource: "aws:kinesis" }] }),
      /a Kinesis stream batch \(eventSource "aws:kinesis"\)/,
    ],
    [
      "an unknown object",
      () => ({ hello: "world" }),
      /not an HTTP request in a format it knows \(keys: hello\)/,
    ],
  ];

  for (const [what, make, message] of cases) {
    it(`rejects ${what} with UnsupportedEventError naming it, and calls no route`, async () => {
      calls = 0;
      await assert.rejects(counted.handler(make(), context()), (error: unknown) => {
        assert.ok(error instanceof UnsupportedEventError);
        assert.equal(error.name, "UnsupportedEventError");
        assert.match(error.message, message);
        assert.match(error.message, /^aio-lambda-api cannot handle this event: /);
        return true;
      });
      assert.equal(calls, 0);
    });
  }
});

describe("dispatch: batches, which api.handler leaves to batchHandler", () => {
  const sources: [kind: "sqs" | "sns" | "mq", what: string][] = [
    ["sqs", "an SQS batch"],
    ["sns", "an SNS batch"],
    ["mq", "an Amazon MQ batch"],
  ];
  for (const [kind, what] of sources) {
    for (const name of fixtureNames(kind)) {
      it(`refuses ${kind}/${name} with UnsupportedEventError naming batchHandler, and runs no record`, async () => {
        const logs = captureLogs();
        let calls = 0;
        const api = createApi({ logger: logs.logger })
          .get("/{proxy+}", () => ++calls)
          .post("/{proxy+}", () => ++calls);
        await assert.rejects(api.handler(fixture(kind, name), context()), (error: unknown) => {
          assert.ok(error instanceof UnsupportedEventError);
          assert.equal(
            error.message,
            `api.handler serves HTTP events, and this is ${what}: export batchHandler(api) from "aio-lambda-api/batch" as the handler of a queue's function`,
          );
          return true;
        });
        assert.equal(calls, 0);
        assert.deepEqual(logs.records(), []);
      });
    }
  }
});

describe("dispatch: direct invocations and hostile JSON", () => {
  const echo = createApi({ accessLog: false })
    .get("/", ({ request }) => ({ kind: request.kind, path: request.path }))
    .post("/items", ({ body }) => ({ keys: Object.keys(body as object) }));

  it("answers a bare {httpMethod, path} event with a REST-shaped result", async () => {
    const result = await echo.handler({ httpMethod: "GET", path: "/" }, context());
    assert.deepEqual(result, {
      statusCode: 200,
      headers: { "content-type": "application/json", "x-request-id": INVOCATION },
      body: '{"kind":"direct","path":"/"}',
      isBase64Encoded: false,
    });
  });

  const hostile: [string, string][] = [
    ["__proto__", '{"__proto__": {"polluted": true}}'],
    ["constructor.prototype", '{"constructor": {"prototype": {"polluted": true}}}'],
  ];
  for (const [what, body] of hostile) {
    it(`hands a JSON body with ${what} to the route without touching Object.prototype`, async () => {
      const before = Object.getOwnPropertyNames(Object.prototype).sort();
      let received: unknown;
      const api = createApi({ accessLog: false }).post("/items", ({ body }) => {
        received = body;
        return { polluted: ({} as Record<string, unknown>).polluted ?? null };
      });
      const event = fixture("apigw-rest", "direct-minimal-post-body-no-headers");
      event.path = "/items";
      event.body = body;
      const result = (await api.handler(event, context())) as { statusCode: number; body: string };
      assert.equal(result.statusCode, 200);
      assert.equal(result.body, '{"polluted":null}');
      assert.deepEqual(Object.keys(received as object), [what.split(".")[0]]);
      assert.equal(Object.getPrototypeOf(received), Object.prototype);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), before);
    });
  }

  it("keeps __proto__ out of the query and the cookies (apigw-http/rust-http-v2-proxy-request.json)", async () => {
    let saw: Request | undefined;
    const api = createApi({ accessLog: false }).post("/my/path", ({ request }) => {
      saw = request;
      return null;
    });
    const event = fixture("apigw-http", "rust-http-v2-proxy-request");
    event.rawQueryString = "__proto__=x&constructor=y&a=1";
    event.cookies = ["__proto__=z", "b=2"];
    const result = (await api.handler(event, context())) as { statusCode: number };
    assert.equal(result.statusCode, 204);
    assert.deepEqual(Object.keys(saw!.queryAll), ["constructor", "a"]);
    assert.equal(Object.getPrototypeOf(saw!.queryAll), Object.prototype);
    assert.deepEqual(saw!.cookies, { b: "2" });
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });
});
