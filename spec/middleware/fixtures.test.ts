// Every real HTTP fixture (VPC Lattice included) with cors(), compress() and etag() on: the same answers as without, plus their headers.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { createApi } from "../../lib/index.js";
import { compress, cors, etag } from "../../lib/middleware/index.js";
import { fakeContext, fixtures, HTTP_KINDS, type Json } from "../helpers/fixtures.js";

const APP = "https://app.example.com";
/** About 2 KB of JSON, so compress() has something to do when a fixture accepts an encoding. */
const rows = Array.from({ length: 80 }, (_, i) => ({ id: i, name: `row ${i}` }));
const METHODS = ["get", "post", "put", "patch", "delete"] as const;

function routes(api: ReturnType<typeof createApi>) {
  let app = api;
  for (const method of METHODS) app = app[method]("/", () => rows);
  for (const method of METHODS) app = app[method]("/{proxy+}", () => rows);
  return app;
}

const plain = routes(createApi({ accessLog: false }));
const composed = routes(
  createApi({ accessLog: false })
    .use(cors({ origin: [APP], credentials: true }))
    .use(compress())
    .use(etag()),
);

type Result = {
  statusCode: number;
  statusDescription?: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
};

/** A result's headers as one lowercase map, whatever its shape. */
function headersOf(result: Result): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) out[name.toLowerCase()] = value;
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    out[name.toLowerCase()] = values.join(", ");
  }
  return out;
}

function bodyOf(result: Result): string {
  const raw = Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8");
  const coding = headersOf(result)["content-encoding"];
  const plainBytes =
    coding === "br"
      ? brotliDecompressSync(raw)
      : coding === "gzip"
        ? gunzipSync(raw)
        : coding === "deflate"
          ? inflateSync(raw)
          : raw;
  return plainBytes.toString("utf8");
}

function methodOf(event: Json): string {
  const http = (event.requestContext as Json | undefined)?.http as Json | undefined;
  return String(http?.method ?? event.method ?? event.httpMethod ?? "GET").toUpperCase();
}

/** The fixture as a request with another method and extra headers, in its own format. */
function rewrite(event: Json, method: string, headers: Record<string, string>): Json {
  const context = event.requestContext as Json | undefined;
  const http = context?.http as Json | undefined;
  if (http) http.method = method;
  else if (typeof event.method === "string")
    event.method = method; // VPC Lattice
  else event.httpMethod = method;
  event.headers = { ...((event.headers as Json | null) ?? {}), ...headers };
  const multi = event.multiValueHeaders as Record<string, string[]> | null | undefined;
  if (multi) {
    for (const [name, value] of Object.entries(headers)) multi[name] = [value];
  }
  return event;
}

// VPC Lattice too: its events are HTTP requests like the others.
const all = [...HTTP_KINDS, "vpc-lattice" as const].flatMap((kind) =>
  fixtures(kind).map(({ name, event }) => ({ file: `${kind}/${name}`, event })),
);

describe("middleware on every HTTP fixture", () => {
  for (const { file, event } of all) {
    it(`answers ${file} as without middleware, plus their headers`, async () => {
      const before = (await plain.handler(structuredClone(event), fakeContext())) as Result;
      const after = (await composed.handler(structuredClone(event), fakeContext())) as Result;
      assert.equal(after.statusCode, before.statusCode);
      assert.equal(after.statusDescription, before.statusDescription);
      assert.equal("multiValueHeaders" in after, "multiValueHeaders" in before, "header mode");
      assert.equal("cookies" in after, "cookies" in before);
      assert.equal(bodyOf(after), bodyOf(before));
      const [was, now] = [headersOf(before), headersOf(after)];
      assert.equal(now["x-request-id"], was["x-request-id"]);
      assert.equal(now["content-type"], was["content-type"]);
      assert.match(now.vary ?? "", /Origin/);
      const method = methodOf(event);
      if (before.statusCode === 200 && (method === "GET" || method === "HEAD")) {
        assert.match(now.etag ?? "", /^(W\/)?"/);
      }
    });

    it(`answers a preflight and a conditional GET in the format of ${file}`, async () => {
      const preflight = rewrite(structuredClone(event), "OPTIONS", {
        origin: APP,
        "access-control-request-method": "PUT",
      });
      const pre = (await composed.handler(preflight, fakeContext())) as Result;
      assert.equal(pre.statusCode, 204);
      const preHeaders = headersOf(pre);
      assert.equal(preHeaders["access-control-allow-origin"], APP);
      assert.equal(preHeaders["access-control-allow-credentials"], "true");
      assert.equal(
        preHeaders["access-control-allow-methods"],
        "DELETE, GET, HEAD, PATCH, POST, PUT",
      );
      assert.equal(pre.body, "");

      const get = rewrite(structuredClone(event), "GET", { origin: APP });
      const first = (await composed.handler(get, fakeContext())) as Result;
      assert.equal(first.statusCode, 200);
      const tag = headersOf(first).etag!;
      const again = rewrite(structuredClone(event), "GET", { origin: APP, "if-none-match": tag });
      const second = (await composed.handler(again, fakeContext())) as Result;
      assert.equal(second.statusCode, 304);
      assert.equal(second.body, "");
      assert.equal(headersOf(second)["access-control-allow-origin"], APP);
    });
  }
});
