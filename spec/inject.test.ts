// Tests of inject(api, request): every option reaches the route as given, in every format, and the result reads back.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createApi, type RouteInput } from "../lib/api.js";
import type { InjectRequest } from "../lib/inject.js";
import { Response } from "../lib/response.js";
import { inject } from "../lib/testing/index.js";

const echo = ({ request, cookies, headers }: RouteInput<string, {}>) => ({
  kind: request.kind,
  method: request.method,
  path: request.path,
  queryAll: request.queryAll,
  header: headers["x-thing"] ?? null,
  cookies,
  contentType: request.contentType ?? null,
  text: request.text(),
  bytes: [...request.bytes()],
  awsRequestId: request.context?.awsRequestId ?? null,
});

const api = createApi({ accessLog: false })
  .get("/echo/{p+}", echo)
  .post("/echo/{p+}", echo)
  .patch("/echo/{p+}", echo)
  .post("/json", ({ body }) => ({ body }));

type Echo = ReturnType<typeof echo>;
const formats = [
  ["v2", "http-api"],
  ["v1", "rest"],
  ["alb", "alb"],
  ["lattice", "lattice"],
] as const;

describe("inject", () => {
  for (const [format, kind] of formats) {
    const send = async (request: InjectRequest) => {
      const res = await inject(api, { ...request, format });
      assert.equal(res.status, 200, res.body);
      return res.json<Echo>();
    };

    it(`builds a ${format} event by default as GET /`, async () => {
      const res = await inject(
        createApi({ accessLog: false }).get("/", ({ request }) => [
          request.method,
          request.path,
          request.kind,
        ]),
        { format },
      );
      assert.deepEqual(res.json(), ["GET", "/", kind]);
    });

    it(`sends the method, uppercased, in a ${format} event`, async () => {
      const seen = await send({ method: "patch", path: "/echo/x" });
      assert.equal(seen.method, "PATCH");
      assert.equal(seen.kind, kind);
    });

    it(`sends the path as a ${format} source delivers it and its ?query decoded`, async () => {
      const seen = await send({ path: "/echo/a%20b?a=1&b=x%20y&a=2&c=%26%3D" });
      // HTTP APIs decode the path before Lambda sees it; the other sources keep it encoded.
      assert.equal(seen.path, format === "v2" ? "/echo/a b" : "/echo/a%20b");
      assert.deepEqual(seen.queryAll, { a: ["1", "2"], b: ["x y"], c: ["&="] });
    });

    it(`brings a %20 in the path to the route decoded in a ${format} event`, async () => {
      const app = createApi({ accessLog: false }).get("/items/{id}", ({ params }) => params);
      assert.deepEqual((await inject(app, { path: "/items/a%20b", format })).json(), {
        id: "a b",
      });
    });

    it(`sends query values, arrays repeating the key, after the ?query in a ${format} event`, async () => {
      const seen = await send({
        path: "/echo/x?tag=first",
        query: { tag: ["a", "b"], q: "söme thing&x=y" },
      });
      assert.deepEqual(seen.queryAll, { tag: ["first", "a", "b"], q: ["söme thing&x=y"] });
    });

    it(`sends headers with lowercase names in a ${format} event`, async () => {
      const seen = await send({ path: "/echo/x", headers: { "X-Thing": "value, with comma" } });
      assert.equal(seen.header, "value, with comma");
    });

    it(`sends cookies in a ${format} event`, async () => {
      const seen = await send({ path: "/echo/x", cookies: { sid: "a b;c", theme: "dark" } });
      assert.deepEqual(seen.cookies, { sid: "a b;c", theme: "dark" });
    });

    it(`sends a JSON body with its content type in a ${format} event`, async () => {
      const res = await inject(api, {
        format,
        method: "POST",
        path: "/json",
        body: { a: [1, "x"] },
      });
      assert.deepEqual(res.json(), { body: { a: [1, "x"] } });
      const seen = await send({ method: "POST", path: "/echo/x", body: { a: 1 } });
      assert.equal(seen.contentType, "application/json");
      assert.equal(seen.text, '{"a":1}');
    });

    it(`sends a string body as is in a ${format} event`, async () => {
      const seen = await send({
        method: "POST",
        path: "/echo/x",
        body: "héllo\r\nworld",
        headers: { "content-type": "text/plain" },
      });
      assert.equal(seen.text, "héllo\r\nworld");
      assert.equal(seen.contentType, "text/plain");
    });

    it(`sends bytes base64-encoded, arriving exact, in a ${format} event`, async () => {
      const bytes = Uint8Array.from([0, 1, 254, 255, 13, 10]);
      const seen = await send({ method: "POST", path: "/echo/x", body: bytes });
      assert.deepEqual(seen.bytes, [...bytes]);
      assert.equal(seen.contentType, null);
    });

    it(`passes the context it is given in a ${format} event`, async () => {
      const seen = await send({ path: "/echo/x", context: { awsRequestId: "ctx-1" } });
      assert.equal(seen.awsRequestId, "ctx-1");
    });

    it(`reads status, headers, cookies and bytes back from a ${format} result`, async () => {
      const app = createApi({ accessLog: false }).get("/", ({ response }) => {
        response.setCookie("a", "1");
        response.setCookie("b", "2");
        return new Response(Uint8Array.from([104, 105, 255]), {
          status: 203,
          headers: { "X-Multi": ["p", "q"] },
          mediaType: "application/octet-stream",
        });
      });
      const res = await inject(app, { format });
      assert.equal(res.status, 203);
      assert.equal(res.headers["content-type"], "application/octet-stream");
      assert.equal(res.headers["x-multi"], "p, q");
      assert.equal(res.headers["set-cookie"], undefined);
      // ALB single-value mode could keep only the last line; inject builds a multi-value ALB event.
      // A Lattice result's headers hold one value each, so only the last line fits.
      assert.deepEqual(res.cookies, format === "lattice" ? ["b=2"] : ["a=1", "b=2"]);
      assert.deepEqual([...res.bytes], [104, 105, 255]);
      assert.equal(res.body, "hi\uFFFD");
      assert.equal((res.result as { isBase64Encoded: boolean }).isBase64Encoded, true);
    });
  }

  it("leaves a bad escape in a payload 2.0 path as sent, never a 400", async () => {
    const app = createApi({ accessLog: false }).get("/items/{id}", ({ params }) => params);
    assert.deepEqual((await inject(app, { path: "/items/100%25%zz" })).json(), { id: "100%%zz" });
  });

  it("defaults to a payload 2.0 event", async () => {
    const seen = (await inject(api, { path: "/echo/x" })).json<Echo>();
    assert.equal(seen.kind, "http-api");
  });

  it("parses a JSON result with json() and gives the text in body", async () => {
    const res = await inject(
      createApi({ accessLog: false }).get("/", () => ({ n: 1, s: "é" })),
      {},
    );
    assert.equal(res.body, '{"n":1,"s":"é"}');
    assert.deepEqual(res.json<{ n: number }>(), { n: 1, s: "é" });
    assert.deepEqual([...res.bytes], [...Buffer.from('{"n":1,"s":"é"}')]);
  });

  it("throws from json() when the body is not JSON", async () => {
    const res = await inject(
      createApi({ accessLog: false }).get(
        "/",
        () => new Response("plain", { mediaType: "text/plain" }),
      ),
      {},
    );
    assert.throws(() => res.json(), SyntaxError);
  });

  it("gives an empty body and empty bytes for a 204", async () => {
    const res = await inject(
      createApi({ accessLog: false }).delete("/", () => undefined),
      { method: "DELETE" },
    );
    assert.equal(res.status, 204);
    assert.equal(res.body, "");
    assert.equal(res.bytes.byteLength, 0);
  });

  it("runs the full pipeline, answering 404 and 405 like the handler", async () => {
    assert.equal((await inject(api, { path: "/nope" })).status, 404);
    const res = await inject(api, { method: "DELETE", path: "/json" });
    assert.equal(res.status, 405);
    assert.equal(res.headers.allow, "OPTIONS, POST");
  });
});
