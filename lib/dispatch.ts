// api.handler: detect the event kind, then serve one HTTP request or a batch of them.

import { runBatch } from "./batch/index.js";
import { UnsupportedEventError } from "./errors.js";
import { type AlbResult, albRequest, albResult } from "./events/alb.js";
import { detectEvent, type EventType } from "./events/detect.js";
import { type HttpApiResult, httpApiRequest, httpApiResult } from "./events/http-api.js";
import { type RestResult, restRequest, restResult } from "./events/rest.js";
import { type Compiled, runRequest } from "./pipeline.js";
import type { Reply } from "./reply.js";
import type { IncomingRequest, LambdaContext, RecordOrigin } from "./request.js";

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

  const runRecord =
    (context: LambdaContext | undefined) =>
    async (requestEvent: unknown, origin: RecordOrigin): Promise<Reply> => {
      const type = detectEvent(requestEvent);
      if (type === "sqs" || type === "sns" || type === "mq") {
        throw new UnsupportedEventError("a batch record holds another batch, not an HTTP request");
      }
      const incoming = toIncoming(type, requestEvent as Json);
      return (await runRequest(app!, incoming, requestEvent, context, origin)).reply;
    };

  return async (event, context) => {
    app ??= compile();
    warm ??= ready() ?? Promise.resolve();
    await warm;
    const type = detectEvent(event);
    if (type === "sqs" || type === "sns" || type === "mq") {
      return (await runBatch(type, event as Json, runRecord(context))) as HandlerResult;
    }
    const incoming = toIncoming(type, event as Json);
    const { reply, failed, error } = await runRequest(app, incoming, event, context);
    if (failed && app.uncaught === "throw") throw error;
    return toResult(type, reply, incoming);
  };
}
