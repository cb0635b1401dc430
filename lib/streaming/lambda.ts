// Lambda's response stream: the streaming handler's wrapper, the HTTP prelude, and a reply written with backpressure.

import type { Reply } from "../reply.js";
import type { LambdaContext } from "../request.js";

const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();

/** The writable stream Lambda's runtime passes to a streaming handler (a Node Writable will do). */
export interface ResponseStream {
  write(chunk: Uint8Array | string, callback?: (error?: Error | null) => void): boolean;
  end(callback?: () => void): unknown;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off?(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener?(event: string, listener: (...args: unknown[]) => void): unknown;
  setContentType?(type: string): void;
  readonly writableEnded?: boolean;
  readonly destroyed?: boolean;
}

/** A Lambda streaming handler: `(event, responseStream, context)`. */
export type StreamingHandler = (
  event: unknown,
  responseStream: ResponseStream,
  context?: LambdaContext,
) => Promise<void>;

/** The `awslambda` global of Lambda's Node.js runtime (and aws-lambda-ric). */
interface AwsLambdaGlobal {
  streamifyResponse?: (handler: StreamingHandler) => StreamingHandler;
  HttpResponseStream?: { from(stream: ResponseStream, prelude: object): ResponseStream };
}

const runtime = (): AwsLambdaGlobal | undefined =>
  // @types/aws-lambda, when a program has it, declares this global with types of its own.
  (globalThis as unknown as { awslambda?: AwsLambdaGlobal }).awslambda;

/** The content type that tells Function URLs and API Gateway a prelude comes first. */
export const PRELUDE_CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";

/** The mark the runtime's `streamifyResponse` sets, and reads to call a handler as streaming. */
const STREAMING_MARK = Symbol.for("aws.lambda.runtime.handler.streaming");

/**
 * Marks a handler for response streaming with the runtime's `awslambda.streamifyResponse`
 * when the runtime provides it (Lambda's Node.js runtimes and aws-lambda-ric do); elsewhere it
 * stays a plain `(event, responseStream, context)` function, carrying the same mark, so a
 * runtime without the global (`AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA`) and `dev` stream it too.
 */
export function streamify(handler: StreamingHandler): StreamingHandler {
  const wrap = runtime()?.streamifyResponse;
  if (typeof wrap === "function") return wrap(handler);
  (handler as StreamingHandler & Record<symbol, unknown>)[STREAMING_MARK] = "response";
  return handler;
}

/**
 * The stream that writes `prelude` (status, headers, cookies) before the body: the runtime's
 * `awslambda.HttpResponseStream.from`, or the same bytes written here (the prelude as JSON, then
 * 8 NUL bytes) where the runtime is absent.
 */
function withPrelude(target: ResponseStream, prelude: object): ResponseStream {
  const from = runtime()?.HttpResponseStream?.from;
  if (typeof from === "function") return from(target, prelude);
  target.setContentType?.(PRELUDE_CONTENT_TYPE);
  target.write(JSON.stringify(prelude));
  target.write(new Uint8Array(8));
  return target;
}

/** Resolves once `target` can take more, or has closed or failed. */
function settled(target: ResponseStream, events: readonly string[]): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const event of events) (target.off ?? target.removeListener)?.call(target, event, done);
      resolve();
    };
    for (const event of events) target.on(event, done);
  });
}

/**
 * Writes a reply to Lambda's response stream: the prelude, then the body (a non-streamed
 * reply's in one chunk), then ends it, respecting backpressure. A stream's error after its
 * first chunk ends the response early and is reported to its log line; the client going away
 * (the stream closing or failing first) aborts the route's `signal`.
 */
export async function sendReply(
  target: ResponseStream,
  prelude: object,
  reply: Reply,
): Promise<void> {
  const stream = reply.stream;
  let out: ResponseStream;
  try {
    out = withPrelude(target, prelude);
  } catch (error) {
    stream?.close({ error });
    throw error;
  }
  let finished = false;
  let gone = false;
  const leave = () => {
    if (finished || gone) return;
    gone = true;
    stream?.leave();
  };
  target.on("error", leave);
  target.on("close", leave);
  let error: unknown;
  try {
    // An empty first write sends the prelude even when no body follows.
    out.write(EMPTY);
    if (!stream) {
      const body = reply.body;
      if (body !== undefined) out.write(typeof body === "string" ? encoder.encode(body) : body);
    } else {
      for (let chunk = await stream.read(); chunk && !gone; chunk = await stream.read()) {
        if (!out.write(chunk) && !gone) await settled(target, ["drain", "close", "error"]);
      }
    }
  } catch (caught) {
    error = caught;
  }
  finished = true;
  if (!gone && !target.destroyed) {
    const ended = settled(target, ["finish", "close", "error"]);
    out.end();
    await ended;
  }
  stream?.close({ error });
}
