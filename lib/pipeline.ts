// One request: match → input → call → reply → access log. Holds the pipeline's one catch.

import {
  type AccessLevel,
  type AccessLog,
  levelOf,
  type LogRecord,
  recordStore,
  requestRecord,
} from "./access-log.js";
import {
  type Chain,
  compose,
  type Exchange,
  type Handle,
  type MiddlewareRecord,
  planChain,
  unmatchedHandle,
} from "./compose.js";
import type { MultipartParser } from "./form.js";
import type { ErrorHook, Hooks } from "./hooks.js";
import { RouteArgument, type Validated, validate } from "./input.js";
import { provideInto } from "./provide.js";
import { detailReply, errorAnswer, finishReply, type Reply, valueReply } from "./reply.js";
import {
  type IncomingRequest,
  type LambdaContext,
  LambdaRequest,
  type RecordOrigin,
} from "./request.js";
import { ResponseState } from "./response.js";
import type { RouteRecord } from "./route.js";
import { createRouter, type Match, type Router } from "./router.js";
import { serializerOf } from "./serialize.js";
import { Deadline, isRouteTimeout, isThenable } from "./timeout.js";
import { describeError } from "./util/describe.js";
import { sizeIfOverLimit } from "./util/payload.js";

/** A route ready to serve: its record and the handle composed once from its chain. */
export interface ServedRoute extends RouteRecord {
  readonly handle: Handle;
}

/** An Api compiled for serving: its router, resolved options and composed handles. */
export interface Compiled {
  readonly router: Router<ServedRoute>;
  readonly basePath: string | undefined;
  /** Default route timeout in ms. */
  readonly timeoutMs: number;
  readonly marginMs: number;
  /** What an uncaught error in an HTTP event does: rethrow (Lambda reports it) or answer 500. */
  readonly uncaught: "throw" | "respond";
  readonly accessLog: AccessLog | undefined;
  /** Parses multipart bodies; undefined when the Api accepts none. */
  readonly multipart: MultipartParser | undefined;
  /** Readies the access log (loads the default Logger); undefined when there is nothing to wait for. */
  ready(): Promise<void> | undefined;
  /** The handle of a request no route took: a 404, a 405 or preflight, a bad path. */
  unmatched(match: Exclude<Match<ServedRoute>, { kind: "route" }>): Handle;
}

/** What `compileApp` needs of an Api: its routes, middleware and hooks, and the options served as they are. */
export interface AppPlan
  extends Pick<
    Compiled,
    "basePath" | "timeoutMs" | "marginMs" | "uncaught" | "accessLog" | "multipart" | "ready"
  > {
  readonly routes: readonly RouteRecord[];
  /** The middleware registered before any route: they also run when no route matched. */
  readonly global: readonly MiddlewareRecord[] | undefined;
  readonly hooks: Hooks | undefined;
}

/** The reply to one request, and the uncaught error behind it if there was one (already logged). */
export interface Outcome {
  reply: Reply;
  /** Whether an uncaught error ended the request (it is in `error`). */
  failed?: boolean;
  /** The uncaught error, for HTTP events to rethrow so Lambda reports it. */
  error?: unknown;
}

function stripBase(path: string, basePath: string | undefined): string {
  if (!basePath) return path;
  if (path === basePath) return "/";
  return path.startsWith(`${basePath}/`) ? path.slice(basePath.length) : path;
}

/**
 * Validates the input, provides resources, calls the route and makes its reply, all before the
 * request's deadline; throws what the route threw, for the catch that turns it into an answer.
 */
async function callRoute(route: RouteRecord, x: Exchange): Promise<Reply> {
  const { request, deadline, input } = x;
  if (route.validates) {
    // An async schema (a checkAsync querying a database) is bounded too: a hang answers 504.
    const validating = deadline.race(() => validate(route.input, request));
    const checked = (isThenable(validating) ? await validating : validating) as Validated;
    if (!checked.ok) {
      x.record.error_detail = checked.issues;
      return detailReply(422, checked.issues);
    }
    if ("body" in checked) input.body = checked.body;
    if ("query" in checked) input.query = checked.query;
    if ("params" in checked) input.params = checked.params;
    if ("headers" in checked) input.headers = checked.headers;
  }
  const fn = route.fn as (input: unknown) => unknown;
  // The deadline covers a first use's `provide` creation too: a hanging connect answers 504.
  const call = () => {
    const pending = route.providers.length > 0 ? provideInto(route.providers, input) : undefined;
    return pending ? pending.then(() => fn(input)) : fn(input);
  };
  // Sync values are not awaited: each `await` costs a turn of the microtask queue.
  const running = deadline.race(call);
  const value = isThenable(running) ? await running : running;
  const serialize = serializerOf(route.serializer);
  const replying = valueReply(value, route.status, x.state, serialize);
  const reply = isThenable(replying) ? await replying : replying;
  // A streamed answer's first chunk is read now, before the deadline, so an error before the
  // first byte is answered like any other; the deadline still holds for the rest.
  if (reply.stream) await reply.stream.open(deadline);
  return reply;
}

