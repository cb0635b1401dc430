// One request through middleware: the chain planned once per route, error answers flowing back as Responses.

import type { LogRecord } from "./access-log.js";
import { addTo, type Chain, type Composition, type Next } from "./compose.js";
import { describeError, type Hooks } from "./hooks.js";
import { isHTTPException } from "./errors.js";
import { provideInto } from "./provide.js";
import { detailReply, finishReply, type Reply, valueReply } from "./reply.js";
import type { LambdaContext, LambdaRequest } from "./request.js";
import { Response, ResponseState } from "./response.js";
import type { RouteRecord } from "./route.js";
import type { Match } from "./router.js";
import { RouteTimeoutError, routeDeadline, SignalSlot } from "./timeout.js";

/** The pipeline's stages a composed request uses, defined once: this file knows no order. */
export interface Stages {
  /** The route argument object (the middleware input too). */
  makeInput(host: Host, state: ResponseState, slot: SignalSlot): Record<string, unknown>;
  /** Validates, provides, calls the route and makes its reply; throws only uncaught errors. */
  runRoute(host: Host, route: RouteRecord, made: Made, context: LambdaContext): Promise<Reply>;
  /** The default answer to an error the pipeline knows (HTTPException, timeout…), else undefined. */
  known(host: Host, error: unknown, state: ResponseState): Reply | undefined;
  /** The default answer when no route matched (404, 405, 204 to OPTIONS, 400). */
  unmatched(host: Host): Reply;
  /** The route for another method on this path, to find the middleware the path's routes share. */
  routeFor(host: Host, method: string): RouteRecord | undefined;
}

/** One composed request as the pipeline hands it over. */
export interface Host {
  readonly stages: Stages;
  readonly request: LambdaRequest;
  readonly record: LogRecord;
  readonly context: LambdaContext | undefined;
  /** The Api's default route timeout and margin, in ms. */
  readonly timeoutMs: number;
  readonly marginMs: number;
  /** `uncaughtErrors: "respond"`: an uncaught error becomes a 500 Response middleware can decorate. */
  readonly respond: boolean;
}

/** The argument objects the chain made before the route runs. */
export interface Made {
  readonly state: ResponseState;
  readonly slot: SignalSlot;
  readonly input: Record<string, unknown>;
}

/** A middleware hanging after the route's deadline is cut this long after it (ms). */
const OUTER_GRACE_MS = 25;

const STREAM = Symbol("aio-lambda-api.stream");

/** A Response made here from a reply: passed through as it is, keeping a streamed body. */
class Passed extends Response<string | Uint8Array | undefined> {
  readonly [STREAM]: Reply["stream"];
  constructor(reply: Reply) {
    super(reply.body, { status: reply.status, headers: reply.headers });
    this[STREAM] = reply.stream;
  }
}

const toResponse = (reply: Reply): Passed => new Passed(reply);

function toReply(response: Response<unknown>): Reply {
  const headers: Reply["headers"] = {};
  for (const name in response.headers) {
    const value = response.headers[name];
    if (value === undefined) continue;
    headers[name.toLowerCase()] = typeof value === "string" ? value : [...value];
  }
  if (response.mediaType !== undefined) headers["content-type"] = response.mediaType;
  const body = response.render();
  const reply: Reply = { status: response.status ?? 200, headers, body };
  const stream = response instanceof Passed ? response[STREAM] : undefined;
  if (stream) {
    // A streamed body travels on only while no middleware replaced it or made a 304 / 204.
    if (body === undefined && reply.status !== 304 && reply.status !== 204) reply.stream = stream;
    else stream.close();
  }
  return reply;
}

/** One composed request; also the Lambda context the route runs under (what is left of its time). */
class Run implements Made, LambdaContext {
  /** The first uncaught error, in "respond" mode. */
  failure: { error: unknown } | undefined = undefined;
  /** Uncaught errors already past the hooks, rethrown untouched by outer steps. */
  passed: Set<unknown> | undefined = undefined;
  constructor(
    readonly host: Host,
    readonly route: RouteRecord | undefined,
    readonly match: Match<RouteRecord>,
    readonly chain: Chain,
    readonly answers: Hooks | undefined,
    readonly state: ResponseState,
    readonly slot: SignalSlot,
    readonly input: Record<string, unknown>,
    /** When the route's timeout passes (performance.now() ms). */
    readonly deadline: number,
  ) {}

