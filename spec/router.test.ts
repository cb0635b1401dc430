// Tests of the router: priorities, backtracking, decoding by source, trailing slash, and 400/404/405/HEAD/OPTIONS answers.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createApi } from "../lib/api.js";
import { parseTemplate } from "../lib/route.js";
import { createRouter, type Routable, splitPath } from "../lib/router.js";
import { fakeContext, type FixtureKind, fixture, type Json } from "./helpers/fixtures.js";
import { inject } from "../lib/testing/index.js";

const route = (method: string, template: string): Routable & { name: string } => ({
  method,
  parsed: parseTemplate(template),
  name: `${method} ${template}`,
});

const router = createRouter([
  route("GET", "/"),
  route("GET", "/items"),
  route("GET", "/items/new"),
  route("GET", "/items/{id}"),
  route("PUT", "/items/{id}"),
  route("GET", "/items/{id}/tags/{tag}"),
  route("GET", "/files/readme"),
  route("GET", "/files/{path+}"),
  route("GET", "/a/{x}/c"),
  route("GET", "/a/b/{y}"),
  route("POST", "/a/{x}/c"),
  route("HEAD", "/only-head"),
  route("GET", "/both"),
  route("HEAD", "/both"),
  route("GET", "/deep/x/x/x/{z}"),
  route("GET", "/deep/{a}/{b}/{c}/end/more"),
]);

