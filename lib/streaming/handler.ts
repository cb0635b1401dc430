// streamingHandler(api): Lambda response streaming, the answer's prelude first, then its body chunk by chunk.

import { startOf } from "../api.js";
import type { Api } from "../api-types.js";
import { ADAPTERS, BATCH_NAMES, type HttpResult, serveEvent } from "../dispatch.js";
import { UnsupportedEventError } from "../errors.js";
import { detectEvent, isBatch } from "../events/detect.js";
import { type StreamingHandler, sendReply, streamify } from "./lambda.js";

/**
 * The Lambda handler for response streaming (Function URLs with `RESPONSE_STREAM`, API Gateway
 * REST response streaming): the same pipeline as `api.handler`, wrapped with the runtime's
 * `awslambda.streamifyResponse` when there is one. It writes the HTTP prelude of the event kind
 * (status, headers, and `cookies` or `multiValueHeaders`), then a StreamingResponse chunk by
 * chunk as its source yields them; any other answer goes in one chunk.
 * @example
 * import { streamingHandler } from "aio-lambda-api/streaming";
 * export const handler = streamingHandler(api);
 */
export function streamingHandler<Ctx extends object>(api: Api<Ctx>): StreamingHandler {
  const start = startOf(api, "streamingHandler");
  return streamify(async (event, responseStream, context) => {
    const started = start();
    const app = started instanceof Promise ? await started : started;
    const type = detectEvent(event);
    if (isBatch(type)) {
      throw new UnsupportedEventError(
        `streamingHandler serves HTTP events, and this is ${BATCH_NAMES[type]}: serve queues with batchHandler(api) from "aio-lambda-api/batch"`,
      );
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
