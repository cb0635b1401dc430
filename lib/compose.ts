// Middleware: the types users write against, their checks at registration, and the chain composed once per route.

import type { LogRecord } from "./access-log.js";
import { isHTTPException } from "./errors.js";
import type { ErrorHook } from "./hooks.js";
import { type Provider, provideInto } from "./provide.js";
import { errorAnswer, type Reply, valueReply } from "./reply.js";
import type { LambdaRequest, Request } from "./request.js";
import { Response, type ResponseState } from "./response.js";
import type { Deadline } from "./timeout.js";
import type { Simplify } from "./types.js";
import { describeError, describeValue } from "./util/describe.js";

declare const ADDED: unique symbol;

/**
 * What `next()` resolves to: the answer of the rest of the chain as a Response whose `content` is
 * the rendered body (a string, bytes, or undefined for none). Change it or return another value.
 * The type also carries, for inference only, the fields the middleware added to the route input.
 */
export type Answer<Added extends object = {}> = Response<string | Uint8Array | undefined> & {
  readonly [ADDED]?: Added;
};

/** The route input keys that middleware additions and provided resources may not take. */
const RESERVED_KEYS = [
  "body",
  "query",
  "params",
  "headers",
  "cookies",
  "request",
  "response",
  "log",
  "signal",
  "route",
  "allow",
] as const;

/** Route input names a middleware cannot add or replace. */
export type ReservedKey = (typeof RESERVED_KEYS)[number];

/**
 * Runs the rest of the chain (later middleware, then the route), with `additions` merged into the
 * route input; resolves to its answer, error answers included (404, 422, an `HTTPException`, a
 * mapped `onError`). Call it at most once.
 */
export type Next = <Added extends object = {}>(
  additions?: Added & { readonly [K in ReservedKey]?: never },
) => Promise<Answer<Added>>;

/** What every middleware receives, whatever the route. */
export interface MiddlewareBase {
  /** The query as sent, one value per key: a route's schema has not run yet. */
  readonly query: Readonly<Record<string, string>>;
  /** Path parameters of the matched route (`{}` when no route matched). */
  readonly params: Readonly<Record<string, string>>;
  /** Lowercase header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: Readonly<Record<string, string>>;
  readonly request: Request;
  /** The route's response state: headers and cookies set here reach the answer. */
  readonly response: ResponseState;
  /** The access-log record of this request (same as getLogger()). */
  readonly log: LogRecord;
  /** Aborted when the route's timeout is reached. */
  readonly signal: AbortSignal;
  /** The template of the matched route (`/items/{id}`); undefined when no route matched. */
  readonly route: string | undefined;
  /** When the path has routes but none for this method (405, `OPTIONS`): their methods. */
  readonly allow: readonly string[] | undefined;
}

/** A middleware's input: the base fields, plus what was provided and added before it. */
export type MiddlewareInput<Ctx extends object = {}> = Simplify<
  Omit<Ctx, keyof MiddlewareBase> & MiddlewareBase
>;

/**
 * A middleware: runs before and after the rest of the chain, which it reaches with `next()`. It
 * may return what `next()` gave (changed or not), anything a route may return, or throw.
 */
export type Middleware<Ctx extends object = {}, R = unknown> = (
  input: MiddlewareInput<Ctx>,
  next: Next,
) => R;

type AddedOf<T> = T extends { readonly [ADDED]?: infer A }
  ? unknown extends A
    ? never
    : A
  : never;

/** The fields a middleware returning `R` adds to the route input (`{}` when none). */
export type AddedBy<R> = [AddedOf<Awaited<R>>] extends [never] ? {} : AddedOf<Awaited<R>>;

/** `Ctx` with `Added` merged in, later fields winning. */
export type WithAdded<Ctx, Added> = Simplify<Omit<Ctx, keyof Added> & Added>;

type Box<M> = M extends (...args: never[]) => infer R ? { added: AddedBy<R> } : never;
type Intersect<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

/** The fields the middleware of a route's `use` option add, all together. */
export type UseAdded<O> = O extends { use: readonly (infer M)[] }
  ? Intersect<Box<M>> extends { added: infer A }
    ? A
    : {}
  : {};

/**
 * Types a reusable middleware without annotations, so it can go in a route's `use` option (where
 * an inline arrow function would lose its types) and its additions still reach the route.
 * @example
 * const auth = defineMiddleware(async ({ headers }, next) =>
 *   next({ user: await verify(headers.authorization) }),
 * );
 * api.get("/me", ({ user }) => user, { use: [auth] });
 */
export function defineMiddleware<R>(middleware: Middleware<{}, R>): Middleware<{}, R> {
  if (typeof middleware !== "function") {
    throw new TypeError(`defineMiddleware: expected a function, got ${describeValue(middleware)}`);
  }
  return middleware;
}

/** A middleware as registered: the function and the resources provided before it. */
export interface MiddlewareRecord {
  readonly fn: (input: never, next: Next) => unknown;
  /** The providers registered before it: its input holds them. */
  readonly providers: readonly Provider[];
  /** `"api"` from `api.use`, `"route"` from a route's `use` option. */
  readonly scope: "api" | "route";
}

