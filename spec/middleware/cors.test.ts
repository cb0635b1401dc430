// cors(): preflights and simple requests, allowed and refused origins, with the exact headers; error answers; every event kind.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { createApi, HTTPException, JSONResponse } from "../../lib/index.js";
import { type CorsOptions, cors } from "../../lib/middleware/index.js";
import { inject } from "../../lib/testing/index.js";

const APP = "https://app.example.com";
const EVIL = "https://evil.example.net";

function apiWith(options: CorsOptions) {
  return createApi({ accessLog: false, uncaughtErrors: "respond" })
    .use(cors(options))
    .use(async ({ headers, request }, next) =>
      // An auth check that would refuse a preflight (browsers send no credentials with one).
      headers.authorization || request.path === "/open"
        ? next()
        : new JSONResponse({ detail: "Log in" }, { status: 401 }),
    )
    .get("/items", ({ response }) => {
      response.headers.vary = "Accept";
      return [];
    })
    .post("/items", ({ body }) => body, { body: v.object({ name: v.string() }) })
    .get("/open", () => "open")
    .get("/boom", () => {
      throw new Error("boom");
    });
}

/** The headers of an answer without the ones every answer has. */
function corsHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith("access-control-") || name === "vary") out[name] = value;
  }
  return out;
}

const preflight = (origin: string, extra: Record<string, string> = {}) => ({
  origin,
  "access-control-request-method": "POST",
  ...extra,
});

const listed: CorsOptions = {
  origin: [APP, /^https:\/\/[a-z0-9]+\.preview\.example\.com$/],
  credentials: true,
  exposeHeaders: ["x-request-id"],
  maxAge: 600,
};