/** The default answer when no route matched: 400 for a bad path, 405 or 204 (OPTIONS), else 404. */
function unmatchedReply(match: Exclude<Match<ServedRoute>, { kind: "route" }>) {
  return (x: Exchange): Reply => {
    switch (match.kind) {
      case "bad-path":
        x.record.error_detail = "Invalid percent-encoding in path";
        return detailReply(400, "Invalid percent-encoding in path");
      case "method":
        if (x.request.method === "OPTIONS") {
          return { status: 204, headers: { allow: match.allow.join(", ") }, body: undefined };
        }
        return detailReply(405, undefined, { allow: match.allow.join(", ") });
      default:
        return detailReply(404);
    }
  };
}

/** The Api middleware every one of `routes` runs, in order: what a 405 or preflight on their path runs. */
function sharedMiddleware(routes: readonly RouteRecord[]): readonly MiddlewareRecord[] {
  let common: readonly MiddlewareRecord[] | undefined;
  for (const route of routes) {
    const all = route.use ?? [];
    let n = 0;
    while (n < all.length && all[n]!.scope === "api" && (!common || common[n] === all[n])) n++;
    common = all.slice(0, common ? Math.min(n, common.length) : n);
  }
  return common ?? [];
}

/**
 * Compiles an Api for serving: every route's chain composed once around its call (a route with
 * neither middleware nor hooks is its call alone), and the handles of unmatched requests.
 */
export function compileApp(plan: AppPlan): Compiled {
  const apiHooks: readonly ErrorHook[] = plan.hooks?.errors ?? [];
  const served = plan.routes.map((route): ServedRoute => {
    const call: Handle = (x) => callRoute(route, x);
    const hooks = route.errorHooks ? [...route.errorHooks, ...apiHooks] : apiHooks;
    const handle =
      route.use || hooks.length > 0 ? compose(planChain(route.use ?? [], hooks), call) : call;
    return Object.freeze({ ...route, handle });
  });
  const router = createRouter(served);
  const globalChain: Chain = planChain(plan.global ?? [], apiHooks);
  const handles = new Map<string, Handle>();
  const make = (
    chain: Chain,
    match: Exclude<Match<ServedRoute>, { kind: "route" }>,
    hook?: (input: never) => unknown,
  ) => {
    const inner = unmatchedHandle({ reply: unmatchedReply(match), hook });
    return chain.steps.length > 0 || chain.hooks.length > 0 ? compose(chain, inner) : inner;
  };
  const notFound = make(globalChain, { kind: "none" }, plan.hooks?.notFound);
  const badPath = make(globalChain, { kind: "bad-path" });
  return {
    router,
    basePath: plan.basePath,
    timeoutMs: plan.timeoutMs,
    marginMs: plan.marginMs,
    uncaught: plan.uncaught,
    accessLog: plan.accessLog,
    multipart: plan.multipart,
    ready: plan.ready,
    unmatched(match) {
      if (match.kind === "none") return notFound;
      if (match.kind === "bad-path") return badPath;
      // A 405 or preflight runs the Api middleware its path's routes share (cors answers it).
      const key = `${match.routes.map((r) => r.name).join("\n")}\n${match.allow.join(",")}`;
      let handle = handles.get(key);
      if (!handle) {
        const shared = sharedMiddleware(match.routes);
        const chain = shared.length > 0 ? planChain(shared, apiHooks) : globalChain;
        handle = make(chain, match, plan.hooks?.methodNotAllowed);
        handles.set(key, handle);
      }
      return handle;
    },
  };
}

