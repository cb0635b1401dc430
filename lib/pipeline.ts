// One request: match → input → call → reply → access log. Holds the pipeline's one catch.

import {
  type AccessLevel,
  type AccessLog,
  levelOf,
  type LogRecord,
  recordStore,
  errorDetailOf,
  requestRecord,
} from "./access-log.js";
import { type Host, type Made, runComposed, type Stages, unwrapFailure } from "./chain.js";
import type { Composition } from "./compose.js";
import { isHTTPException } from "./errors.js";
import { prepareBody, RouteArgument, type Validated, validate } from "./input.js";
import { isProvideError, provideInto } from "./provide.js";
import { detailReply, exceptionReply, finishReply, type Reply, valueReply } from "./reply.js";
import {
  type IncomingRequest,
  type LambdaContext,
  LambdaRequest,
  type RecordOrigin,
} from "./request.js";
import { ResponseState } from "./response.js";
import type { RouteRecord } from "./route.js";
import type { Match, Router } from "./router.js";
import { serializerOf } from "./serialize.js";
import {
  isRouteTimeout,
  isThenable,
  RouteTimeoutError,
  routeDeadline,
  SignalSlot,
  withDeadline,
} from "./timeout.js";
import { awsServerFault } from "./util/aws-fault.js";
import { oversizedBy } from "./util/payload.js";