describe("router", () => {
  const matches: [method: string, path: string, name: string, params: Record<string, string>][] = [
    ["GET", "/", "GET /", {}],
    ["GET", "", "GET /", {}],
    ["GET", "/items", "GET /items", {}],
    ["GET", "/items/", "GET /items", {}],
    ["GET", "/items/new", "GET /items/new", {}],
    ["GET", "/items/42", "GET /items/{id}", { id: "42" }],
    ["GET", "/items/42/", "GET /items/{id}", { id: "42" }],
    ["PUT", "/items/42", "PUT /items/{id}", { id: "42" }],
    ["GET", "/items/a%2Fb", "GET /items/{id}", { id: "a/b" }],
    ["GET", "/items/100%25", "GET /items/{id}", { id: "100%" }],
    ["GET", "/items/%2525", "GET /items/{id}", { id: "%25" }],
    ["GET", "/items/caf%C3%A9", "GET /items/{id}", { id: "café" }],
    ["GET", "/items/a%20b", "GET /items/{id}", { id: "a b" }],
    ["GET", "/items/new%2F", "GET /items/{id}", { id: "new/" }],
    ["GET", "/items/n%65w", "GET /items/new", {}],
    ["GET", "/items/7/tags/red", "GET /items/{id}/tags/{tag}", { id: "7", tag: "red" }],
    ["GET", "/files/readme", "GET /files/readme", {}],
    ["GET", "/files/readme/more", "GET /files/{path+}", { path: "readme/more" }],
    ["GET", "/files/a", "GET /files/{path+}", { path: "a" }],
    ["GET", "/files/a/b/c", "GET /files/{path+}", { path: "a/b/c" }],
    ["GET", "/files/a/b/c/", "GET /files/{path+}", { path: "a/b/c" }],
    ["GET", "/files/a%2Fb/c", "GET /files/{path+}", { path: "a/b/c" }],
    ["GET", "/files/a//b", "GET /files/{path+}", { path: "a//b" }],
    ["GET", "/a/b/c", "GET /a/b/{y}", { y: "c" }],
    ["GET", "/a/b/d", "GET /a/b/{y}", { y: "d" }],
    ["GET", "/a/z/c", "GET /a/{x}/c", { x: "z" }],
    ["POST", "/a/b/c", "POST /a/{x}/c", { x: "b" }],
    ["HEAD", "/items", "GET /items", {}],
    ["HEAD", "/items/9", "GET /items/{id}", { id: "9" }],
    ["HEAD", "/only-head", "HEAD /only-head", {}],
    ["HEAD", "/both", "HEAD /both", {}],
    ["GET", "/both", "GET /both", {}],
    ["GET", "/deep/x/x/x/end", "GET /deep/x/x/x/{z}", { z: "end" }],
    ["GET", "/deep/x/x/x/end/more", "GET /deep/{a}/{b}/{c}/end/more", { a: "x", b: "x", c: "x" }],
    ["GET", "/deep/x/x/x/q", "GET /deep/x/x/x/{z}", { z: "q" }],
  ];
  for (const [method, path, name, params] of matches) {
    it(`matches ${method} ${JSON.stringify(path)} to ${name}`, () => {
      const found = router.match(method, path);
      assert.equal(found.kind, "route");
      if (found.kind !== "route") return;
      assert.equal((found.route as { name: string }).name, name);
      assert.deepEqual(found.params, params);
    });
  }

  const misses: [method: string, path: string, outcome: string, allow?: string][] = [
    ["GET", "/nope", "none"],
    ["GET", "/items//", "none"],
    ["GET", "/items/1/tags", "none"],
    ["GET", "/files", "none"],
    ["GET", "/files/", "none"],
    ["GET", "/files//", "none"],
    ["GET", "/a/z/d", "none"],
    ["GET", "/a%2Fb/c", "none"],
    ["GET", "/items%2Fnew", "none"],
    ["GET", "/items/%zz", "bad-path"],
    ["GET", "/items/%E0%A4%A", "bad-path"],
    ["GET", "/%", "bad-path"],
    ["DELETE", "/items/1", "method", "GET, HEAD, OPTIONS, PUT"],
    ["DELETE", "/items", "method", "GET, HEAD, OPTIONS"],
    ["DELETE", "/a/b/c", "method", "GET, HEAD, OPTIONS, POST"],
    ["POST", "/a/b/d", "method", "GET, HEAD, OPTIONS"],
    ["GET", "/only-head", "method", "HEAD, OPTIONS"],
    ["OPTIONS", "/files/x/y", "method", "GET, HEAD, OPTIONS"],
  ];
  for (const [method, path, outcome, allow] of misses) {
    it(`answers ${method} ${JSON.stringify(path)} with ${outcome}${allow ? ` (Allow: ${allow})` : ""}`, () => {
      const found = router.match(method, path);
      assert.equal(found.kind, outcome);
      if (found.kind === "method") assert.equal(found.allow.join(", "), allow);
    });
  }

  // HTTP APIs deliver the path decoded already: it is split as it is, never decoded again.
  const decoded: [path: string, outcome: string, name?: string, params?: Record<string, string>][] =
    [
      ["/items/a b", "route", "GET /items/{id}", { id: "a b" }],
      ["/items/what?", "route", "GET /items/{id}", { id: "what?" }],
      ["/items/100%done", "route", "GET /items/{id}", { id: "100%done" }],
      ["/items/%", "route", "GET /items/{id}", { id: "%" }],
      ["/items/%E0%A4%A", "route", "GET /items/{id}", { id: "%E0%A4%A" }],
      ["/items/a%20b", "route", "GET /items/{id}", { id: "a%20b" }],
      ["/items/n%65w", "route", "GET /items/{id}", { id: "n%65w" }],
      ["/items/new", "route", "GET /items/new", {}],
      ["/files/a/b", "route", "GET /files/{path+}", { path: "a/b" }],
      ["/files/100%/b c/", "route", "GET /files/{path+}", { path: "100%/b c" }],
      ["/items/a/b", "none"],
      ["/%", "none"],
    ];
  for (const [path, outcome, name, params] of decoded) {
    it(`answers GET ${JSON.stringify(path)} delivered decoded with ${name ?? outcome}`, () => {
      const found = router.match("GET", path, true);
      assert.equal(found.kind, outcome);
      if (found.kind !== "route") return;
      assert.equal((found.route as { name: string }).name, name);
      assert.deepEqual(found.params, params);
    });
  }

  it("refuses two routes with the same method and shape", () => {
    assert.throws(() => createRouter([route("GET", "/x/{a}"), route("GET", "/x/{b}")]), {
      name: "TypeError",
      message: "GET /x/{b} clashes with GET /x/{a}",
    });
  });

  it("needs at least one segment for a greedy parameter at the root", () => {
    const root = createRouter([route("GET", "/{proxy+}")]);
    assert.equal(root.match("GET", "/").kind, "none");
    const found = root.match("GET", "/x/y");
    assert.ok(found.kind === "route" && found.params.proxy === "x/y");
  });
});

