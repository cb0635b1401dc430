// api.handler, api.streamingHandler and api.fetch: detect the event kind, then serve one request or a batch.

import { logRejectedRecord } from "./access-log.js";
import { RecordBodyError, type RunRecord, runBatch } from "./batch/index.js";
import { UnsupportedEventError } from "./errors.js";
import { type AlbResult, albRequest, albResult } from "./events/alb.js";
import { detectEvent, type EventType } from "./events/detect.js";
import { type HttpApiResult, httpApiRequest, httpApiResult } from "./events/http-api.js";
import { type LatticeResult, latticeRequest, latticeResult } from "./events/lattice.js";
import { type RestResult, restRequest, restResult } from "./events/rest.js";
import { webRequest, webResponse } from "./events/web.js";
import { type Compiled, runRequest } from "./pipeline.js";
import { detailReply, errorAnswer, type Reply } from "./reply.js";
import type { IncomingRequest, LambdaContext } from "./request.js";
import { type StreamingHandler, sendReply, streamify } from "./response-stream.js";
import { collectReply } from "./stream.js";
import { errorReason } from "./util/describe.js";

type HttpResult = RestResult | HttpApiResult | AlbResult | LatticeResult;

/** What `api.handler` resolves to: the result shape of the event kind it answered. */
export type HandlerResult =
  | HttpResult
  | { batchItemFailures: { itemIdentifier: string }[] }
  | undefined;

/** The Lambda entry point of an Api. */
export type Handler = (event: unknown, context?: LambdaContext) => Promise<HandlerResult>;

/** The web-standard entry point of an Api: `(request) => Promise<Response>`. */
export type FetchHandler = (request: globalThis.Request) => Promise<globalThis.Response>;

type Json = Record<string, unknown>;
type BatchType = "sqs" | "sns" | "mq";
type HttpType = Exclude<EventType, BatchType>;

const isBatch = (type: EventType): type is BatchType =>
  type === "sqs" || type === "sns" || type === "mq";

/** How one HTTP event kind becomes a request, and an answer becomes its result. */
interface Adapter {
  request(event: Json): IncomingRequest;
  result(reply: Reply, incoming: IncomingRequest): HttpResult;
}

/** One adapter per HTTP event kind, keyed by what lib/events/detect.ts tells. */
const ADAPTERS: Readonly<Record<HttpType, Adapter>> = {
  rest: { request: (event) => restRequest(event, "rest"), result: restResult },
  direct: { request: (event) => restRequest(event, "direct"), result: restResult },
  "http-api": { request: (event) => httpApiRequest(event, "http-api"), result: httpApiResult },
  "function-url": {
    request: (event) => httpApiRequest(event, "function-url"),
    result: httpApiResult,
  },
  alb: { request: albRequest, result: albResult },
  "lattice-v1": { request: (event) => latticeRequest(event, "v1"), result: latticeResult },
  "lattice-v2": { request: (event) => latticeRequest(event, "v2"), result: latticeResult },
};

/** An Api's serving state, made on the first invocation of any entry point and shared by all. */
export type Start = () => Compiled | Promise<Compiled>;

/**
 * The start shared by `handler`, `streamingHandler` and `fetch`: compiles the Api and readies
 * its access log once, on first use (never at import). A failed start is tried again next time.
 */
export function lazyStart(compile: () => Compiled): Start {
  let app: Compiled | undefined;
  let starting: Promise<Compiled> | undefined;
  return () => {
    if (app) return app;
    starting ??= (async () => {
      const made = compile();
      await made.ready();
      app = made;
      return made;
    })().catch((error: unknown) => {
      starting = undefined;
      throw error;
    });
    return starting;
  };
}

/** A streamed body that failed while it was collected, before anything was sent. */
const collectFailure = (error: unknown): Reply => errorAnswer(error).reply;

/**
 * Runs one batch record's request. A record whose body is not an HTTP request is logged and
 * answered 400, never thrown, so the batch reports it failed.
 */
