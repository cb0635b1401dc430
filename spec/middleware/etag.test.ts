// etag(): validators from the body's hash, If-None-Match (lists, W/, *) and If-Modified-Since → 304.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { createApi } from "../../lib/index.js";
import { bodyTag, noneMatch } from "../../lib/middleware/etag.js";
import { compress, etag } from "../../lib/middleware/index.js";
import { inject } from "../../lib/testing/index.js";

const BODY = '{"id":1,"name":"shoe"}';
const TAG = `"${BODY.length.toString(16)}-${createHash("sha1").update(BODY).digest("base64url").slice(0, 27)}"`;
const MODIFIED = "Tue, 01 Apr 2025 10:00:00 GMT";

function api(weak = false) {
  return createApi({ accessLog: false })
    .use(etag({ weak }))
    .get("/item", () => ({ id: 1, name: "shoe" }))
    .get("/own", ({ response }) => {
      response.headers.etag = '"rev-7"';
      return { id: 1 };
    })
    .get("/dated", ({ response }) => {
      response.headers["last-modified"] = MODIFIED;
      response.headers["cache-control"] = "max-age=60";
      return { id: 1 };
    })
    .get("/missing", ({ response }) => {
      response.status = 404;
    })
    .post("/item", () => ({ id: 1, name: "shoe" }));
}

describe("etag", () => {
  it("tags a 200 GET answer with the length and SHA-1 of its body", async () => {
    const res = await inject(api(), { path: "/item" });
    assert.equal(res.status, 200);
    assert.equal(res.headers.etag, TAG);
    assert.equal(res.body, BODY);
    assert.equal(await bodyTag(BODY), TAG);
    assert.equal(await bodyTag(new TextEncoder().encode(BODY)), TAG);
  });

  // Rows: If-None-Match, whether it matches TAG.
  const conditions: [header: string, matches: boolean][] = [
    [TAG, true],
    [`W/${TAG}`, true],
    [`"other", ${TAG}`, true],
    [`"a","b" , W/${TAG}`, true],
    ["*", true],
    ['"other"', false],
    [TAG.slice(1, -1), false],
    ["", false],
  ];
  for (const [header, matches] of conditions) {
    it(`answers ${matches ? "304" : "200"} to If-None-Match ${JSON.stringify(header)}`, async () => {
      const res = await inject(api(), { path: "/item", headers: { "if-none-match": header } });
      assert.equal(res.status, matches ? 304 : 200);
      assert.equal(res.headers.etag, TAG);
      assert.equal(res.body, matches ? "" : BODY);
      assert.equal(res.headers["content-type"], matches ? undefined : "application/json");
      assert.equal(noneMatch(header, TAG), matches);
    });
  }

  it("compares tags holding commas whole", () => {
    assert.equal(noneMatch('"a,b", "c"', '"a,b"'), true);
    assert.equal(noneMatch('"a,b", "c"', '"b"'), false);
  });

  it("sends weak validators with weak: true, matched by the weak comparison", async () => {
    const res = await inject(api(true), { path: "/item", headers: { "if-none-match": TAG } });
    assert.equal(res.status, 304);
    assert.equal(res.headers.etag, `W/${TAG}`);
  });

  it("keeps and matches a route's own ETag", async () => {
    const res = await inject(api(), { path: "/own", headers: { "if-none-match": '"rev-7"' } });
    assert.equal(res.status, 304);
    assert.equal(res.headers.etag, '"rev-7"');
  });

  // Rows: If-Modified-Since, If-None-Match, status.
  const dates: [since: string, noneMatchHeader: string | undefined, status: number][] = [
    [MODIFIED, undefined, 304],
    ["Wed, 02 Apr 2025 00:00:00 GMT", undefined, 304],
    ["Mon, 31 Mar 2025 23:59:59 GMT", undefined, 200],
    ["not a date", undefined, 200],
    // If-None-Match wins: If-Modified-Since is not looked at then (RFC 9110 §13.1.3).
    [MODIFIED, '"other"', 200],
  ];
  for (const [since, none, status] of dates) {
    it(`answers ${status} to If-Modified-Since ${JSON.stringify(since)}${none ? " with If-None-Match" : ""}`, async () => {
      const headers: Record<string, string> = { "if-modified-since": since };
      if (none) headers["if-none-match"] = none;
      const res = await inject(api(), { path: "/dated", headers });
      assert.equal(res.status, status);
      if (status === 304) {
        assert.equal(res.body, "");
        assert.equal(res.headers["last-modified"], MODIFIED);
        assert.equal(res.headers["cache-control"], "max-age=60");
      }
    });
  }

  it("ignores If-Modified-Since when the route set no Last-Modified", async () => {
    const res = await inject(api(), {
      path: "/item",
      headers: { "if-modified-since": "Wed, 01 Jan 2031 00:00:00 GMT" },
    });
    assert.equal(res.status, 200);
  });

  it("leaves other methods and statuses alone", async () => {
    const post = await inject(api(), {
      method: "POST",
      path: "/item",
      headers: { "if-none-match": "*" },
    });
    assert.equal(post.status, 200);
    assert.equal(post.headers.etag, undefined);
    const missing = await inject(api(), { path: "/missing", headers: { "if-none-match": "*" } });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.etag, undefined);
  });

  it("answers HEAD like GET: the tag, and 304 when it matches", async () => {
    const head = await inject(api(), { method: "HEAD", path: "/item" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.etag, TAG);
    assert.equal(head.body, "");
    const matched = await inject(api(), {
      method: "HEAD",
      path: "/item",
      headers: { "if-none-match": TAG },
    });
    assert.equal(matched.status, 304);
  });

  for (const format of ["v2", "v1", "alb"] as const) {
    it(`answers 304 with an empty body in a ${format} event`, async () => {
      const res = await inject(api(), { format, path: "/item", headers: { "if-none-match": TAG } });
      assert.equal(res.status, 304);
      assert.equal(res.body, "");
      assert.equal(res.headers.etag, TAG);
    });
  }

  it("works under compress(): the tag of the plain body, weakened, still matches", async () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({ id: i }));
    const both = createApi({ accessLog: false })
      .use(compress())
      .use(etag())
      .get("/rows", () => rows);
    const first = await inject(both, { path: "/rows", headers: { "accept-encoding": "gzip" } });
    assert.equal(first.headers["content-encoding"], "gzip");
    assert.match(first.headers.etag ?? "", /^W\/"/);
    assert.equal(first.headers.etag, `W/${await bodyTag(JSON.stringify(rows))}`);
    const again = await inject(both, {
      path: "/rows",
      headers: { "accept-encoding": "gzip", "if-none-match": first.headers.etag! },
    });
    assert.equal(again.status, 304);
    assert.equal(again.headers["content-encoding"], undefined);
  });
});
