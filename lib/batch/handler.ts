// batchHandler(api): the Lambda handler of a queue's function, each record of an SQS, SNS or MQ batch served as a request.

import { logRejectedRecord } from "../access-log.js";
import { startOf } from "../api.js";
import type { Api } from "../api-types.js";
import { ADAPTERS, collectFailure, type HttpResult } from "../dispatch.js";
import { UnsupportedEventError } from "../errors.js";
import { type BatchKind, detectEvent, isBatch } from "../events/detect.js";
import type { Compiled } from "../app.js";
import { runRequest } from "../pipeline.js";
import type { LambdaContext } from "../request.js";
import { type IncomingRequest, requestOf } from "../events/incoming.js";
import { describeValue, errorReason } from "../util/describe.js";
import { runMq } from "./mq.js";
import {
  type BatchOptions,
  type MessageRequest,
  RecordBodyError,
  type RunRecord,
  type ToRequest,
} from "./run.js";
import { runSns } from "./sns.js";
import { runSqs, type SqsBatchResponse } from "./sqs.js";

/** The batch sources `batchHandler` serves: the event kinds that are batches of records. */
export type BatchSource = BatchKind;

/** What a batch handler resolves to: SQS's partial-failure answer, an HTTP result, or nothing. */
export type BatchHandlerResult = SqsBatchResponse | HttpResult | undefined;

/** An SQS event, as much of it as tells the kind: records with a `messageId`. */
export interface SqsEventShape {
  readonly Records: readonly { readonly messageId: string }[];
}

/** An SNS event, as much of it as tells the kind: records with an `Sns` message. */
export interface SnsEventShape {
  readonly Records: readonly { readonly Sns: object }[];
}

/**
 * The Lambda handler `batchHandler` makes. Its call signatures by event kind let it be assigned
 * to @types/aws-lambda's `SQSHandler` and `SNSHandler` (an SQS batch answers
 * `{ batchItemFailures }`, an SNS batch nothing, throwing when a record failed) without the
 * published types needing that package.
 */
export interface BatchHandler {
  (event: SqsEventShape, context?: LambdaContext): Promise<SqsBatchResponse>;
  (event: SnsEventShape, context?: LambdaContext): Promise<undefined>;
  (event: unknown, context?: LambdaContext): Promise<BatchHandlerResult>;
}

/**
 * Runs a batch event, each record through `run`; the result is what the source expects.
 * SQS resolves to `{ batchItemFailures }` naming every failed record (FIFO: the first failure
 * and every record after it). SNS and MQ resolve to `undefined` when every record succeeded.
 * @throws BatchFailureError for SNS and MQ, after every record ran, when any record failed.
 * @throws UnsupportedEventError, before any record runs, when the envelope itself is malformed
 * (an SQS record without `messageId`, an MQ event whose `eventSource` does not fit its shape).
 */
export async function runBatch(
  source: BatchSource,
  event: Record<string, unknown>,
  run: RunRecord,
  options: BatchOptions = {},
): Promise<SqsBatchResponse | undefined> {
  switch (source) {
    case "sqs":
      return runSqs(event, run, options);
    case "sns":
      await runSns(event, run, options);
      return undefined;
    default:
      await runMq(event, run, options);
      return undefined;
  }
}

const NO_MESSAGE: unique symbol = Symbol("no message");

/** The request a mapper described, as a direct invocation would carry it. */
function mappedRequest(described: unknown): IncomingRequest {
  const out = described as MessageRequest | undefined;
  if (typeof out !== "object" || out === null) {
    throw new TypeError(
      `toRequest returned ${describeValue(out)}; expected { method?, path, body? }`,
    );
  }
  if (typeof out.path !== "string" || !out.path.startsWith("/")) {
    throw new TypeError(
      `toRequest returned a path of ${describeValue(out.path)}; expected a string starting with "/"`,
    );
  }
  const [path = "/", search = ""] = out.path.split("?", 2);
  const query: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(search)) (query[name] ??= []).push(value);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(out.headers ?? {}))
    headers[name.toLowerCase()] = value;
  return requestOf({ method: out.method ?? "POST", path, headers, query, body: out.body });
}

