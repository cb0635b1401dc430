// One request: match → input → call → reply → access log. Holds the pipeline's one catch.

import {
  type AccessLevel,
  type LogRecord,
  levelOf,
  recordStore,
  requestRecord,
} from "./access-log.js";
import type { Compiled } from "./app.js";
import type { Exchange, Handle } from "./compose.js";
import { RouteArgument, type Validated, validate } from "./input.js";
import { provideInto } from "./provide.js";
import { detailReply, errorAnswer, finishReply, type Reply, valueReply } from "./reply.js";
import { type LambdaContext, LambdaRequest, type RecordOrigin } from "./request.js";
import type { IncomingRequest } from "./events/incoming.js";
import { ResponseState } from "./response.js";
import type { RouteRecord } from "./route.js";
import { serializerOf } from "./serialize.js";
import { Deadline, isRouteTimeout, isThenable } from "./timeout.js";
import { describeError } from "./util/describe.js";
import { sizeIfOverLimit } from "./util/payload.js";

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
export async function callRoute(route: RouteRecord, x: Exchange): Promise<Reply> {
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
    if ("claims" in checked) (input as { claims?: unknown }).claims = checked.claims;
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