  /** runRoute bounds the route by this: the chain's deadline, less the time middleware took. */
  getRemainingTimeInMillis(): number {
    return this.deadline - performance.now() + this.host.marginMs;
  }
}

/** A value returned by a middleware or hook → a reply, as a route's return value would be. */
async function replyOf(run: Run, value: unknown, status: number | undefined): Promise<Reply> {
  const reply = await valueReply(value, status, run.state, JSON.stringify);
  if (reply.stream) {
    const left = run.deadline - performance.now();
    await reply.stream.open(run.slot, left, () => new RouteTimeoutError(Math.round(left)));
  }
  return reply;
}

/** The answer to an error thrown inside the chain; rethrows an uncaught one (default mode). */
async function settle(run: Run, error: unknown): Promise<Reply> {
  if (run.passed?.has(error)) throw error;
  const known = run.host.stages.known(run.host, error, run.state);
  if (known) return known;
  const { record } = run.host;
  for (const hook of run.chain.hooks) {
    if (!(error instanceof hook.type)) continue;
    try {
      const fn = hook.fn as (error: unknown, input: unknown) => unknown;
      const reply = await replyOf(run, await fn(error, run.input), 500);
      record.error_detail = describeError(error, reply.status >= 500);
      return reply;
    } catch (hookError) {
      if (isHTTPException(hookError)) return run.host.stages.known(run.host, hookError, run.state)!;
      // A failing hook never loses the request: the error gets the default handling.
      record.hook_error = describeError(hookError);
      break;
    }
  }
  if (run.host.respond) {
    run.failure ??= { error };
    return detailReply(500);
  }
  (run.passed ??= new Set()).add(error);
  throw error;
}

/** Runs step `i` on (or the route), its errors settled into an answer or rethrown. */
async function layer(run: Run, i: number): Promise<Response<string | Uint8Array | undefined>> {
  try {
    if (i < run.chain.steps.length) return await callStep(run, i);
    const { host, route } = run;
    return toResponse(
      await (route ? host.stages.runRoute(host, route, run, run) : unmatched(run, run.match)),
    );
  } catch (error) {
    return toResponse(await settle(run, error));
  }
}

async function callStep(run: Run, i: number): Promise<Response<string | Uint8Array | undefined>> {
  const step = run.chain.steps[i]!;
  if (step.provide.length > 0) {
    const providing = provideInto(step.provide, run.input);
    if (providing) await providing;
  }
  let pending: Promise<Response<string | Uint8Array | undefined>> | undefined;
  const value = await step.fn(run.input, ((additions?: unknown) => {
    if (pending) throw new Error(`next() was called twice by middleware ${i + 1} of the chain`);
    if (additions !== undefined) addTo(run.input, additions);
    pending = layer(run, i + 1);
    return pending;
  }) as Next);
  // A middleware that called next() and returned nothing passes the answer on.
  if (value === undefined && pending) return pending;
  if (value instanceof Passed) return value;
  return toResponse(await replyOf(run, value, undefined));
}

/** The answer when no route matched: a `notFound` / `methodNotAllowed` hook, else the default. */
async function unmatched(run: Run, match: Match<RouteRecord>): Promise<Reply> {
  const fallback = run.host.stages.unmatched(run.host);
  const missing = match.kind === "none";
  // OPTIONS keeps its 204 with Allow; a bad path its 400.
  const notAllowed = match.kind === "method" && run.host.request.method !== "OPTIONS";
  const fn = missing
    ? run.answers?.notFound
    : notAllowed
      ? run.answers?.methodNotAllowed
      : undefined;
  if (!fn) return fallback;
  try {
    const reply = await replyOf(
      run,
      await (fn as (i: unknown) => unknown)(run.input),
      fallback.status,
    );
    if (!missing && reply.headers.allow === undefined)
      reply.headers.allow = fallback.headers.allow!;
    return reply;
  } catch (error) {
    if (isHTTPException(error)) return run.host.stages.known(run.host, error, run.state)!;
    run.host.record.hook_error = describeError(error);
    return fallback;
  }
}

