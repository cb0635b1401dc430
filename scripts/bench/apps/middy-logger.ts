// middy + http-router with an access log as a middy user writes one: Powertools Logger's injectLambdaContext and one info line a request.

import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy, { type MiddlewareObj } from "@middy/core";
import { router } from "./middy.js";

type Json = Record<string, unknown>;
interface Result {
  statusCode: number;
}

const logger = new Logger({ serviceName: "bench" });

// Each request's start, kept with middy's request object (one per invocation).
const started = new WeakMap<object, number>();

/** Times the request and writes its access line: method, path, status and execution time. */
const accessLine: MiddlewareObj<Json, Result> = {
  before(request) {
    started.set(request, performance.now());
  },
  after(request) {
    const event = request.event;
    const v2 = event.version === "2.0";
    const http = v2 ? ((event.requestContext as Json).http as Json) : undefined;
    const method = (http ? http.method : event.httpMethod) as string;
    const path = (v2 ? event.rawPath : event.path) as string;
    const elapsed = performance.now() - (started.get(request) ?? performance.now());
    logger.info("request", {
      method,
      path,
      status_code: request.response?.statusCode,
      execution_time: Math.round(elapsed * 1000) / 1000,
    });
  },
};

/** The Lambda handler: the middy app's router behind the logger's context and the access line. */
export const handler = middy<Json, Result>()
  .use(injectLambdaContext(logger) as MiddlewareObj<Json, Result>)
  .use(accessLine)
  .handler(router as unknown as (event: Json, context: unknown) => Promise<Result>);