/** {@link ReservedKey} as a set, for the checks at run time. */
export const RESERVED: ReadonlySet<string> = new Set<string>(RESERVED_KEYS);

/**
 * Checks and records one middleware.
 * @param where how errors name it: `use` or `GET /items use[1]`
 * @throws TypeError when `fn` is not a function.
 */
export function middlewareRecord(
  fn: unknown,
  providers: readonly Provider[],
  scope: "api" | "route",
  where: string,
): MiddlewareRecord {
  if (typeof fn !== "function") {
    throw new TypeError(`${where}: a middleware must be a function, got ${describeValue(fn)}`);
  }
  return Object.freeze({ fn: fn as MiddlewareRecord["fn"], providers, scope });
}

/**
 * The middleware chain of a new route: the Api's middleware registered so far, then the route's
 * own `use` option; undefined when there are none.
 * @throws TypeError naming the route when `use` is not an array of functions.
 */
export function routeChain(
  name: string,
  api: readonly MiddlewareRecord[] | undefined,
  use: unknown,
  providers: readonly Provider[],
): readonly MiddlewareRecord[] | undefined {
  if (use !== undefined && !Array.isArray(use)) {
    throw new TypeError(`${name}: use must be an array of middleware, got ${describeValue(use)}`);
  }
  const own = (use ?? []).map((fn: unknown, i: number) =>
    middlewareRecord(fn, providers, "route", `${name} use[${i}]`),
  );
  if (own.length === 0) return api && api.length > 0 ? api : undefined;
  return Object.freeze([...(api ?? []), ...own]);
}

/**
 * Merges a middleware's additions into the route input.
 * @throws TypeError when `additions` is not a plain object or names a route input key.
 */
export function addTo(input: Record<string, unknown>, additions: unknown): void {
  if (typeof additions !== "object" || additions === null || Array.isArray(additions)) {
    throw new TypeError(`next(): additions must be an object, got ${describeValue(additions)}`);
  }
  for (const key of Object.keys(additions)) {
    // "__proto__" as an own key (from JSON.parse) would replace the input's prototype.
    if (RESERVED.has(key) || key === "__proto__") {
      throw new TypeError(
        `next(): cannot add ${JSON.stringify(key)}, a route input key; use another name`,
      );
    }
    input[key] = (additions as Record<string, unknown>)[key];
  }
}

/** One middleware of a planned chain, with the providers no earlier step provided. */
export interface Step {
  readonly fn: (input: Record<string, unknown>, next: Next) => unknown;
  readonly provide: readonly Provider[];
}

/** A chain: its steps, outermost first, and the error hooks checked at every step's boundary. */
export interface Chain {
  readonly steps: readonly Step[];
  readonly hooks: readonly ErrorHook[];
}

/**
 * One request while its answer is made: what the pipeline received and what the route, the
 * middleware and the hooks read and write. Made by lib/pipeline.ts, one per request.
 */
export interface Exchange {
  readonly request: LambdaRequest;
  readonly record: LogRecord;
  readonly state: ResponseState;
  readonly deadline: Deadline;
  /** The route argument, which middleware receive too. */
  readonly input: Record<string, unknown>;
  /** `uncaughtErrors: "respond"`: an uncaught error becomes a 500 that middleware can decorate. */
  readonly respond: boolean;
  /** The uncaught error a 500 answered ("respond" mode), for the pipeline to log and report. */
  uncaught: { readonly error: unknown } | undefined;
  /** An uncaught error already past the hooks: outer middleware pass it on untouched. */
  passed: unknown;
}

/** Makes the answer to one request; throws only errors no hook or default answer handled. */
export type Handle = (exchange: Exchange) => Promise<Reply> | Reply;

/** Plans a chain: each provider is provided before the first step that can see it. */
export function planChain(
  records: readonly MiddlewareRecord[],
  hooks: readonly ErrorHook[],
): Chain {
  const seen = new Set<Provider>();
  const steps = records.map((record) => {
    const provide = record.providers.filter((p) => !seen.has(p));
    for (const p of provide) seen.add(p);
    return Object.freeze({ fn: record.fn as Step["fn"], provide });
  });
  return Object.freeze({ steps: Object.freeze(steps), hooks });
}

/** A middleware hanging after the request's deadline is cut this long after it (ms). */
const OUTER_GRACE_MS = 25;

type Rendered = Response<string | Uint8Array | undefined>;

const STREAM = Symbol("aio-lambda-api.stream");

/** A Response made here from a reply: passed through as it is, keeping a streamed body. */
class ReplyResponse extends Response<string | Uint8Array | undefined> {
  readonly [STREAM]: Reply["stream"];
  constructor(reply: Reply) {
    super(reply.body, { status: reply.status, headers: reply.headers });
    this[STREAM] = reply.stream;
  }
}

const toResponse = (reply: Reply): Rendered => new ReplyResponse(reply);

