// api.handler: detect the event kind, then serve one HTTP request; the table of event adapters the other entry points share.

import { UnsupportedEventError } from "./errors.js";
import { type AlbResult, albRequest, albResult } from "./events/alb.js";
import { type BatchKind, detectEvent, type HttpKind, isBatch } from "./events/detect.js";
import { type HttpApiResult, httpApiRequest, httpApiResult } from "./events/http-api.js";
import { type LatticeResult, latticeRequest, latticeResult } from "./events/lattice.js";
import { type RestResult, restRequest, restResult } from "./events/rest.js";
import type { Compiled } from "./app.js";
import { runRequest } from "./pipeline.js";
import { errorAnswer, type Reply } from "./reply.js";
import type { LambdaContext } from "./request.js";
import type { IncomingRequest } from "./events/incoming.js";

/** The result of an HTTP event, in the shape of its kind. */
export type HttpResult = RestResult | HttpApiResult | AlbResult | LatticeResult;

/** What `api.handler` resolves to: the result shape of the event kind it answered. */
export type HandlerResult = HttpResult;

/** The Lambda entry point of an Api for HTTP events. */
export type Handler = (event: unknown, context?: LambdaContext) => Promise<HandlerResult>;

type Json = Record<string, unknown>;

/** How one HTTP event kind becomes a request, and an answer becomes its result. */
export interface Adapter {
  request(event: Json): IncomingRequest;
  result(reply: Reply, incoming: IncomingRequest): HttpResult;
}

/** One adapter per HTTP event kind, keyed by what lib/events/detect.ts tells. */
export const ADAPTERS: Readonly<Record<HttpKind, Adapter>> = {
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

/** The answer to a streamed body that failed while it was collected, before anything was sent. */
export const collectFailure = (error: unknown): Reply => errorAnswer(error).reply;

/** Serves one HTTP event; rethrows an uncaught error unless the Api answers it 500. */
export async function serveEvent(
  app: Compiled,
  adapter: Adapter,
  event: unknown,
  context?: LambdaContext,
): Promise<{ reply: Reply; incoming: IncomingRequest }> {
  const incoming = adapter.request(event as Json);
  const { reply, failed, error } = await runRequest(app, incoming, event, context);
  if (failed && app.uncaught === "throw") throw error;
  return { reply, incoming };
}

/** What each batch kind is called in the error an HTTP handler gives it. */
export const BATCH_NAMES: Readonly<Record<BatchKind, string>> = {
  sqs: "an SQS batch",
  sns: "an SNS batch",
  mq: "an Amazon MQ batch",
};

/** Makes `api.handler`: an HTTP event in, the result of its kind out. */
export function createHandler(start: Start): Handler {
  return async (event, context) => {
    const started = start();
    const app = started instanceof Promise ? await started : started;
    const type = detectEvent(event);
    if (isBatch(type)) {
      throw new UnsupportedEventError(
        `api.handler serves HTTP events, and this is ${BATCH_NAMES[type]}: export batchHandler(api) from "aio-lambda-api/batch" as the handler of a queue's function`,
      );
    }
    const adapter = ADAPTERS[type];
    const { reply, incoming } = await serveEvent(app, adapter, event, context);
    // A plain result holds the whole body: a StreamingResponse is collected first.
    return adapter.result(
      reply.stream ? await reply.stream.collect(reply, collectFailure) : reply,
      incoming,
    );
  };
}