describe("splitPath", () => {
  const rows: [path: string, segments: string[] | undefined][] = [
    ["/", []],
    ["", []],
    ["/a", ["a"]],
    ["/a/", ["a"]],
    ["/a//", ["a", ""]],
    ["a/b", ["a", "b"]],
    ["/a%2Fb/c", ["a/b", "c"]],
    ["/%41", ["A"]],
    ["/%zz", undefined],
  ];
  for (const [path, segments] of rows) {
    it(`splits ${JSON.stringify(path)}`, () => {
      assert.deepEqual(splitPath(path), segments);
    });
  }

  const decodedRows: [path: string, segments: string[]][] = [
    ["/", []],
    ["/a b/c", ["a b", "c"]],
    ["/a%2Fb/c", ["a%2Fb", "c"]],
    ["/%zz/", ["%zz"]],
    ["/100%", ["100%"]],
  ];
  for (const [path, segments] of decodedRows) {
    it(`splits ${JSON.stringify(path)} delivered decoded without decoding it again`, () => {
      assert.deepEqual(splitPath(path, true), segments);
    });
  }
});

describe("router through the handler", () => {
  let getCalls = 0;
  const api = createApi({ accessLog: false })
    .get("/items", () => {
      getCalls++;
      return { items: [] };
    })
    .get("/items/{id}", ({ params }) => ({ id: params.id }))
    .post("/items", () => ({ created: true }), { status: 201 })
    .head("/ping", () => "pong")
    .get("/preflight", () => "get")
    .options("/preflight", ({ response }) => {
      response.headers["x-custom"] = "yes";
      return { options: true };
    });

  it("answers 404 with the reason phrase for an unknown path", async () => {
    const res = await inject(api, { path: "/nope" });
    assert.equal(res.status, 404);
    assert.equal(res.headers["content-type"], "application/json");
    assert.equal(res.body, '{"detail":"Not Found"}');
  });

  it("answers 405 with Allow when only the method is unknown", async () => {
    const res = await inject(api, { method: "DELETE", path: "/items" });
    assert.equal(res.status, 405);
    assert.equal(res.headers.allow, "GET, HEAD, OPTIONS, POST");
    assert.equal(res.body, '{"detail":"Method Not Allowed"}');
  });

  it("answers 400 for bad percent-encoding in a REST path", async () => {
    const res = await inject(api, { path: "/items/%E0%A4%A", format: "v1" });
    assert.equal(res.status, 400);
    assert.equal(res.body, '{"detail":"Invalid percent-encoding in path"}');
  });

  it("gives the route a parameter of a REST path decoded once", async () => {
    const res = await inject(api, { path: "/items/a%2Fb%2525", format: "v1" });
    assert.deepEqual(res.json(), { id: "a/b%25" });
  });

  it("answers OPTIONS with no route by 204 and Allow", async () => {
    const res = await inject(api, { method: "OPTIONS", path: "/items" });
    assert.equal(res.status, 204);
    assert.equal(res.headers.allow, "GET, HEAD, OPTIONS, POST");
    assert.equal(res.body, "");
  });

  it("lets an OPTIONS route win over the automatic answer", async () => {
    const res = await inject(api, { method: "OPTIONS", path: "/preflight" });
    assert.equal(res.status, 200);
    assert.equal(res.headers["x-custom"], "yes");
    assert.equal(res.headers.allow, undefined);
    assert.deepEqual(res.json(), { options: true });
  });

  it("answers OPTIONS on an unknown path with 404", async () => {
    const res = await inject(api, { method: "OPTIONS", path: "/nope" });
    assert.equal(res.status, 404);
    assert.equal(res.body, '{"detail":"Not Found"}');
  });

  it("runs the GET route for HEAD and sends no body", async () => {
    getCalls = 0;
    const res = await inject(api, { method: "HEAD", path: "/items" });
    assert.equal(getCalls, 1);
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "application/json");
    assert.equal(res.body, "");
  });

  it("sends no body for HEAD on a HEAD route", async () => {
    const res = await inject(api, { method: "HEAD", path: "/ping" });
    assert.equal(res.status, 200);
    assert.equal(res.body, "");
  });

  it("sends no body for HEAD on an unknown path", async () => {
    const res = await inject(api, { method: "HEAD", path: "/nope" });
    assert.equal(res.status, 404);
    assert.equal(res.body, "");
  });

  const formats: [kind: FixtureKind, name: string, what: string][] = [
    ["apigw-rest", "rust-http-proxy-request", "REST payload 1.0"],
    ["apigw-rest", "powertools-py-http-api-payload-v1", "HTTP API payload 1.0"],
    ["apigw-http", "rust-http-v2-minimal", "HTTP API payload 2.0"],
    ["function-url", "go-real-get-root", "Function URL"],
    ["alb", "rust-http-single-value", "ALB single-value"],
    ["alb", "rust-multi-value-headers", "ALB multi-value"],
  ];
  for (const [kind, name, what] of formats) {
    it(`runs GET for HEAD and sends no body in a ${what} event (${kind}/${name})`, async () => {
      const event = fixture(kind, name);
      const http = (event.requestContext as Record<string, Record<string, unknown>>).http;
      if (http) {
        http.method = "HEAD";
        event.rawPath = "/items";
      } else {
        event.httpMethod = "HEAD";
        event.path = "/items";
      }
      getCalls = 0;
      const result = (await api.handler(event, fakeContext())) as Record<string, unknown>;
      assert.equal(getCalls, 1);
      assert.equal(result.statusCode, 200);
      assert.equal(result.body, "");
      assert.equal(result.isBase64Encoded, false);
      const headers = (result.headers ?? result.multiValueHeaders) as Record<string, unknown>;
      assert.ok(headers["content-type"], "the GET answer's content-type is kept");
    });
  }
});