describe("cors", () => {
  describe("preflight", () => {
    // Rows: options, request headers, path, status, exact CORS headers of the answer.
    const rows: [
      name: string,
      options: CorsOptions,
      headers: Record<string, string>,
      path: string,
      status: number,
      expected: Record<string, string>,
    ][] = [
      [
        "an allowed origin of a list, asking for headers",
        listed,
        preflight(APP, { "access-control-request-headers": "content-type, authorization" }),
        "/items",
        204,
        {
          vary: "Origin, Access-Control-Request-Headers",
          "access-control-allow-origin": APP,
          "access-control-allow-credentials": "true",
          "access-control-allow-methods": "GET, HEAD, POST",
          "access-control-allow-headers": "content-type, authorization",
          "access-control-max-age": "600",
        },
      ],
      [
        "an origin matching a RegExp of the list, asking for no header",
        listed,
        preflight("https://pr42.preview.example.com"),
        "/items",
        204,
        {
          vary: "Origin",
          "access-control-allow-origin": "https://pr42.preview.example.com",
          "access-control-allow-credentials": "true",
          "access-control-allow-methods": "GET, HEAD, POST",
          "access-control-max-age": "600",
        },
      ],
      ["a refused origin", listed, preflight(EVIL), "/items", 204, { vary: "Origin" }],
      [
        'the origin "null" of a sandboxed page',
        { origin: /.*/ },
        preflight("null"),
        "/items",
        204,
        { vary: "Origin" },
      ],
      [
        "any origin with the default options",
        {},
        preflight(EVIL, { "access-control-request-headers": "x-api-key" }),
        "/items",
        204,
        {
          vary: "Access-Control-Request-Headers",
          "access-control-allow-origin": "*",
          "access-control-allow-methods": "GET, HEAD, POST",
          "access-control-allow-headers": "x-api-key",
        },
      ],
      [
        "configured methods and headers",
        { origin: APP, methods: ["get", "put"], allowHeaders: ["content-type"] },
        preflight(APP, { "access-control-request-headers": "x-other" }),
        "/items",
        204,
        {
          "access-control-allow-origin": APP,
          "access-control-allow-methods": "GET, PUT",
          "access-control-allow-headers": "content-type",
        },
      ],
      [
        "a path with no route: no preflight answer, the rest of the chain answers (auth's 401)",
        listed,
        preflight(APP),
        "/nothing",
        401,
        {
          vary: "Origin",
          "access-control-allow-origin": APP,
          "access-control-allow-credentials": "true",
          "access-control-expose-headers": "x-request-id",
        },
      ],
    ];
    for (const [name, options, headers, path, status, expected] of rows) {
      it(`answers ${status} to ${name}`, async () => {
        const res = await inject(apiWith(options), { method: "OPTIONS", path, headers });
        assert.equal(res.status, status);
        assert.deepEqual(corsHeaders(res.headers), expected);
        if (status === 204) assert.equal(res.body, "");
      });
    }

    it("answers a preflight before an auth middleware registered after it", async () => {
      const res = await inject(apiWith(listed), {
        method: "OPTIONS",
        path: "/items",
        headers: preflight(APP),
      });
      assert.equal(res.status, 204);
    });

    it("passes a plain OPTIONS (no Access-Control-Request-Method) to the route's answer", async () => {
      const res = await inject(apiWith({}), {
        method: "OPTIONS",
        path: "/open",
        headers: { origin: APP },
      });
      assert.equal(res.status, 204);
      assert.equal(res.headers.allow, "GET, HEAD, OPTIONS");
      assert.equal(res.headers["access-control-allow-origin"], "*");
      assert.equal(res.headers["access-control-allow-methods"], undefined);
    });
  });

  describe("simple and actual requests", () => {
    const auth = { authorization: "token" };
    const rows: [
      name: string,
      options: CorsOptions,
      headers: Record<string, string>,
      expected: Record<string, string>,
    ][] = [
      [
        "an allowed origin",
        listed,
        { origin: APP, ...auth },
        {
          vary: "Accept, Origin",
          "access-control-allow-origin": APP,
          "access-control-allow-credentials": "true",
          "access-control-expose-headers": "x-request-id",
        },
      ],
      ["a refused origin", listed, { origin: EVIL, ...auth }, { vary: "Accept, Origin" }],
      ["no Origin header", listed, auth, { vary: "Accept, Origin" }],
      [
        "any origin",
        {},
        { origin: EVIL, ...auth },
        { vary: "Accept", "access-control-allow-origin": "*" },
      ],
      [
        "one fixed origin, sent whatever the request's",
        { origin: APP },
        { origin: EVIL, ...auth },
        { vary: "Accept", "access-control-allow-origin": APP },
      ],
      [
        "an origin a function allows",
        { origin: async (origin) => origin.endsWith(".example.com") },
        { origin: APP, ...auth },
        { vary: "Accept, Origin", "access-control-allow-origin": APP },
      ],
      [
        "an origin a function refuses",
        { origin: (origin) => origin === APP },
        { origin: EVIL, ...auth },
        { vary: "Accept, Origin" },
      ],
    ];
    for (const [name, options, headers, expected] of rows) {
      it(`sends the exact headers for ${name}`, async () => {
        const res = await inject(apiWith(options), { path: "/items", headers });
        assert.equal(res.status, 200);
        assert.deepEqual(corsHeaders(res.headers), expected);
      });
    }

    // Error answers carry the headers too, so a browser script can read them.
    const errors: [status: number, method: string, path: string, body?: unknown][] = [
      [401, "GET", "/items"],
      [404, "GET", "/nothing"],
      [405, "DELETE", "/items"],
      [422, "POST", "/items", { name: 1 }],
      [500, "GET", "/boom"],
    ];
    for (const [status, method, path, body] of errors) {
      it(`adds the headers to a ${status} answer`, async () => {
        const headers: Record<string, string> = { origin: APP };
        if (status !== 401) headers.authorization = "token";
        const res = await inject(apiWith(listed), { method, path, headers, body });
        assert.equal(res.status, status);
        assert.equal(res.headers["content-type"], "application/json");
        assert.equal(res.headers["access-control-allow-origin"], APP);
        assert.equal(res.headers["access-control-allow-credentials"], "true");
        assert.match(res.headers.vary ?? "", /Origin/);
      });
    }

    it("adds the headers to an HTTPException's answer, keeping its own", async () => {
      const api = createApi({ accessLog: false })
        .use(cors({ origin: APP }))
        .get("/teapot", () => {
          throw new HTTPException(418, "short", { headers: { "x-kind": "tea" } });
        });
      const res = await inject(api, { path: "/teapot", headers: { origin: APP } });
      assert.equal(res.status, 418);
      assert.equal(res.headers["x-kind"], "tea");
      assert.equal(res.headers["access-control-allow-origin"], APP);
    });
  });

  describe("event kinds", () => {
    for (const format of ["v2", "v1", "alb"] as const) {
      it(`answers a preflight and a simple request in a ${format} event`, async () => {
        const api = apiWith(listed);
        const pre = await inject(api, {
          format,
          method: "OPTIONS",
          path: "/items",
          headers: preflight(APP),
        });
        assert.equal(pre.status, 204);
        assert.equal(pre.headers["access-control-allow-origin"], APP);
        assert.equal(pre.headers["access-control-allow-methods"], "GET, HEAD, POST");
        const simple = await inject(api, {
          format,
          path: "/items",
          headers: { origin: APP, authorization: "t" },
        });
        assert.equal(simple.status, 200);
        assert.equal(simple.headers["access-control-allow-origin"], APP);
        assert.equal(simple.headers.vary, "Accept, Origin");
      });
    }
  });

  describe("options", () => {
    const bad: [options: CorsOptions, message: string][] = [
      [
        { origin: "*", credentials: true },
        'cors: origin "*" cannot be combined with credentials: true (browsers refuse it); list the origins instead',
      ],
      [
        { credentials: true },
        'cors: origin "*" cannot be combined with credentials: true (browsers refuse it); list the origins instead',
      ],
      [
        { origin: "https://app.example.com/" },
        'cors: origin must be "*", an origin like "https://app.example.com" (scheme, host, port; no path), a RegExp, a list of those or a function, got "https://app.example.com/"',
      ],
      [
        { origin: [APP, "app.example.com"] },
        'cors: origin must be "*", an origin like "https://app.example.com" (scheme, host, port; no path), a RegExp, a list of those or a function, got "app.example.com" in the list',
      ],
      [
        { methods: ["GET POST"] },
        'cors: methods must be a list of header or method names, got ["GET POST"]',
      ],
      [
        { allowHeaders: ["x-ok", "bad header"] },
        'cors: allowHeaders must be a list of header or method names, got ["x-ok","bad header"]',
      ],
      [{ maxAge: -1 }, "cors: maxAge must be a whole number of seconds, got -1"],
      [{ maxAge: 1.5 }, "cors: maxAge must be a whole number of seconds, got 1.5"],
    ];
    for (const [options, message] of bad) {
      it(`refuses ${JSON.stringify(options)} when cors() is called`, () => {
        assert.throws(() => cors(options), { name: "TypeError", message });
      });
    }
  });
});