/**
 * Runs one batch record's request. A record whose body is not an HTTP request is given to
 * `toRequest` when there is one; without it (or when it throws or returns nothing) the record is
 * logged and answered 400, never thrown, so the batch reports it
 * failed and the record is retried.
 */
function recordRunner(
  app: Compiled,
  context: LambdaContext | undefined,
  toRequest: ToRequest | undefined,
): RunRecord {
  return async (request, origin) => {
    let event: unknown;
    let incoming: IncomingRequest;
    let message: unknown = NO_MESSAGE;
    try {
      try {
        event = request();
      } catch (error) {
        if (!(toRequest && error instanceof RecordBodyError && error.text !== undefined))
          throw error;
        message = error.text;
      }
      if (message === NO_MESSAGE) {
        try {
          const type = detectEvent(event);
          if (isBatch(type)) {
            throw new UnsupportedEventError(`it holds a batch event (${type}), not a request`);
          }
          incoming = ADAPTERS[type].request(event as Record<string, unknown>);
        } catch (error) {
          if (!toRequest) throw error;
          message = event;
        }
      }
    } catch (error) {
      const message = errorReason(error);
      const reason =
        error instanceof RecordBodyError
          ? message
          : `The record body is not an HTTP request: ${message}`;
      logRejectedRecord(app.accessLog, origin, reason, context);
      return { status: 400, reason };
    }
    if (message !== NO_MESSAGE) {
      let described: unknown;
      try {
        described = await toRequest!(message, origin.record);
      } catch (error) {
        const reason = `toRequest threw ${errorReason(error, { name: true })}`;
        logRejectedRecord(app.accessLog, origin, reason, context);
        return { status: 400, reason };
      }
      try {
        incoming = mappedRequest(described);
      } catch (error) {
        const reason = errorReason(error);
        logRejectedRecord(app.accessLog, origin, reason, context);
        return { status: 400, reason };
      }
      event = described;
    }
    const out = await runRequest(app, incoming!, event, context, origin);
    // A record's streamed answer is read to its end: its route completes and is logged.
    if (out.reply.stream) out.reply = await out.reply.stream.collect(out.reply, collectFailure);
    if (!out.failed) return { status: out.reply.status };
    return {
      status: out.reply.status,
      reason: `uncaught ${errorReason(out.error, { name: true })}`,
    };
  };
}

/**
 * The handler of a function fed by SQS, SNS or Amazon MQ: every record whose body is an API
 * Gateway-format request runs through the Api as that request, and none is lost. SQS resolves to
 * `{ batchItemFailures }` naming every failed record (status >= 400, or a body that is not a
 * request; FIFO queues stop at the first failure and report the rest failed unrun); SNS and MQ
 * have no partial failures, so the invocation fails naming the failed records and Lambda retries.
 * HTTP events are served as `api.handler` serves them.
 * @example
 * import { batchHandler } from "aio-lambda-api/batch";
 * export const handler = batchHandler(api);
 */
export function batchHandler<Ctx extends object>(
  api: Api<Ctx>,
  options: BatchOptions = {},
): BatchHandler {
  const start = startOf(api, "batchHandler");
  const limit = options.concurrency;
  if (options.toRequest !== undefined && typeof options.toRequest !== "function") {
    throw new TypeError(
      `batchHandler: toRequest must be a function, got ${describeValue(options.toRequest)}`,
    );
  }
  if (limit !== undefined && !(Number.isInteger(limit) ? limit > 0 : limit === Infinity)) {
    throw new RangeError(
      `batchHandler: concurrency must be a positive integer or Infinity, got ${describeValue(limit)}`,
    );
  }
  const handler = async (event: unknown, context?: LambdaContext): Promise<BatchHandlerResult> => {
    const type = detectEvent(event);
    if (!isBatch(type)) return api.handler(event, context);
    const started = start();
    const app = started instanceof Promise ? await started : started;
    return runBatch(
      type,
      event as Record<string, unknown>,
      recordRunner(app, context, options.toRequest),
      options,
    );
  };
  // The kind-specific signatures hold: an SQS batch resolves to its failures, an SNS batch to
  // nothing (runBatch throws when one of its records failed).
  return handler as BatchHandler;
}
