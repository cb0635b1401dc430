// api.handler: detect the event kind, then serve one HTTP request or a batch of them.

import { RecordBodyError, type RunRecord, runBatch } from "./batch/index.js";
import { isHTTPException, UnsupportedEventError } from "./errors.js";
import { type AlbResult, albRequest, albResult } from "./events/alb.js";
import { detectEvent, type EventType } from "./events/detect.js";
import { type HttpApiResult, httpApiRequest, httpApiResult } from "./events/http-api.js";
import { type LatticeResult, latticeRequest, latticeResult } from "./events/lattice.js";
import { type RestResult, restRequest, restResult } from "./events/rest.js";
import { webRequest, webResponse } from "./events/web.js";
import { logRejectedRecord } from "./access-log.js";
import { type Compiled, runRequest } from "./pipeline.js";
import { detailReply, exceptionReply, type Reply } from "./reply.js";
import type { IncomingRequest, LambdaContext } from "./request.js";
import { type StreamingHandler, sendReply, streamify } from "./response-stream.js";
import { collectReply } from "./stream.js";
import { isRouteTimeout } from "./timeout.js";

/** What `api.handler` resolves to: the result shape of the event kind it answered. */
export type HandlerResult =
  | RestResult
  | HttpApiResult
  | AlbResult
  | LatticeResult
  | { batchItemFailures: { itemIdentifier: string }[] }
  | undefined;

/** The Lambda entry point of an Api. */
export type Handler = (event: unknown, context?: LambdaContext) => Promise<HandlerResult>;

type Json = Record<string, unknown>;
type HttpType = Exclude<EventType, "sqs" | "sns" | "mq">;

function toIncoming(type: HttpType, event: Json): IncomingRequest {
  switch (type) {
    case "rest":
    case "direct":
      return restRequest(event, type);
    case "http-api":
    case "function-url":
      return httpApiRequest(event, type);
    case "alb":
      return albRequest(event);
    case "lattice-v1":
      return latticeRequest(event, "v1");
    case "lattice-v2":
      return latticeRequest(event, "v2");
  }
}

function toResult(
  type: HttpType,
  reply: Reply,
  incoming: IncomingRequest,
): Exclude<HandlerResult, undefined> {
  switch (type) {
    case "http-api":
    case "function-url":
      return httpApiResult(reply);
    case "alb":
      return albResult(reply, incoming);
    case "lattice-v1":
    case "lattice-v2":
      return latticeResult(reply);
    default:
      return restResult(reply);
  }
}

/**
 * Makes the handler of an Api. `compile` runs on the first invocation (not at import), and
 * its result is reused by every later invocation of this execution environment.
 */
export function createHandler(
  compile: () => Compiled,
  ready: () => Promise<void> | undefined,
): Handler {
  let app: Compiled | undefined;
  let warm: Promise<void> | undefined;

  // A record whose body is not an HTTP request is logged and answered 400, never thrown:
  // the batch reports it failed (issue 5).
  const runRecord =
    (context: LambdaContext | undefined): RunRecord =>
    async (request, origin) => {
      let requestEvent: unknown;
      let incoming: IncomingRequest;
      try {
        requestEvent = request();
        const type = detectEvent(requestEvent);
        if (type === "sqs" || type === "sns" || type === "mq") {
          throw new UnsupportedEventError(`it holds a batch event (${type}), not a request`);
        }
        incoming = toIncoming(type, requestEvent as Json);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const reason =
          error instanceof RecordBodyError
            ? message
            : `The record body is not an HTTP request: ${message}`;
        logRejectedRecord(app!.accessLog, origin, reason, context);
        return { status: 400, reason };
      }
      const out = await runRequest(app!, incoming, requestEvent, context, origin);
      // A record's streamed answer is read to its end: its route completes and is logged.
      if (out.reply.stream) out.reply = await collectReply(out.reply, streamFailure);
      if (!out.failed) return { status: out.reply.status };
      const error = out.error;
      const what = error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
      return { status: out.reply.status, reason: `uncaught ${what.slice(0, 160)}` };
    };

  return async (event, context) => {
    app ??= compile();
    warm ??= ready() ?? Promise.resolve();
    await warm;
    const type = detectEvent(event);
    if (type === "sqs" || type === "sns" || type === "mq") {
      return runBatch(type, event as Json, runRecord(context), {
        concurrency: app.batchConcurrency,
      });
    }
    const incoming = toIncoming(type, event as Json);
    const { reply, failed, error } = await runRequest(app, incoming, event, context);
    if (failed && app.uncaught === "throw") throw error;
    // A plain result holds the whole body: a StreamingResponse is collected first (issue 12).
    return toResult(
      type,
      reply.stream ? await collectReply(reply, streamFailure) : reply,
      incoming,
    );
  };
}

/** The answer for a streamed body that failed while being collected, before anything was sent. */
function streamFailure(error: unknown): Reply {
  if (isHTTPException(error)) return exceptionReply(error);
  return detailReply(isRouteTimeout(error) ? 504 : 500);
}

/**
 * Makes `api.streamingHandler`: the same pipeline as `handler`, its answer written to Lambda's
 * response stream as the HTTP prelude of the event kind (status, headers, and `cookies` or
 * `multiValueHeaders`), then the body chunk by chunk (lib/stream.ts). A batch event is answered
 * by `handler`, its result written as JSON without a prelude.
 */
export function createStreamingHandler(
  handler: Handler,
  compile: () => Compiled,
  ready: () => Promise<void> | undefined,
): StreamingHandler {
  let app: Compiled | undefined;
  let warm: Promise<void> | undefined;
  return streamify(async (event, responseStream, context) => {
    app ??= compile();
    warm ??= ready() ?? Promise.resolve();
    await warm;
    const type = detectEvent(event);
    if (type === "sqs" || type === "sns" || type === "mq") {
      const result = await handler(event, context);
      responseStream.write(JSON.stringify(result ?? null));
      await new Promise<void>((resolve) => responseStream.end(resolve));
      return;
    }
    const incoming = toIncoming(type, event as Json);
    const { reply, failed, error } = await runRequest(app, incoming, event, context);
    if (failed && app.uncaught === "throw") throw error;
    const shaped: Record<string, unknown> = {
      ...toResult(type, { ...reply, body: undefined }, incoming),
    };
    delete shaped.body;
    delete shaped.isBase64Encoded;
    await sendReply(responseStream, shaped, reply);
  });
}

/** The web-standard entry point of an Api: `(request) => Promise<Response>`. */
export type FetchHandler = (request: globalThis.Request) => Promise<globalThis.Response>;

/**
 * Makes `api.fetch`: a web Request through the same pipeline, without a Lambda context, its
 * answer a web Response (streamed for a StreamingResponse). A body over `maxBodyBytes` is
 * answered 413 before the pipeline, as API Gateway does before Lambda; an uncaught error is
 * answered 500 (there is no invocation to fail), after its critical log line.
 */
export function createFetch(
  compile: () => Compiled,
  ready: () => Promise<void> | undefined,
  maxBodyBytes: number,
): FetchHandler {
  let app: Compiled | undefined;
  let warm: Promise<void> | undefined;
  return async (request) => {
    app ??= compile();
    warm ??= ready() ?? Promise.resolve();
    await warm;
    const incoming = await webRequest(request, maxBodyBytes);
    if (!incoming) {
      return webResponse(detailReply(413, `Request body is over ${maxBodyBytes} bytes`));
    }
    const { reply } = await runRequest(app, incoming, request, undefined);
    return webResponse(reply, request.signal);
  };
}
