// cors(): answers CORS preflights and adds the CORS headers to every answer, per the Fetch standard.

import type { Middleware, MiddlewareInput } from "../use.js";
import { Response } from "../response.js";
import { describeValue } from "../util/describe.js";
import { addVary, type HeaderMap, setHeader } from "../util/header-map.js";

/** Which origins may read answers. */
export type CorsOrigin =
  | string
  | RegExp
  | readonly (string | RegExp)[]
  | ((origin: string, input: MiddlewareInput) => boolean | Promise<boolean>);

/** Options of {@link cors}. */
export interface CorsOptions {
  /**
   * `"*"` (any origin, without credentials), one origin (`"https://app.example.com"`, sent as
   * is), or a list, RegExp or function checked against the request's `Origin` (which is then
   * echoed back, with `Vary: Origin`).
   * @default "*"
   */
  origin?: CorsOrigin;
  /**
   * Methods a preflight allows.
   * @default the methods of the requested path's routes (GET, HEAD, PUT, PATCH, POST, DELETE when unknown)
   */
  methods?: readonly string[];
  /**
   * Request headers a preflight allows.
   * @default the ones the preflight asks for (`Access-Control-Request-Headers`), echoed
   */
  allowHeaders?: readonly string[];
  /** Response headers scripts may read, besides the CORS-safelisted ones. @default none */
  exposeHeaders?: readonly string[];
  /** Allow cookies and `Authorization` (`Access-Control-Allow-Credentials: true`). @default false */
  credentials?: boolean;
  /** Seconds a browser may cache a preflight answer. @default none (the browser's own, 5 s) */
  maxAge?: number;
}

const DEFAULT_METHODS = ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"];
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function isOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

function tokens(name: string, list: readonly string[] | undefined): readonly string[] | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || list.some((x) => typeof x !== "string" || !TOKEN.test(x))) {
    throw new TypeError(
      `cors: ${name} must be a list of header or method names, got ${JSON.stringify(list)}`,
    );
  }
  return list;
}

type Check = (origin: string, input: MiddlewareInput) => boolean | Promise<boolean>;

/** The origin check, or the fixed value sent whatever the request's origin. */
function planOrigin(origin: CorsOrigin): { fixed: string } | { check: Check } {
  const fail = (value: unknown = origin, where = ""): never => {
    throw new TypeError(
      `cors: origin must be "*", an origin like "https://app.example.com" (scheme, host, port; no path), a RegExp, a list of those or a function, got ${describeValue(value)}${where}`,
    );
  };
  if (typeof origin === "string")
    return origin === "*" || isOrigin(origin) ? { fixed: origin } : fail();
  if (typeof origin === "function") return { check: origin };
  const list = origin instanceof RegExp ? [origin] : Array.isArray(origin) ? origin : fail();
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const item of list) {
    if (item instanceof RegExp) patterns.push(item);
    else if (typeof item === "string" && isOrigin(item)) exact.add(item);
    else fail(item, " in the list");
  }
  return { check: (o) => exact.has(o) || patterns.some((p) => p.test(o)) };
}

/**
 * CORS middleware. Register it first (outermost), before any route: it then answers preflight
 * `OPTIONS` requests with 204 for every path that has routes, before other middleware (an auth
 * check) can refuse them, and its headers reach every answer, errors (404, 422, 500) included.
 * @throws TypeError when an option is invalid, or `origin: "*"` is combined with `credentials`.
 * @example
 * createApi().use(cors({ origin: ["https://app.example.com"], credentials: true }))
 */
export function cors(options: CorsOptions = {}): Middleware<{}, Promise<unknown>> {
  const { credentials = false, maxAge } = options;
  const plan = planOrigin(options.origin ?? "*");
  if ("fixed" in plan && plan.fixed === "*" && credentials) {
    throw new TypeError(
      'cors: origin "*" cannot be combined with credentials: true (browsers refuse it); list the origins instead',
    );
  }
  const methods = tokens("methods", options.methods)?.map((m) => m.toUpperCase());
  const allowHeaders = tokens("allowHeaders", options.allowHeaders)?.join(", ");
  const exposeHeaders = tokens("exposeHeaders", options.exposeHeaders)?.join(", ");
  if (maxAge !== undefined && !(Number.isInteger(maxAge) && maxAge >= 0)) {
    throw new TypeError(
      `cors: maxAge must be a whole number of seconds, got ${describeValue(maxAge)}`,
    );
  }
  const varies = !("fixed" in plan);

  /** The `Access-Control-Allow-Origin` value for this request, or undefined when refused. */
  const allowOf = (input: MiddlewareInput): string | undefined | Promise<string | undefined> => {
    if ("fixed" in plan) return plan.fixed;
    const origin = input.headers.origin;
    // "null" (sandboxed frames, file: pages) is shared by every such page: never echoed.
    if (origin === undefined || origin === "null") return undefined;
    const allowed = plan.check(origin, input);
    // A synchronous check (a list, a RegExp) costs no promise.
    if (typeof allowed === "boolean") return allowed ? origin : undefined;
    return allowed.then((yes) => (yes ? origin : undefined));
  };

  const common = (headers: HeaderMap, allowed: string | undefined): void => {
    if (varies) addVary(headers, "Origin");
    if (allowed === undefined) return;
    setHeader(headers, "access-control-allow-origin", allowed);
    if (credentials) setHeader(headers, "access-control-allow-credentials", "true");
  };

  return async (input, next) => {
    const { headers } = input;
    const preflight =
      input.request.method === "OPTIONS" &&
      headers.origin !== undefined &&
      headers["access-control-request-method"] !== undefined;
    // A path with no route gets no preflight answer: its 404 passes through.
    if (preflight && (input.route !== undefined || input.allow !== undefined)) {
      const pending = allowOf(input);
      const allowed = typeof pending === "object" ? await pending : pending;
      const out: HeaderMap = {};
      common(out, allowed);
      if (allowed !== undefined) {
        const allow = methods ?? input.allow?.filter((m) => m !== "OPTIONS") ?? DEFAULT_METHODS;
        out["access-control-allow-methods"] = allow.join(", ");
        const asked = headers["access-control-request-headers"];
        if (allowHeaders !== undefined) out["access-control-allow-headers"] = allowHeaders;
        else if (asked !== undefined && asked.trim() !== "") {
          out["access-control-allow-headers"] = asked;
          addVary(out, "Access-Control-Request-Headers");
        }
        if (maxAge !== undefined) out["access-control-max-age"] = String(maxAge);
      }
      return new Response(undefined, { status: 204, headers: out });
    }
    const answer = await next();
    const pending = allowOf(input);
    const allowed = typeof pending === "object" ? await pending : pending;
    common(answer.headers, allowed);
    if (allowed !== undefined && exposeHeaders) {
      setHeader(answer.headers, "access-control-expose-headers", exposeHeaders);
    }
    return answer;
  };
}