describe("basePath", () => {
  const api = createApi({ accessLog: false, basePath: "/v1/" })
    .get("/", () => "root")
    .get("/items", () => "items");

  const rows: [path: string, status: number, body: string][] = [
    ["/v1/items", 200, '"items"'],
    ["/v1/items/", 200, '"items"'],
    ["/v1", 200, '"root"'],
    ["/v1/", 200, '"root"'],
    ["/items", 200, '"items"'],
    ["/v1x/items", 404, '{"detail":"Not Found"}'],
    ["/v2/items", 404, '{"detail":"Not Found"}'],
  ];
  for (const [path, status, body] of rows) {
    it(`answers ${path} with ${status}`, async () => {
      const res = await inject(api, { path });
      assert.equal(res.status, status);
      assert.equal(res.body, body);
    });
  }
});

/** A real fixture of one source, changed to GET a path given as that source delivers it. */
interface Source {
  readonly name: string;
  readonly file: `${FixtureKind}/${string}`;
  readonly to: (event: Json, path: string) => void;
}

const setRest = (event: Json, path: string) => {
  event.httpMethod = "GET";
  event.path = path;
};
const setV2 = (event: Json, path: string) => {
  const http = (event.requestContext as Json).http as Json;
  event.rawPath = path;
  http.path = path;
  http.method = "GET";
};

/** Sources that deliver the path percent-decoded already: HTTP APIs, both payload formats. */
const DECODED: readonly Source[] = [
  { name: "HTTP API payload 2.0", file: "apigw-http/powertools-ts-real-iam-auth", to: setV2 },
  {
    name: "HTTP API payload 1.0",
    file: "apigw-rest/powertools-py-http-api-payload-v1",
    to: (event, path) => {
      setRest(event, path);
      (event.requestContext as Json).path = path;
    },
  },
];

/** Sources that deliver the path still percent-encoded. */
const ENCODED: readonly Source[] = [
  { name: "REST API", file: "apigw-rest/powertools-ts-real-no-auth", to: setRest },
  { name: "Function URL", file: "function-url/go-real-get-root", to: setV2 },
  { name: "ALB", file: "alb/powertools-py-single-value", to: setRest },
  {
    name: "VPC Lattice v1",
    file: "vpc-lattice/powertools-ts-v1",
    to: (event, path) => {
      event.method = "GET";
      event.raw_path = path;
    },
  },
  {
    name: "VPC Lattice v2",
    file: "vpc-lattice/powertools-py-v2-array-values",
    to: (event, path) => {
      event.method = "GET";
      event.path = path;
    },
  },
  { name: "direct invocation", file: "apigw-rest/direct-minimal-catch-all", to: setRest },
];

/** [what the client sent, the path as it arrives, status, the params or the detail]. */
type PathRow = [
  sent: string,
  arrives: string,
  status: number,
  seen: Record<string, string> | string,
];

