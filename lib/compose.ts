// The middleware chain composed once per route around its call; errors become answers at every step's boundary.

import type { LogRecord } from "./access-log.js";
import { isHTTPException } from "./errors.js";
import type { ErrorHook } from "./hooks.js";
import { type Provider, provideInto } from "./provide.js";
import { errorAnswer, type Reply, valueReply } from "./reply.js";
import type { LambdaRequest } from "./request.js";
import { Response, type ResponseState } from "./response.js";
import type { Deadline } from "./timeout.js";
import { addTo, type MiddlewareRecord, type Next } from "./use.js";
import { describeError } from "./util/describe.js";

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