function recordRunner(app: Compiled, context: LambdaContext | undefined): RunRecord {
  return async (request, origin) => {
    let event: unknown;
    let incoming: IncomingRequest;
    try {
      event = request();
      const type = detectEvent(event);
      if (isBatch(type)) {
        throw new UnsupportedEventError(`it holds a batch event (${type}), not a request`);
      }
      incoming = ADAPTERS[type].request(event as Json);
    } catch (error) {
      const message = errorReason(error);
      const reason =
        error instanceof RecordBodyError
          ? message
          : `The record body is not an HTTP request: ${message}`;
      logRejectedRecord(app.accessLog, origin, reason, context);
      return { status: 400, reason };
    }
    const out = await runRequest(app, incoming, event, context, origin);
    // A record's streamed answer is read to its end: its route completes and is logged.
    if (out.reply.stream) out.reply = await collectReply(out.reply, collectFailure);
    if (!out.failed) return { status: out.reply.status };
    return {
      status: out.reply.status,
      reason: `uncaught ${errorReason(out.error, { name: true })}`,
    };
  };
}

/** Serves one HTTP event; rethrows an uncaught error unless the Api answers it 500. */
async function serveEvent(
  app: Compiled,
  adapter: Adapter,
  event: unknown,
  context?: LambdaContext,
) {
  const incoming = adapter.request(event as Json);
  const { reply, failed, error } = await runRequest(app, incoming, event, context);
  if (failed && app.uncaught === "throw") throw error;
  return { reply, incoming };
}

/** Makes `api.handler`: any supported event in, the result of its kind out. */
export function createHandler(start: Start): Handler {
  return async (event, context) => {
    const started = start();
    const app = started instanceof Promise ? await started : started;
    const type = detectEvent(event);
    if (isBatch(type)) {
      return runBatch(type, event as Json, recordRunner(app, context), {
        concurrency: app.batchConcurrency,
      });
    }
    const adapter = ADAPTERS[type];
    const { reply, incoming } = await serveEvent(app, adapter, event, context);
    // A plain result holds the whole body: a StreamingResponse is collected first.
    return adapter.result(
      reply.stream ? await collectReply(reply, collectFailure) : reply,
      incoming,
    );
  };
}

/**
 * Makes `api.streamingHandler`: the same pipeline as `handler`, its answer written to Lambda's
 * response stream as the HTTP prelude of the event kind (status, headers, and `cookies` or
 * `multiValueHeaders`), then the body chunk by chunk (lib/stream.ts). A batch event is answered
 * by `handler`, its result written as JSON without a prelude.
 */
export function createStreamingHandler(handler: Handler, start: Start): StreamingHandler {
  return streamify(async (event, responseStream, context) => {
    const started = start();
    const app = started instanceof Promise ? await started : started;
    const type = detectEvent(event);
    if (isBatch(type)) {
      const result = await handler(event, context);
      responseStream.write(JSON.stringify(result ?? null));
      await new Promise<void>((resolve) => responseStream.end(resolve));
      return;
    }
    const adapter = ADAPTERS[type];
    const { reply, incoming } = await serveEvent(app, adapter, event, context);
    // The prelude is the result of the kind without its body: the body follows as chunks.
    const {
      body: _body,
      isBase64Encoded: _encoded,
      ...prelude
    } = adapter.result({ ...reply, body: undefined }, incoming) as HttpResult & {
      body?: unknown;
      isBase64Encoded?: unknown;
    };
    await sendReply(responseStream, prelude, reply);
  });
}

/**
 * Makes `api.fetch`: a web Request through the same pipeline, without a Lambda context, its
 * answer a web Response (streamed for a StreamingResponse). A body over `maxBodyBytes` is
 * answered 413 before the pipeline, as API Gateway does before Lambda; an uncaught error is
 * answered 500 (there is no invocation to fail), after its critical log line.
 */
export function createFetch(start: Start, maxBodyBytes: number): FetchHandler {
  return async (request) => {
    const started = start();
    const app = started instanceof Promise ? await started : started;
    const incoming = await webRequest(request, maxBodyBytes);
    if (!incoming) {
      return webResponse(detailReply(413, `Request body is over ${maxBodyBytes} bytes`));
    }
    const { reply } = await runRequest(app, incoming, request, undefined);
    return webResponse(reply, request.signal);
  };
}