/** Matches the request, makes its exchange, and runs its handle; the pipeline's one catch. */
async function serve(
  app: Compiled,
  request: LambdaRequest,
  record: LogRecord,
  context: LambdaContext | undefined,
  received: number,
): Promise<Outcome> {
  const path = stripBase(request.path, app.basePath);
  const match = app.router.match(request.method, path, request.incoming.pathDecoded);
  const route = match.kind === "route" ? match.route : undefined;
  if (route) request.params = (match as { params: Record<string, string> }).params;
  const deadline = new Deadline(route?.timeoutMs ?? app.timeoutMs, context, app.marginMs, received);
  const state = new ResponseState();
  const input = new RouteArgument(request, state, record, deadline) as unknown as Record<
    string,
    unknown
  >;
  const x: Exchange = {
    request,
    record,
    state,
    deadline,
    input,
    respond: app.uncaught === "respond",
    uncaught: undefined,
    passed: undefined,
  };
  let handle: Handle;
  if (match.kind === "route") {
    // The template groups `/items/1` and `/items/2` in Logs Insights queries (docs/logs.md).
    record.route = match.route.parsed.template;
    handle = match.route.handle;
  } else {
    handle = app.unmatched(match);
  }
  try {
    if (match.kind === "route") {
      input.route = match.route.parsed.template;
      // A multipart body is parsed now (lib/form.ts, imported on the first one), so middleware
      // and the route read it as they read any other body.
      const parsing = request.parseForm(app.multipart);
      if (parsing) await parsing;
    } else if (match.kind === "method") {
      input.allow = match.allow;
    }
    const reply = await handle(x);
    return x.uncaught ? { reply, failed: true, error: x.uncaught.error } : { reply };
  } catch (error) {
    const answer = errorAnswer(error, state);
    record.error_detail = answer.detail;
    return answer.uncaught ? { reply: answer.reply, failed: true, error } : { reply: answer.reply };
  }
}

/** The plain 500 of an uncaught error, when nothing better can be sent. */
const plain500 = (): Reply => finishReply(detailReply(500), "GET");

/**
 * Runs one HTTP request through the pipeline and writes its access-log line. An uncaught
 * error is logged at critical and returned in `error` (with a 500 reply) for the caller to
 * rethrow or answer.
 */
export async function runRequest(
  app: Compiled,
  incoming: IncomingRequest,
  event: unknown,
  context: LambdaContext | undefined,
  origin?: RecordOrigin,
): Promise<Outcome> {
  const received = performance.now();
  let request: LambdaRequest | undefined;
  let record: LogRecord = {};
  let outcome: Outcome;
  try {
    request = new LambdaRequest(incoming, event, context, origin);
    record = requestRecord(request, origin, context);
    const req = request;
    const rec = record;
    outcome = app.accessLog
      ? await recordStore().run(record, () => serve(app, req, rec, context, received))
      : await serve(app, req, rec, context, received);
    try {
      outcome.reply = finishReply(outcome.reply, request.method);
    } catch (error) {
      // A decorated 500 that cannot be sent keeps its error; a bad answer is an uncaught error.
      if (!outcome.failed) outcome = { reply: plain500(), failed: true, error };
      else outcome.reply = plain500();
      record.error_detail = describeError(outcome.error);
    }
    // Lambda rejects a result over 6 MB and the gateway shows a bare 502. A batch record's
    // reply is never returned, so only a direct HTTP answer is checked.
    const size = origin ? undefined : sizeIfOverLimit(outcome.reply);
    if (size !== undefined) {
      record.error_detail = `The response of about ${size} bytes exceeds Lambda's 6 MB response payload limit; answered 500 instead`;
      outcome = { reply: finishReply(detailReply(500), request.method) };
    }
  } catch (thrown) {
    // Only a request that could not be read gets here (the record is whatever was made).
    record.error_detail = describeError(thrown);
    outcome = { reply: plain500(), failed: true, error: thrown };
  }
  const level: AccessLevel = outcome.failed ? "critical" : levelOf(outcome.reply.status);
  const write = (at: AccessLevel, status = outcome.reply.status) => {
    if (!app.accessLog) return;
    record.status_code = status;
    record.execution_time = Math.round((performance.now() - received) * 1000) / 1000;
    app.accessLog.write(record, at, context);
  };
  // A streamed answer's line is written when its stream ends, with the bytes sent.
  const stream = outcome.reply.stream;
  if (stream) {
    stream.onEnd((end) => {
      record.bytes_sent = end.bytes;
      if (end.detail !== undefined) record.error_detail = end.detail;
      else if (end.error !== undefined) {
        record.error_detail = isRouteTimeout(end.error)
          ? end.error.message
          : describeError(end.error);
      }
      const status = end.status ?? outcome.reply.status;
      const failed = end.status !== undefined ? levelOf(end.status) : "error";
      write(end.level ?? (end.error === undefined ? level : failed), status);
    });
  } else {
    write(level);
  }
  if (request) outcome.reply.headers["x-request-id"] ??= request.id;
  return outcome;
}
