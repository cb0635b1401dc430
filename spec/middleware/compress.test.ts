// compress(): each encoding, Accept-Encoding q-values, and every case where the body is left as it is.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { createApi, Response } from "../../lib/index.js";
import { type CompressOptions, compress, type Encoding } from "../../lib/middleware/index.js";
import { chooseEncoding, isCompressible } from "../../lib/middleware/compress.js";
import { StreamingResponse } from "../../lib/streaming/index.js";
import { inject } from "../../lib/testing/index.js";

/** About 3 KB of repetitive JSON: compresses well, above the default threshold. */
const rows = Array.from({ length: 60 }, (_, i) => ({ id: i, name: `item number ${i}` }));
const json = JSON.stringify(rows);

const decode: Record<Encoding, (bytes: Uint8Array) => Buffer> = {
  br: brotliDecompressSync,
  gzip: gunzipSync,
  deflate: inflateSync,
};

function api(options?: CompressOptions) {
  return createApi({ accessLog: false })
    .use(compress(options))
    .get("/rows", () => rows)
    .get("/small", () => ({ ok: true }))
    .get("/png", () => new Response(new Uint8Array(4000).fill(7), { mediaType: "image/png" }))
    .get(
      "/encoded",
      () =>
        new Response("x".repeat(4000), {
          mediaType: "text/plain",
          headers: { "content-encoding": "identity-ish" },
        }),
    )
    .get("/no-transform", ({ response }) => {
      response.headers["cache-control"] = "public, no-transform";
      return rows;
    })
    .get("/empty", () => undefined)
    .get(
      "/not-modified",
      () => new Response("x".repeat(4000), { status: 304, mediaType: "text/plain" }),
    )
    .get("/tagged", ({ response }) => {
      response.headers.etag = '"v1"';
      return rows;
    })
    .get("/stream", () => new StreamingResponse([json], { mediaType: "application/json" }));
}