function toReply(response: Rendered): Reply {
  const headers: Reply["headers"] = {};
  for (const name in response.headers) {
    const value = response.headers[name];
    if (value === undefined) continue;
    headers[name.toLowerCase()] = typeof value === "string" ? value : [...value];
  }
  if (response.mediaType !== undefined) headers["content-type"] = response.mediaType;
  const body = response.render();
  const reply: Reply = { status: response.status ?? 200, headers, body };
  const stream = response instanceof ReplyResponse ? response[STREAM] : undefined;
  if (stream) {
    // A streamed body travels on only while no middleware replaced it or made a 304 / 204.
    if (body === undefined && reply.status !== 304 && reply.status !== 204) reply.stream = stream;
    else stream.close();
  }
  return reply;
}

/** A value returned by a middleware or hook → a reply, as a route's return value would be. */
async function replyOf(x: Exchange, value: unknown, status: number | undefined): Promise<Reply> {
  const reply = await valueReply(value, status, x.state, JSON.stringify);
  if (reply.stream) await reply.stream.open(x.deadline);
  return reply;
}

/**
 * The answer to an error thrown inside a chain: the default answer of an error the pipeline
 * knows, else the first matching `onError` hook's, else (uncaught) a 500 in "respond" mode or
 * the error rethrown, once, for the pipeline.
 */
async function settle(x: Exchange, hooks: readonly ErrorHook[], error: unknown): Promise<Reply> {
  if (x.passed === error) throw error;
  const answer = errorAnswer(error, x.state);
  if (!answer.uncaught) {
    x.record.error_detail = answer.detail;
    return answer.reply;
  }
  for (const hook of hooks) {
    if (!(error instanceof hook.type)) continue;
    try {
      const fn = hook.fn as (error: unknown, input: unknown) => unknown;
      const reply = await replyOf(x, await fn(error, x.input), 500);
      x.record.error_detail = describeError(error, { stack: reply.status >= 500 });
      return reply;
    } catch (hookError) {
      if (isHTTPException(hookError)) return settle(x, [], hookError);
      // A failing hook never loses the request: the error gets the default handling.
      x.record.hook_error = describeError(hookError);
      break;
    }
  }
  if (x.respond) {
    x.uncaught ??= { error };
    x.record.error_detail = answer.detail;
    return answer.reply;
  }
  x.passed = error;
  throw error;
}

/**
 * Composes a chain around `inner` (the route, or the answer when no route matched), once, at
 * build time. Each middleware reaches the rest with `next()`, which resolves to the rest's answer
 * as a Response, error answers included. The whole chain is bounded by the request's deadline:
 * a middleware still running a moment after it is cut and answered 504.
 */
export function compose(chain: Chain, inner: Handle): Handle {
  const { steps, hooks } = chain;
  const layer = async (x: Exchange, i: number): Promise<Rendered> => {
    try {
      if (i === steps.length) return toResponse(await inner(x));
      const step = steps[i]!;
      if (step.provide.length > 0) {
        const providing = provideInto(step.provide, x.input);
        if (providing) await providing;
      }
      let pending: Promise<Rendered> | undefined;
      const next = ((additions?: unknown) => {
        if (pending) throw new Error(`next() was called twice by middleware ${i + 1} of the chain`);
        if (additions !== undefined) addTo(x.input, additions);
        pending = layer(x, i + 1);
        return pending;
      }) as Next;
      const value = await step.fn(x.input, next);
      // A middleware that called next() and returned nothing passes the answer on.
      if (value === undefined && pending) return pending;
      if (value instanceof ReplyResponse) return value;
      return toResponse(await replyOf(x, value, undefined));
    } catch (error) {
      return toResponse(await settle(x, hooks, error));
    }
  };
  return async (x) => {
    try {
      return toReply((await x.deadline.race(() => layer(x, 0), OUTER_GRACE_MS)) as Rendered);
    } catch (error) {
      return settle(x, hooks, error);
    }
  };
}

/** What the default answer to an unmatched request is, and which hook may replace it. */
export interface Unmatched {
  /** The default answer (404, 405 with Allow, 204 to OPTIONS, 400 for a bad path). */
  readonly reply: (x: Exchange) => Reply;
  /** `notFound` for a 404, `methodNotAllowed` for a 405; undefined for the others. */
  readonly hook: ((input: never) => unknown) | undefined;
}

/** The answer when no route matched: the hook's when there is one, else the default. */
export function unmatchedHandle({ reply, hook }: Unmatched): Handle {
  if (!hook) return reply;
  return async (x) => {
    const fallback = reply(x);
    try {
      const answer = await replyOf(
        x,
        await (hook as (input: unknown) => unknown)(x.input),
        fallback.status,
      );
      const allow = fallback.headers.allow;
      if (allow !== undefined && answer.headers.allow === undefined) answer.headers.allow = allow;
      return answer;
    } catch (error) {
      if (isHTTPException(error)) return settle(x, [], error);
      x.record.hook_error = describeError(error);
      return fallback;
    }
  };
}
