// The floor of the access log: the bare handler plus one Powertools Logger line a request, shaped like ours.

import { Logger } from "@aws-lambda-powertools/logger";
import { handler as bare } from "./bare.js";

type Json = Record<string, unknown>;
type Context = Extract<Parameters<Logger["addContext"]>[0], { logStreamName: string }>;

const logger = new Logger({ serviceName: "bench" });
let lastContext: Context | undefined;

/** The bare handler's answers, and the line aio-lambda-api's access log writes for each. */
export async function handler(event: Json, context: Context) {
  const started = performance.now();
  const result = await bare(event);
  // Each invocation's context is new: its request id goes into the line, as ours does.
  if (context !== lastContext) {
    lastContext = context;
    logger.addContext(context);
  }
  const v2 = event.version === "2.0";
  const http = v2 ? ((event.requestContext as Json).http as Json) : undefined;
  const method = (http ? http.method : event.httpMethod) as string;
  const path = (v2 ? event.rawPath : event.path) as string;
  const headers = event.headers as Record<string, string> | undefined;
  logger.info(`${method} ${path} ${result.statusCode}`, {
    method,
    path,
    id: context.awsRequestId,
    server_id: context.logStreamName,
    user_agent: headers?.["user-agent"] ?? headers?.["User-Agent"],
    route: path.startsWith("/items/") ? "/items/{id}" : path,
    status_code: result.statusCode,
    execution_time: Math.round((performance.now() - started) * 1000) / 1000,
  });
  return result;
}