describe("compress", () => {
  for (const coding of ["br", "gzip", "deflate"] as const) {
    for (const format of ["v2", "v1", "alb"] as const) {
      it(`sends a ${coding} body, base64 in the result, in a ${format} event`, async () => {
        const res = await inject(api(), {
          format,
          path: "/rows",
          headers: { "accept-encoding": coding },
        });
        assert.equal(res.status, 200);
        assert.equal(res.headers["content-encoding"], coding);
        assert.equal(res.headers["content-type"], "application/json");
        assert.equal(res.headers.vary, "Accept-Encoding");
        assert.equal((res.result as { isBase64Encoded: boolean }).isBase64Encoded, true);
        assert.ok(res.bytes.byteLength < json.length / 3);
        assert.equal(decode[coding](res.bytes).toString("utf8"), json);
      });
    }
  }

  // Rows: Accept-Encoding, offered codings, chosen coding.
  const choices: [header: string | undefined, offered: Encoding[], chosen: Encoding | undefined][] =
    [
      ["gzip, deflate, br", ["br", "gzip", "deflate"], "br"],
      ["gzip;q=0.5, br;q=0.8", ["br", "gzip", "deflate"], "br"],
      ["gzip;q=1.0, br;q=0.8", ["br", "gzip", "deflate"], "gzip"],
      ["br;q=0, gzip", ["br", "gzip", "deflate"], "gzip"],
      ["*", ["br", "gzip", "deflate"], "br"],
      ["*;q=0.1, br;q=0", ["br", "gzip", "deflate"], "gzip"],
      ["deflate, *;q=0", ["br", "gzip", "deflate"], "deflate"],
      ["br, gzip", ["gzip", "br"], "gzip"],
      ["GZIP ; Q=0.9", ["br", "gzip", "deflate"], "gzip"],
      ["br;q=abc, gzip;q=0.2", ["br", "gzip", "deflate"], "gzip"],
      ["br;q=2, gzip;q=0.2", ["br", "gzip", "deflate"], "gzip"],
      ["identity", ["br", "gzip", "deflate"], undefined],
      ["gzip;q=0, br;q=0, deflate;q=0", ["br", "gzip", "deflate"], undefined],
      ["zstd", ["br", "gzip", "deflate"], undefined],
      ["", ["br", "gzip", "deflate"], undefined],
      [undefined, ["br", "gzip", "deflate"], undefined],
    ];
  for (const [header, offered, chosen] of choices) {
    it(`chooses ${chosen ?? "no coding"} for ${JSON.stringify(header)} offering ${offered.join(",")}`, () => {
      assert.equal(chooseEncoding(header, offered), chosen);
    });
  }

  it("uses the encodings option's order to break ties", async () => {
    const res = await inject(api({ encodings: ["gzip", "br"] }), {
      path: "/rows",
      headers: { "accept-encoding": "br, gzip" },
    });
    assert.equal(res.headers["content-encoding"], "gzip");
  });

  // Rows: path, method, Accept-Encoding, status, Vary expected.
  const skipped: [what: string, path: string, method: string, status: number, vary?: string][] = [
    ["HEAD", "/rows", "HEAD", 200, undefined],
    ["a body under the threshold", "/small", "GET", 200, undefined],
    ["a media type that is already compressed", "/png", "GET", 200, undefined],
    ["a body already encoded", "/encoded", "GET", 200, undefined],
    ["Cache-Control: no-transform", "/no-transform", "GET", 200, undefined],
    ["a 204", "/empty", "GET", 204, undefined],
    ["a 304", "/not-modified", "GET", 304, undefined],
    ["a streamed body", "/stream", "GET", 200, undefined],
  ];
  for (const [what, path, method, status, vary] of skipped) {
    it(`leaves the body as it is for ${what}`, async () => {
      const res = await inject(api(), { method, path, headers: { "accept-encoding": "gzip, br" } });
      assert.equal(res.status, status);
      assert.notEqual(res.headers["content-encoding"], "gzip");
      assert.notEqual(res.headers["content-encoding"], "br");
      assert.equal(res.headers.vary, vary);
    });
  }

  it("keeps the exact bytes of a body it does not compress", async () => {
    const res = await inject(api(), { path: "/png", headers: { "accept-encoding": "gzip" } });
    assert.deepEqual(res.bytes, new Uint8Array(4000).fill(7));
  });

  it("sends Vary: Accept-Encoding even to a client that accepts no coding", async () => {
    const res = await inject(api(), { path: "/rows" });
    assert.equal(res.headers["content-encoding"], undefined);
    assert.equal(res.headers.vary, "Accept-Encoding");
    assert.equal(res.body, json);
  });

  it("honours the threshold option", async () => {
    const res = await inject(api({ threshold: 0 }), {
      path: "/small",
      headers: { "accept-encoding": "gzip" },
    });
    // Eleven bytes do not shrink: the body stays as it is, but the answer varies.
    assert.equal(res.headers["content-encoding"], undefined);
    assert.equal(res.headers.vary, "Accept-Encoding");
    const big = await inject(api({ threshold: 100_000 }), {
      path: "/rows",
      headers: { "accept-encoding": "gzip" },
    });
    assert.equal(big.headers["content-encoding"], undefined);
  });

  it("turns a strong ETag weak when it compresses", async () => {
    const res = await inject(api(), { path: "/tagged", headers: { "accept-encoding": "gzip" } });
    assert.equal(res.headers.etag, 'W/"v1"');
  });

  const types: [type: string | undefined, compressible: boolean][] = [
    ["text/html", true],
    ["application/json", true],
    ["application/problem+json", true],
    ["application/javascript", true],
    ["image/svg+xml", true],
    ["application/xml", true],
    ["image/png", false],
    ["application/octet-stream", false],
    ["application/zip", false],
    ["video/mp4", false],
    [undefined, false],
  ];
  for (const [type, compressible] of types) {
    it(`counts ${type ?? "no media type"} as ${compressible ? "" : "not "}compressible`, () => {
      assert.equal(isCompressible(type), compressible);
    });
  }

  const bad: [options: CompressOptions, message: string][] = [
    [{ threshold: -1 }, "compress: threshold must be a whole number of bytes, got -1"],
    [{ threshold: 1.5 }, "compress: threshold must be a whole number of bytes, got 1.5"],
    [
      { encodings: [] },
      'compress: encodings must list some of "br", "gzip", "deflate" once each, got []',
    ],
    [
      { encodings: ["gzip", "gzip"] },
      'compress: encodings must list some of "br", "gzip", "deflate" once each, got ["gzip","gzip"]',
    ],
    [
      { encodings: ["zstd" as Encoding] },
      'compress: encodings must list some of "br", "gzip", "deflate" once each, got ["zstd"]',
    ],
  ];
  for (const [options, message] of bad) {
    it(`refuses ${JSON.stringify(options)}`, () => {
      assert.throws(() => compress(options), { name: "TypeError", message });
    });
  }
});
