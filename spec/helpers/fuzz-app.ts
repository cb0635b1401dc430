// The fuzzing target: an app with routes of every kind, and how one invocation is run and watched.

import type { Logger } from "@aws-lambda-powertools/logger";
import * as v from "valibot";
import { getLogger } from "../../lib/access-log.js";
import { createApi } from "../../lib/api.js";
import { multipart } from "../../lib/forms/index.js";
import type { BatchHandler } from "../../lib/batch/index.js";
import { HTTPException } from "../../lib/errors.js";
import type { LambdaContext } from "../../lib/request.js";
import { Response } from "../../lib/response.js";
import type { Outcome } from "./oracle.js";

/** The routes of the fuzz app as `METHOD /template`; the mutators fill `{…}` at random. */
export const TARGETS: readonly string[] = [
  "GET /",
  "GET /items/{id}",
  "HEAD /items/{id}",
  "POST /items",
  "PUT /items/{id}",
  "DELETE /items/{id}",
  "GET /files/{path+}",
  "POST /echo/{id}",
  "HEAD /head",
  "GET /binary",
  "GET /web",
  "GET /fail/{code}",
  "GET /slow",
  "POST /log/{n}",
  "GET /cookie",
  "POST /form",
];

const Item = v.object({
  name: v.pipe(v.string(), v.minLength(1)),
  price: v.pipe(v.number(), v.minValue(0)),
});

const BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

/**
 * An app with a route of every kind: static, param, greedy, body / query / params / headers
 * schemas, response schema, an explicit HEAD route, binary and web Responses, HTTPException,
 * a route that never settles (2 ms timeout), a form body, and fields added through getLogger().
 * No route throws anything but HTTPException, so a critical line means the library failed.
 */
export function fuzzApp(logger: Logger) {
  return createApi({ logger, multipart: multipart() })
    .get("/", () => ({ hello: "world" }))
    .get("/items/{id}", ({ params, query }) => ({ id: params.id, ...query }), {
      query: v.object({
        q: v.optional(v.string()),
        n: v.optional(v.pipe(v.string(), v.toNumber(), v.integer())),
        tag: v.optional(v.array(v.string())),
      }),
      response: v.object({
        id: v.string(),
        q: v.optional(v.string()),
        n: v.optional(v.number()),
        tag: v.optional(v.array(v.string())),
      }),
    })
    .post("/items", ({ body }) => body, { body: Item, response: Item, status: 201 })
    .put(
      "/items/{id}",
      ({ params, headers }) => ({ id: params.id, type: headers["content-type"] }),
      {
        params: v.object({ id: v.pipe(v.string(), v.digits()) }),
        headers: v.object({ "content-type": v.optional(v.string()) }),
      },
    )
    .delete("/items/{id}", () => null)
    .get("/files/{path+}", ({ params, cookies }) => ({
      path: params.path,
      cookies: Object.keys(cookies).length,
    }))
    .post("/echo/{id}", ({ params, body }) =>
      body instanceof Uint8Array
        ? new Response(body, { mediaType: "application/octet-stream" })
        : { id: params.id, body },
    )
    .head("/head", ({ response }) => {
      response.headers["x-head"] = "1";
      return "never sent";
    })
    .get("/binary", () => new Response(BYTES, { mediaType: "application/octet-stream" }))
    .get(
      "/web",
      ({ request }) =>
        new globalThis.Response(`hi ${request.path.length}`, {
          status: 202,
          headers: { "content-type": "text/plain", "set-cookie": "w=1" },
        }),
    )
    .get("/fail/{code}", ({ params }) => {
      const code = Number(params.code);
      const status = Number.isInteger(code) && code >= 400 && code <= 599 ? code : 418;
      throw new HTTPException(status, undefined, {
        headers: { "x-fail": "1" },
        errorDetail: { code: params.code },
      });
    })
    .get("/slow", () => new Promise<never>(() => {}), { timeoutMs: 2 })
    .post("/log/{n}", ({ params, log }) => {
      log.n = params.n;
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      getLogger().cyclic = cyclic;
      getLogger().big = 10n;
      getLogger().message = "reserved";
      return null;
    })
    .get("/cookie", ({ cookies, query, response }) => {
      // Echoes what the client sent into a cookie: the library percent-encodes any text.
      const echo = query.v ?? Object.values(cookies)[0] ?? "";
      response.setCookie("echo", echo, { httpOnly: true });
      return { cookies: Object.keys(cookies).length, echo };
    })
    .post(
      "/form",
      ({ body, request, log }) => {
        log.form = request.contentType;
        return { keys: Object.keys(body).length };
      },
      { body: v.record(v.string(), v.unknown()) },
    );
}

/**
 * Calls the handler, bounded by `boundMs` (a hang guard, not a performance bound), then lets one
 * turn of the event loop pass so a late unhandled rejection is reported before the next case.
 */
export async function invoke(
  handler: BatchHandler,
  event: unknown,
  context: LambdaContext,
  boundMs = 10_000,
): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: "hung" }), boundMs);
  });
  const run = handler(event, context).then(
    (value): Outcome => ({ kind: "resolved", value }),
    (error: unknown): Outcome => ({ kind: "rejected", error }),
  );
  const outcome = await Promise.race([run, hung]);
  clearTimeout(timer);
  await new Promise((resolve) => setImmediate(resolve));
  return outcome;
}

/** Own keys (names and symbols) of the built-in prototypes a polluting input would change. */
export function prototypeSnapshot(): string {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype]
    .map((proto) => Reflect.ownKeys(proto).map(String).join(","))
    .join("|");
}

/** Records every unhandled rejection until `stop()`. */
export function trackRejections(): { readonly seen: unknown[]; stop(): void } {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => void seen.push(reason);
  process.on("unhandledRejection", listener);
  return { seen, stop: () => void process.off("unhandledRejection", listener) };
}