const ANSWERED = Symbol("aio-lambda-api.answered");

/** An uncaught error already answered 500 by the chain ("respond" mode), for the pipeline to log. */
interface Answered {
  readonly [ANSWERED]: true;
  readonly error: unknown;
  readonly reply: Reply | undefined;
}

/**
 * The uncaught error behind what `runComposed` threw, and the 500 answer middleware decorated
 * (CORS headers…) when there is one.
 */
export function unwrapFailure(thrown: unknown): { error: unknown; reply: Reply | undefined } {
  if (typeof thrown === "object" && thrown !== null && ANSWERED in thrown) {
    const answered = thrown as Answered;
    return { error: answered.error, reply: answered.reply };
  }
  return { error: thrown, reply: undefined };
}

/** setTimeout's largest delay. */
const MAX_DELAY = 2_147_483_647;

function expire(
  run: Run,
  ms: number,
  resolve: (response: Response<string | Uint8Array | undefined>) => void,
  reject: (error: unknown) => void,
): void {
  const error = new RouteTimeoutError(Math.round(ms));
  run.slot.abort(error);
  settle(run, error).then((reply) => resolve(toResponse(reply)), reject);
}

/** The chain under the route's deadline: a middleware hanging past it is cut, answered 504. */
function bounded(run: Run, ms: number): Promise<Response<string | Uint8Array | undefined>> {
  const work = layer(run, 0);
  return new Promise((resolve, reject) => {
    const wait = Math.max(0, run.deadline - performance.now()) + OUTER_GRACE_MS;
    const timer = setTimeout(expire, Math.min(wait, MAX_DELAY), run, ms, resolve, reject);
    work.then(
      (response) => {
        clearTimeout(timer);
        resolve(response);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Serves one request of an Api that has middleware or hooks (a matched route without either
 * takes the plain path before this). The route's timeout covers the whole chain: the route runs
 * under what is left of it, so its 504 flows back through the middleware like any answer.
 * @throws the uncaught error (default mode), or an answered failure ("respond" mode) that
 * `unwrapFailure` reads.
 */
export async function runComposed(
  composition: Composition,
  match: Match<RouteRecord>,
  host: Host,
): Promise<Reply> {
  const route = match.kind === "route" ? match.route : undefined;
  let chain: Chain;
  if (route) {
    chain = composition.chainOf(route)!;
  } else if (match.kind === "method") {
    const found = new Set<RouteRecord>();
    const hasGet = match.allow.includes("GET");
    for (const method of match.allow) {
      // The router adds OPTIONS to every path, and HEAD where GET is: no other routes.
      if (method === "OPTIONS" || (method === "HEAD" && hasGet)) continue;
      const other = host.stages.routeFor(host, method);
      if (other) found.add(other);
    }
    chain = composition.sharedChain([...found]);
  } else {
    chain = composition.global;
  }
  const state = new ResponseState();
  const slot = new SignalSlot();
  const input = host.stages.makeInput(host, state, slot);
  input.route = route?.parsed.template;
  input.allow = match.kind === "method" ? match.allow : undefined;
  const ms = routeDeadline(route?.timeoutMs ?? host.timeoutMs, host.context, host.marginMs);
  const answers = composition.hooks;
  const run = new Run(
    host,
    route,
    match,
    chain,
    answers,
    state,
    slot,
    input,
    performance.now() + ms,
  );
  const reply = toReply(await bounded(run, ms));
  if (!run.failure) return reply;
  let checked: Reply | undefined = reply;
  try {
    finishReply(reply, host.request.method);
  } catch {
    checked = undefined;
  }
  const answered: Answered = { [ANSWERED]: true, error: run.failure.error, reply: checked };
  throw answered;
}
