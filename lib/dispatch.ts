// api.handler: detect the event kind, then serve one HTTP request or a batch of them.

import { RecordBodyError, type RunRecord, runBatch } from "./batch/index.js";
import { UnsupportedEventError } from "./errors.js";
import { type AlbResult, albRequest, albResult } from "./events/alb.js";
import { detectEvent, type EventType } from "./events/detect.js";
import { type HttpApiResult, httpApiRequest, httpApiResult } from "./events/http-api.js";
import { type RestResult, restRequest, restResult } from "./events/rest.js";
import { type Compiled, logRejectedRecord, runRequest } from "./pipeline.js";
import type { Reply } from "./reply.js";
import type { IncomingRequest, LambdaContext } from "./request.js";

/** What `api.handler` resolves to: the result shape of the event kind it answered. */
export type HandlerResult =
  | RestResult
  | HttpApiResult
  | AlbResult
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
    default:
      throw new UnsupportedEventError(
        `aio-lambda-api cannot handle VPC Lattice events yet (${type})`,
      );
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
        logRejectedRecord(app!, origin, reason, context);
        return { status: 400, reason };
      }
      const out = await runRequest(app!, incoming, requestEvent, context, origin);
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
    return toResult(type, reply, incoming);
  };
}