/** An Api compiled for serving: its router and resolved options. */
export interface Compiled {
  readonly router: Router<RouteRecord>;
  readonly basePath: string | undefined;
  /** Default route timeout in ms. */
  readonly timeoutMs: number;
  readonly marginMs: number;
  /** What an uncaught error in an HTTP event does: rethrow (Lambda reports it) or answer 500. */
  readonly uncaught: "throw" | "respond";
  readonly accessLog: AccessLog | undefined;
  /** How many records of a batch run at once (FIFO queues: always one). @default Infinity */
  readonly batchConcurrency?: number;
  /** Middleware and hooks (lib/chain.ts); undefined when the Api has none: the plain path. */
  readonly composition?: Composition;
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

/** Lazily made route argument: `body` and `signal` cost nothing until read. */
function makeInput(
  _route: RouteRecord | undefined,
  request: LambdaRequest,
  state: ResponseState,
  record: LogRecord,
  slot: SignalSlot,
): Record<string, unknown> {
  return new RouteArgument(request, state, record, slot) as unknown as Record<string, unknown>;
}

async function runRoute(
  app: Compiled,
  route: RouteRecord,
  request: LambdaRequest,
  record: LogRecord,
  context: LambdaContext | undefined,
  made?: Made,
): Promise<Reply> {
  // Under middleware, the chain made the argument already (lib/chain.ts).
  const state = made ? made.state : new ResponseState();
  const slot = made ? made.slot : new SignalSlot();
  const input = made ? made.input : makeInput(route, request, state, record, slot);
  try {
    if (route.validates) {
      // An async schema (a checkAsync querying a database) is bounded too: a hang answers 504.
      const limit = routeDeadline(route.timeoutMs ?? app.timeoutMs, context, app.marginMs);
      const validating = withDeadline(() => validate(route.input, request), limit, slot);
      const checked = (isThenable(validating) ? await validating : validating) as Validated;
      if (!checked.ok) {
        record.error_detail = checked.issues;
        return detailReply(422, checked.issues);
      }
      if ("body" in checked) input.body = checked.body;
      if ("query" in checked) input.query = checked.query;
      if ("params" in checked) input.params = checked.params;
      if ("headers" in checked) input.headers = checked.headers;
    }
    const ms = routeDeadline(route.timeoutMs ?? app.timeoutMs, context, app.marginMs);
    const fn = route.fn as (input: unknown) => unknown;
    // The deadline covers a first use's `provide` creation too: a hanging connect answers 504.
    const call = () => {
      const pending = route.providers.length > 0 ? provideInto(route.providers, input) : undefined;
      return pending ? pending.then(() => fn(input)) : fn(input);
    };
    const begun = performance.now();
    // Sync values are not awaited: each `await` costs a turn of the microtask queue.
    const running = withDeadline(call, ms, slot);
    const value = isThenable(running) ? await running : running;
    const serializing = serializerOf(route.serializer);
    const serialize = isThenable(serializing) ? await serializing : serializing;
    const replying = valueReply(value, route.status, state, serialize);
    const reply = isThenable(replying) ? await replying : replying;
    // A streamed answer's first chunk is read here, under the route's deadline, so an error
    // before the first byte is answered like any other (issue 12); the deadline goes on.
    if (reply.stream) {
      const left = ms - (performance.now() - begun);
      await reply.stream.open(slot, left, () => new RouteTimeoutError(ms));
    }
    return reply;
  } catch (error) {
    const known = knownReply(error, state, record);
    if (known) return known;
    throw error;
  }
}

/** The answer to an error the pipeline expects, its `error_detail` logged; undefined for others. */
function knownReply(error: unknown, state: ResponseState, record: LogRecord): Reply | undefined {
  if (isHTTPException(error)) {
    record.error_detail = error.errorDetail ?? error.detail ?? undefined;
    return exceptionReply(error, state);
  }
  if (isRouteTimeout(error)) {
    record.error_detail = error.message;
    return detailReply(504);
  }
  if (isProvideError(error)) {
    record.error_detail = `${error.message}: ${String(errorDetailOf(error.cause))}`;
    return detailReply(503);
  }
  const fault = awsServerFault(error);
  if (fault) {
    record.error_detail = { ...fault, stack: errorDetailOf(error) };
    return detailReply(503);
  }
  return undefined;
}

async function serve(
  app: Compiled,
  request: LambdaRequest,
  record: LogRecord,
  context: LambdaContext | undefined,
): Promise<Reply> {
  const path = stripBase(request.path, app.basePath);
  const match = app.router.match(request.method, path, request.incoming.pathDecoded);
  if (match.kind === "route") {
    request.params = match.params;
    // The template groups `/items/1` and `/items/2` in Logs Insights queries (docs/logs.md).
    record.route = match.route.parsed.template;
    // A multipart body is parsed now (lib/form.ts, imported on the first one), so middleware
    // and the route read it as they read any other body.
    const preparing = prepareBody(match.route.input, request);
    if (preparing) await preparing;
  }
  // A route without middleware or hooks keeps the plain path even when other routes have some.
  const composition = app.composition;
  if (composition && (match.kind !== "route" || composition.chainOf(match.route))) {
    return runComposed(composition, match, composedHost(app, match, request, record, context));
  }
  if (match.kind === "route") return runRoute(app, match.route, request, record, context);
  return unmatchedReply(match, request, record);
}

/** A request served through middleware (lib/chain.ts), with what the stages below need. */
interface ComposedHost extends Host {
  readonly app: Compiled;
  readonly match: Match<RouteRecord>;
}

/** The pipeline's stages lent to lib/chain.ts: made once, so a request pays for no closures. */
const STAGES: Stages = {
  makeInput: (host, state, slot) =>
    makeInput(undefined, host.request as LambdaRequest, state, host.record, slot),
  runRoute(host, route, made, left) {
    const { app, request, record } = host as ComposedHost;
    return runRoute(app, route, request, record, left, made);
  },
  known: (host, error, state) => knownReply(error, state, host.record),
  unmatched: (host) => unmatchedReply((host as ComposedHost).match, host.request, host.record),
  routeFor(host, method) {
    const { app, request } = host as ComposedHost;
    const path = stripBase(request.path, app.basePath);
    const found = app.router.match(method, path, request.incoming.pathDecoded);
    return found.kind === "route" ? found.route : undefined;
  },
};

function composedHost(
  app: Compiled,
  match: Match<RouteRecord>,
  request: LambdaRequest,
  record: LogRecord,
  context: LambdaContext | undefined,
): ComposedHost {
  return {
    stages: STAGES,
    app,
    match,
    request,
    record,
    context,
    timeoutMs: app.timeoutMs,
    marginMs: app.marginMs,
    respond: app.uncaught === "respond",
  };
}

/** The answer when no route matched: 400 for a bad path, 405 or 204 (OPTIONS), else 404. */
function unmatchedReply(
  match: Match<RouteRecord>,
  request: LambdaRequest,
  record: LogRecord,
): Reply {
  switch (match.kind) {
    case "bad-path":
      record.error_detail = "Invalid percent-encoding in path";
      return detailReply(400, "Invalid percent-encoding in path");
    case "method":
      if (request.method === "OPTIONS") {
        return { status: 204, headers: { allow: match.allow.join(", ") }, body: undefined };
      }
      return detailReply(405, undefined, { allow: match.allow.join(", ") });
    default:
      return detailReply(404);
  }
}

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
  const started = app.accessLog ? performance.now() : 0;
  let request: LambdaRequest | undefined;
  let record: LogRecord = {};
  let level: AccessLevel;
  let outcome: Outcome;
  try {
    request = new LambdaRequest(incoming, event, context, origin);
    record = requestRecord(request, origin, context);
    const reply = app.accessLog
      ? await recordStore().run(record, () => serve(app, request!, record, context))
      : await serve(app, request, record, context);
    outcome = { reply: finishReply(reply, request.method) };
    // Lambda rejects a result over 6 MB and the gateway shows a bare 502 (issue 5). A batch
    // record's reply is never returned, so only a direct HTTP answer is checked.
    const size = origin ? undefined : oversizedBy(outcome.reply);
    if (size !== undefined) {
      record.error_detail = `The response of about ${size} bytes exceeds Lambda's 6 MB response payload limit; answered 500 instead`;
      outcome = { reply: finishReply(detailReply(500), request.method) };
    }
    level = levelOf(outcome.reply.status);
  } catch (thrown) {
    // With uncaughtErrors "respond", middleware already made the 500 (CORS headers…): lib/chain.ts.
    const { error, reply } = unwrapFailure(thrown);
    record.error_detail = errorDetailOf(error);
    outcome = { reply: reply ?? finishReply(detailReply(500), "GET"), failed: true, error };
    level = "critical";
  }
  const write = (at: AccessLevel, status = outcome.reply.status) => {
    if (!app.accessLog) return;
    record.status_code = status;
    record.execution_time = Math.round((performance.now() - started) * 1000) / 1000;
    app.accessLog.write(record, at, context);
  };
  // A streamed answer's line is written when its stream ends, with the bytes sent (issue 12).
  const stream = outcome.reply.stream;
  if (stream) {
    stream.onEnd((end) => {
      record.bytes_sent = end.bytes;
      if (end.detail !== undefined) record.error_detail = end.detail;
      else if (end.error !== undefined) {
        record.error_detail = isRouteTimeout(end.error)
          ? end.error.message
          : errorDetailOf(end.error);
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
