// One request: match → input → call → reply → access log. Holds the pipeline's one catch.

import {
  type AccessLevel,
  type AccessLog,
  levelOf,
  type LogRecord,
  recordStore,
} from "./access-log.js";
import { isHTTPException } from "./errors.js";
import { RouteArgument, type Validated, validate } from "./input.js";
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
import type { Router } from "./router.js";
import { serializerOf } from "./serialize.js";
import { isRouteTimeout, routeDeadline, SignalSlot, withDeadline } from "./timeout.js";
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
}

/** The reply to one request, and the uncaught error behind it if there was one (already logged). */
export interface Outcome {
  reply: Reply;
  /** Whether an uncaught error ended the request (it is in `error`). */
  failed?: boolean;
  /** The uncaught error, for HTTP events to rethrow so Lambda reports it. */
  error?: unknown;
}

let streamName: string | undefined | null = null;
/** AWS_LAMBDA_LOG_STREAM_NAME, read once: process.env reads are slow, and it never changes. */
function envStreamName(): string | undefined {
  if (streamName === null) streamName = process.env.AWS_LAMBDA_LOG_STREAM_NAME;
  return streamName;
}

function stripBase(path: string, basePath: string | undefined): string {
  if (!basePath) return path;
  if (path === basePath) return "/";
  return path.startsWith(`${basePath}/`) ? path.slice(basePath.length) : path;
}

function errorDetailOf(error: unknown): unknown {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  try {
    return `thrown non-Error value: ${JSON.stringify(error) ?? String(error)}`;
  } catch {
    return `thrown non-Error value: ${String(error)}`;
  }
}

/** Lazily made route argument: `body` and `signal` cost nothing until read. */
function makeInput(
  _route: RouteRecord,
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
): Promise<Reply> {
  const state = new ResponseState();
  const slot = new SignalSlot();
  const input = makeInput(route, request, state, record, slot);
  try {
    if (route.validates) {
      // An async schema (a checkAsync querying a database) is bounded too: a hang answers 504.
      const limit = routeDeadline(route.timeoutMs ?? app.timeoutMs, context, app.marginMs);
      const checked = (await withDeadline(
        () => validate(route.input, request),
        limit,
        slot,
      )) as Validated;
      if (!checked.ok) {
        record.error_detail = checked.issues;
        return detailReply(422, checked.issues);
      }
      for (const key of ["body", "query", "params", "headers"] as const) {
        if (key in checked) input[key] = checked[key];
      }
    }
    const ms = routeDeadline(route.timeoutMs ?? app.timeoutMs, context, app.marginMs);
    const fn = route.fn as (input: unknown) => unknown;
    // The deadline covers a first use's `provide` creation too: a hanging connect answers 504.
    const call = () => {
      const pending = route.providers.length > 0 ? provideInto(route.providers, input) : undefined;
      return pending ? pending.then(() => fn(input)) : fn(input);
    };
    const value = await withDeadline(call, ms, slot);
    const serialize = await serializerOf(route.serializer);
    return await valueReply(value, route.status, state, serialize);
  } catch (error) {
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
    throw error;
  }
}

async function serve(
  app: Compiled,
  request: LambdaRequest,
  record: LogRecord,
  context: LambdaContext | undefined,
): Promise<Reply> {
  const match = app.router.match(request.method, stripBase(request.path, app.basePath));
  switch (match.kind) {
    case "route":
      request.params = match.params;
      // The template groups `/items/1` and `/items/2` in Logs Insights queries (docs/logs.md).
      record.route = match.route.parsed.template;
      return runRoute(app, match.route, request, record, context);
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

function baseRecord(
  request: LambdaRequest,
  origin: RecordOrigin | undefined,
  context: LambdaContext | undefined,
): LogRecord {
  const record: LogRecord = {
    method: request.method,
    path: request.path,
    id: request.id,
    server_id: context?.logStreamName ?? envStreamName(),
    user_agent: request.headers["user-agent"],
  };
  if (origin) {
    record.event_source = origin.source;
    record.message_id = origin.messageId;
  }
  return record;
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
  const started = performance.now();
  let request: LambdaRequest | undefined;
  let record: LogRecord = {};
  let level: AccessLevel;
  let outcome: Outcome;
  try {
    request = new LambdaRequest(incoming, event, context, origin);
    record = baseRecord(request, origin, context);
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
  } catch (error) {
    record.error_detail = errorDetailOf(error);
    outcome = { reply: finishReply(detailReply(500), "GET"), failed: true, error };
    level = "critical";
  }
  if (app.accessLog) {
    record.status_code = outcome.reply.status;
    record.execution_time = Math.round((performance.now() - started) * 1000) / 1000;
    app.accessLog.write(record, level, context);
  }
  if (request) outcome.reply.headers["x-request-id"] ??= request.id;
  return outcome;
}

/**
 * Logs a batch record whose body is not an HTTP request (not JSON, or JSON of another shape):
 * one access-log line at error, `status_code` 400, the reason in `error_detail`. The record
 * counts as failed, so it is retried and then reaches the dead-letter queue, never dropped.
 */
export function logRejectedRecord(
  app: Compiled,
  origin: RecordOrigin,
  reason: string,
  context: LambdaContext | undefined,
): void {
  if (!app.accessLog) return;
  const record: LogRecord = {
    method: "-",
    path: "-",
    id: context?.awsRequestId,
    server_id: context?.logStreamName ?? envStreamName(),
    event_source: origin.source,
    message_id: origin.messageId,
    status_code: 400,
    execution_time: 0,
    error_detail: reason,
  };
  app.accessLog.write(record, "error", context);
}