const BAD = "Invalid percent-encoding in path";

// docs/guide.md, "Paths as each source delivers them": one row there for each block here.
const DECODED_ROWS: readonly PathRow[] = [
  ["/files/a%20b", "/files/a b", 200, { name: "a b" }],
  ["/files/what%3F", "/files/what?", 200, { name: "what?" }],
  ["/files/100%25done", "/files/100%done", 200, { name: "100%done" }],
  // Decoded twice by the service: `%2525` arrives as `%`, `%252F` as a `/` that separates segments.
  ["/files/%2525", "/files/%", 200, { name: "%" }],
  ["/files/a%252Fb", "/files/a/b", 200, { path: "a/b" }],
  // An older HTTP API delivered `%XX` encoded: kept as those three characters, never decoded.
  ["/files/a%20b (older API)", "/files/a%20b", 200, { name: "a%20b" }],
  ["/files/foo%25%2Fbar (older API)", "/files/foo%25%2Fbar", 200, { name: "foo%25%2Fbar" }],
];

const ENCODED_ROWS: readonly PathRow[] = [
  ["/files/a%20b", "/files/a%20b", 200, { name: "a b" }],
  ["/files/what%3F", "/files/what%3F", 200, { name: "what?" }],
  ["/files/100%25done", "/files/100%25done", 200, { name: "100%done" }],
  ["/files/%2525", "/files/%2525", 200, { name: "%25" }],
  ["/files/a%2Fb", "/files/a%2Fb", 200, { name: "a/b" }],
  ["/files/a%2Fb/c", "/files/a%2Fb/c", 200, { path: "a/b/c" }],
  ["/files/caf%C3%A9", "/files/caf%C3%A9", 200, { name: "café" }],
  ["/files/100%done", "/files/100%done", 400, BAD],
  ["/files/%E0%A4%A", "/files/%E0%A4%A", 400, BAD],
];

describe("paths as each source delivers them", () => {
  const seen = ({ params, request }: { params: object; request: { path: string } }) => ({
    params,
    path: request.path,
  });
  const api = createApi({ accessLog: false })
    .get("/files/{name}", seen)
    .get("/files/{path+}", seen);

  const table: [sources: readonly Source[], rows: readonly PathRow[], how: string][] = [
    [DECODED, DECODED_ROWS, "as it came, never decoded again"],
    [ENCODED, ENCODED_ROWS, "decoded once"],
  ];
  for (const [sources, rows, how] of table) {
    for (const source of sources) {
      for (const [sent, arrives, status, expected] of rows) {
        const what = typeof expected === "string" ? "400" : `params ${JSON.stringify(expected)}`;
        it(`routes ${JSON.stringify(arrives)} from a ${source.name} (${how}; sent ${sent}) with ${what} (${source.file}.json)`, async () => {
          const [kind, name] = source.file.split("/") as [FixtureKind, string];
          const event = fixture(kind, name);
          source.to(event, arrives);
          const result = (await api.handler(event, fakeContext())) as {
            statusCode: number;
            body: string;
          };
          assert.equal(result.statusCode, status, result.body);
          if (typeof expected === "string") {
            assert.deepEqual(JSON.parse(result.body), { detail: expected });
          } else {
            assert.deepEqual(JSON.parse(result.body), { params: expected, path: arrives });
          }
        });
      }
    }
  }

  it("answers 404 when a / made by double decoding leaves no route with that many segments (apigw-http/powertools-ts-real-iam-auth.json)", async () => {
    const event = fixture("apigw-http", "powertools-ts-real-iam-auth");
    setV2(event, "/files/a/b");
    const one = createApi({ accessLog: false }).get("/files/{name}", ({ params }) => params);
    const result = (await one.handler(event, fakeContext())) as { statusCode: number };
    assert.equal(result.statusCode, 404);
  });

  it("strips a named stage from an HTTP API path delivered decoded, then takes the rest as it is (derived from apigw-http/rust-http-v2-stage-in-path.json)", async () => {
    const event = fixture("apigw-http", "rust-http-v2-stage-in-path");
    setV2(event, "/Prod/files/100%done");
    const result = (await api.handler(event, fakeContext())) as { body: string };
    assert.deepEqual(JSON.parse(result.body), {
      params: { name: "100%done" },
      path: "/files/100%done",
    });
  });
});
