// aio-lambda-api/fetch: an Api behind the web-standard `fetch` signature (Bun, Deno, Cloudflare Workers, tests).

import { startOf } from "../api.js";
import type { Api } from "../api-types.js";
import { webRequest, webResponse } from "../events/web.js";
import { runRequest } from "../pipeline.js";
import { detailReply } from "../reply.js";
import { describeValue } from "../util/describe.js";

/** The web-standard entry point of an Api: `(request) => Promise<Response>`. */
export type FetchHandler = (request: globalThis.Request) => Promise<globalThis.Response>;

/** Options of {@link fetchHandler}. */
export interface FetchOptions {
  /**
   * The largest request body read, in bytes; a larger one is answered 413 before the pipeline,
   * as API Gateway does before Lambda.
   * @default 10485760 (10 MiB)
   */
  readonly maxBodyBytes?: number;
}

/**
 * A web Request through the same pipeline as `api.handler` (routing, validation, errors, access
 * log, without a Lambda context), answered with a web Response (streamed for a
 * StreamingResponse). An uncaught error is answered 500, after its critical log line: there is
 * no invocation to fail.
 * @throws RangeError when `maxBodyBytes` is not a whole number of bytes.
 * @example
 * import { fetchHandler } from "aio-lambda-api/fetch";
 * Bun.serve({ fetch: fetchHandler(api) });
 */
export function fetchHandler<Ctx extends object>(
  api: Api<Ctx>,
  options: FetchOptions = {},
): FetchHandler {
  const start = startOf(api, "fetchHandler");
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  if (!(Number.isInteger(maxBodyBytes) && maxBodyBytes >= 0)) {
    throw new RangeError(
      `fetchHandler: maxBodyBytes must be a whole number of bytes, got ${describeValue(maxBodyBytes)}`,
    );
  }
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
