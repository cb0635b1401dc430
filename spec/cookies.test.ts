// Cookies: setCookie / clearCookie lines, attribute checks, and several Set-Cookie lines in every event kind.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type CookieOptions,
  createApi,
  HTTPException,
  type Middleware,
  ResponseState,
} from "../lib/index.js";
import { fakeContext, fixtures, HTTP_KINDS, type Json } from "./helpers/fixtures.js";
import { inject } from "../lib/testing/index.js";

const EXPIRES = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));

describe("cookies", () => {
  describe("setCookie and clearCookie", () => {
    const lines: [name: string, value: string, options: CookieOptions, line: string][] = [
      [
        "sid",
        "abc",
        {
          maxAge: 3600,
          expires: EXPIRES,
          path: "/app",
          domain: "example.com",
          secure: true,
          httpOnly: true,
          sameSite: "none",
          partitioned: true,
          priority: "high",
        },
        "sid=abc; Max-Age=3600; Domain=example.com; Path=/app; Expires=Wed, 02 Jan 2030 03:04:05 GMT; HttpOnly; Secure; Partitioned; Priority=High; SameSite=None",
      ],
      ["theme", "dark", { sameSite: "lax" }, "theme=dark; SameSite=Lax"],
      ["t", "x", { sameSite: "strict", maxAge: 0 }, "t=x; Max-Age=0; SameSite=Strict"],
      ["__Secure-id", "1", { secure: true }, "__Secure-id=1; Secure"],
      ["__Host-id", "1", { secure: true, path: "/" }, "__Host-id=1; Path=/; Secure"],
      // The value is percent-encoded: nothing in it can end the line or add an attribute.
      ["v", "a;b\r\nSet-Cookie: x=1", {}, "v=a%3Bb%0D%0ASet-Cookie%3A%20x%3D1"],
      ["v", "é ü", {}, "v=%C3%A9%20%C3%BC"],
    ];
    for (const [name, value, options, line] of lines) {
      it(`writes ${line}`, () => {
        const state = new ResponseState();
        state.setCookie(name, value, options);
        assert.deepEqual(state.cookies, [line]);
      });
    }

    it("clears a cookie with the path and domain it was set with", () => {
      const state = new ResponseState();
      state.clearCookie("sid", { path: "/app", domain: "example.com", secure: true });
      assert.deepEqual(state.cookies, [
        "sid=; Domain=example.com; Path=/app; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure",
      ]);
    });

    const refused: [name: string, options: CookieOptions, message: string][] = [
      [
        "a",
        { path: "/; Domain=evil.example" },
        'Cookie "a": path must be text without ";", CR, LF or other control characters, got "/; Domain=evil.example"',
      ],
      [
        "a",
        { path: "/x\r\nX-Injected: 1" },
        'Cookie "a": path must be text without ";", CR, LF or other control characters, got "/x\\r\\nX-Injected: 1"',
      ],
      [
        "a",
        { domain: "example.com;x" },
        'Cookie "a": domain must be text without ";", CR, LF or other control characters, got "example.com;x"',
      ],
      ["a", { domain: "exa mple.com" }, 'Cookie "a": option domain is invalid: exa mple.com'],
      ["a", { maxAge: 1.5 }, 'Cookie "a": option maxAge is invalid: 1.5'],
      ["a", { expires: new Date("nope") }, 'Cookie "a": option expires is invalid: Invalid Date'],
      [
        "a",
        { sameSite: "none" },
        'Cookie "a": sameSite "none" needs secure: true (browsers drop the cookie otherwise)',
      ],
      [
        "a",
        { partitioned: true },
        'Cookie "a": partitioned needs secure: true (browsers drop the cookie otherwise)',
      ],
      ["__Secure-a", {}, 'Cookie "__Secure-a": a __Secure- or __Host- name needs secure: true'],
      [
        "__Host-a",
        { secure: true, path: "/", domain: "example.com" },
        'Cookie "__Host-a": a __Host- name needs path "/" and no domain',
      ],
      [
        "__Host-a",
        { secure: true },
        'Cookie "__Host-a": a __Host- name needs path "/" and no domain',
      ],
      ["a\nb", {}, 'Cookie name must be a token (no spaces, ";", "=" or controls), got "a\\nb"'],
    ];
    for (const [name, options, message] of refused) {
      it(`refuses ${JSON.stringify(name)} with ${JSON.stringify(options)}`, () => {
        const state = new ResponseState();
        assert.throws(() => state.setCookie(name, "v", options), { name: "TypeError", message });
        assert.deepEqual(state.cookies, []);
      });
    }
  });

  describe("several cookies in every event kind", () => {
    const session: Middleware = async ({ response }, next) => {
      response.setCookie("mw", "1", { httpOnly: true });
      return next();
    };
    const api = createApi({ accessLog: false })
      .use(session)
      .get("/{proxy+}", ({ response }) => {
        response.setCookie("a", "x y", { path: "/" });
        response.clearCookie("old");
        return { ok: true };
      })
      .get("/", () => {
        throw new HTTPException(401, "Log in");
      });
    const LINES = [
      "mw=1; HttpOnly",
      "a=x%20y; Path=/",
      "old=; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
    ];

    /** How the event kind carries Set-Cookie lines back. */
    function modeOf(event: Json): "cookies" | "multi" | "alb-multi" | "alb-single" {
      const context = event.requestContext as Json | undefined;
      if (context?.http) return "cookies";
      if (context?.elb) return event.multiValueHeaders ? "alb-multi" : "alb-single";
      return "multi";
    }

    function withPath(event: Json, path: string): Json {
      const context = event.requestContext as Json | undefined;
      const http = context?.http as Json | undefined;
      if (http) {
        http.method = "GET";
        event.rawPath = path;
        http.path = path;
        delete context!.stage;
      } else {
        event.httpMethod = "GET";
        event.path = path;
        if (context) delete context.stage;
      }
      return event;
    }

    const all = HTTP_KINDS.flatMap((kind) =>
      fixtures(kind).map(({ name, event }) => ({ file: `${kind}/${name}`, event })),
    );
    for (const { file, event } of all) {
      it(`sends the lines of the middleware and the route the way ${file} needs`, async () => {
        const result = (await api.handler(withPath(event, "/items/1"), fakeContext())) as Json;
        assert.equal(result.statusCode, 200);
        const headers = (result.headers ?? {}) as Record<string, string>;
        const multi = (result.multiValueHeaders ?? {}) as Record<string, string[]>;
        switch (modeOf(event)) {
          case "cookies":
            assert.deepEqual(result.cookies, LINES);
            assert.equal(headers["set-cookie"], undefined);
            break;
          case "multi":
            assert.deepEqual(multi["set-cookie"], LINES);
            assert.equal(headers["set-cookie"], undefined);
            break;
          case "alb-multi":
            assert.deepEqual(multi["set-cookie"], LINES);
            break;
          case "alb-single":
            // One value per header name in this mode: only the last line can go out.
            assert.equal(headers["set-cookie"], LINES[2]);
            break;
        }
      });
    }

    it("keeps the cookies set before an error answer", async () => {
      const res = await inject(api, { path: "/" });
      assert.equal(res.status, 401);
      assert.deepEqual(res.cookies, ["mw=1; HttpOnly"]);
    });
  });
});
