// The dev server's response streaming: a streaming handler's response stream sent as chunked HTTP, and its failures as Lambda has them.

import type { ServerResponse } from "node:http";
import { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { DELIMITER_LENGTH, PRELUDE_TYPE } from "./dev-handler.js";
import type { EventFormat } from "../events/synthetic.js";
import { MalformedResultError } from "../events/synthetic-result.js";
import type { HttpAnswer } from "./dev-result.js";
import { errorText, INTERNAL_SERVER_ERROR, sendAnswer, toHttpAnswer } from "./dev-result.js";

const DELIMITER = Buffer.alloc(DELIMITER_LENGTH);

/** The prelude's status, headers and cookies as the HTTP head a Function URL or REST API sends. */
function preludeAnswer(bytes: Buffer, format: EventFormat): HttpAnswer {
  let prelude: unknown;
  try {
    prelude = JSON.parse(bytes.toString("utf8"));
  } catch {
    const text = bytes.toString("utf8");
    throw new MalformedResultError(
      `the response stream's prelude must be JSON, got ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)}`,
    );
  }
  if (typeof prelude !== "object" || prelude === null || Array.isArray(prelude)) {
    throw new MalformedResultError(
      `the response stream's prelude must be an object, got ${JSON.stringify(prelude)}`,
    );
  }
  const { body: _body, isBase64Encoded: _base64, ...head } = prelude as Record<string, unknown>;
  return toHttpAnswer({ statusCode: 200, ...head }, format);
}

/**
 * The response stream a streaming handler gets under `dev`: a Node Writable, as the runtime's is,
 * with `setContentType`. After `awslambda.HttpResponseStream.from` (the prelude content type),
 * the JSON before the 8 NUL bytes gives the status, headers and cookies, sent as soon as it is
 * complete; otherwise the answer is a 200 of the stream's content type. Each write of the body
 * then goes to the client as one chunk of a chunked response, its callback called once the
 * chunk is handed to the socket, so the handler writes at the pace the client reads.
 */
export class DevResponseStream extends Writable {
  readonly #response: ServerResponse;
  readonly #format: EventFormat;
  #contentType = "application/octet-stream";
  #written = false;
  #prelude: Buffer | undefined;
  #status: number | undefined;

  constructor(response: ServerResponse, format: EventFormat) {
    super();
    this.#response = response;
    this.#format = format;
  }

  /** The status sent to the client; undefined until the head is sent. */
  get status(): number | undefined {
    return this.#status;
  }

  /**
   * Sets the content type, before the first write (the runtime's rule).
   * @default "application/octet-stream"
   * @throws Error after the first write.
   */
  setContentType(type: string): void {
    if (this.#written) throw new Error("Cannot set content-type, too late.");
    this.#contentType = type;
  }

  #head(answer: Omit<HttpAnswer, "body">): void {
    const flat = answer.headers.flat();
    if (answer.statusMessage === undefined) this.#response.writeHead(answer.status, flat);
    else this.#response.writeHead(answer.status, answer.statusMessage, flat);
    // The status and headers leave now, before the body: an SSE client sees its 200 at once.
    this.#response.flushHeaders();
    this.#status = answer.status;
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.#written = true;
    let body = chunk;
    if (this.#status === undefined) {
      if (this.#contentType === PRELUDE_TYPE) {
        const bytes = this.#prelude ? Buffer.concat([this.#prelude, chunk]) : chunk;
        // JSON never holds a NUL byte: the first one starts the delimiter.
        const at = bytes.indexOf(DELIMITER);
        if (at === -1) {
          this.#prelude = bytes;
          callback();
          return;
        }
        this.#prelude = undefined;
        try {
          this.#head(preludeAnswer(bytes.subarray(0, at), this.#format));
        } catch (error) {
          callback(error as Error);
          return;
        }
        body = bytes.subarray(at + DELIMITER.byteLength);
      } else {
        this.#head({ status: 200, headers: [["content-type", this.#contentType]] });
      }
    }
    if (body.byteLength === 0) callback();
    else this.#response.write(body, (error) => callback(error ?? null));
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.#status === undefined) {
      if (this.#contentType === PRELUDE_TYPE) {
        callback(
          new MalformedResultError(
            "the response stream ended before its prelude's 8 NUL bytes; expected the JSON prelude, the 8 NUL bytes, then the body",
          ),
        );
        return;
      }
      this.#head({ status: 200, headers: [["content-type", this.#contentType]] });
    }
    this.#response.end(() => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Stopped before its end: the client gets what was written so far, then the connection
    // closes without the last chunk, as when Lambda cuts a stream.
    if (this.#status !== undefined && !this.#response.writableEnded) {
      const socket = this.#response.socket;
      if (socket) socket.end();
      else this.#response.destroy();
    }
    callback(error);
  }
}

/** How a streamed invocation ended. */
export interface StreamOutcome {
  /** The status sent to the client; undefined when nothing was sent yet. */
  readonly status: number | undefined;
  /** What failed the invocation, as Lambda would report it. */
  readonly error?: unknown;
  /** The handler was still running at the function timeout. */
  readonly timedOut?: boolean;
  /** The client went away before the end. */
  readonly gone?: boolean;
  /** The response ended before its end (an error or the timeout after the head was sent). */
  readonly cut?: boolean;
}

/**
 * Calls a streaming handler as Lambda's runtime does: `handler(event, responseStream, context)`,
 * which must return a promise and end the stream before it settles. Resolves when the stream
 * has ended, failed, timed out, or the client went away. A failure after the head was sent
 * cuts the response short; before it, nothing is sent and the caller answers.
 */
export async function invokeStreaming(
  handler: (event: unknown, stream: DevResponseStream, context: unknown) => unknown,
  event: unknown,
  context: unknown,
  response: ServerResponse,
  options: { readonly format: EventFormat; readonly timeoutMs: number },
): Promise<StreamOutcome> {
  const stream = new DevResponseStream(response, options.format);
  // A handler need not listen for errors: the outcome reports them.
  stream.on("error", () => {});
  let gone = false;
  let onGone: () => void = () => {};
  const left = new Promise<"gone">((resolve) => {
    onGone = () => {
      if (response.writableFinished || stream.destroyed) return;
      gone = true;
      // The runtime's stream closes: the handler sees it and stops.
      stream.destroy();
      resolve("gone");
    };
  });
  response.on("close", onGone);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), options.timeoutMs);
  });
  const run = async (): Promise<"done"> => {
    const returned = handler(event, stream, context);
    if (typeof (returned as Promise<unknown> | undefined)?.then !== "function")
      throw new Error("Streaming does not support non-async handlers.");
    await returned;
    if (stream.errored) throw stream.errored;
    if (!stream.writableEnded && !gone) throw new Error("Response stream is not finished.");
    if (!gone) await finished(stream);
    return "done";
  };
  const cut = () => stream.status !== undefined && !response.writableFinished;
  try {
    const outcome = await Promise.race([run(), timedOut, left]);
    if (outcome === "timeout") {
      const wasCut = cut();
      stream.destroy();
      return { status: stream.status, timedOut: true, cut: wasCut };
    }
    return { status: stream.status, ...(outcome === "gone" || gone ? { gone: true } : {}) };
  } catch (error) {
    if (gone) return { status: stream.status, gone: true };
    const wasCut = cut();
    stream.destroy();
    return { status: stream.status, error, cut: wasCut };
  } finally {
    clearTimeout(timer);
    response.off("close", onGone);
  }
}

/** Options of {@link serveStreaming}. */
export interface ServeStreamingOptions {
  readonly format: EventFormat;
  /** The function timeout, in ms. */
  readonly timeoutMs: number;
  /** Where errors and timeouts are printed. */
  readonly log: (text: string) => void;
  /** `GET /path?query`, for the printed lines. */
  readonly label: string;
}

/**
 * Serves one request with a streaming handler and prints what Lambda would report (`Invoke
 * Error`, `Task timed out`). Answers 502 when nothing was sent yet, or when the event format's
 * front door (ALB, VPC Lattice) cannot use a streamed response. Resolves to the status sent,
 * if any, and a note for the request line when the stream did not end normally.
 */
export async function serveStreaming(
  handler: (event: unknown, context: unknown) => unknown,
  event: unknown,
  context: { readonly awsRequestId: string },
  response: ServerResponse,
  options: ServeStreamingOptions,
): Promise<{ status: number | undefined; note?: string }> {
  const { format, log, label } = options;
  if (format === "alb" || format === "lattice") {
    // Lambda would answer with the stream's raw bytes, which neither can read: a 502.
    log(
      `Cannot serve ${label}: the handler streams its response, and ${format === "alb" ? "an ALB" : "VPC Lattice"} cannot use a streamed response; expected --event-format v2 (a Function URL) or v1 (a REST API), or a handler made with api.handler\n`,
    );
    sendAnswer(response, INTERNAL_SERVER_ERROR);
    return { status: INTERNAL_SERVER_ERROR.status };
  }
  const outcome = await invokeStreaming(
    handler as (event: unknown, stream: DevResponseStream, context: unknown) => unknown,
    event,
    context,
    response,
    options,
  );
  if (outcome.timedOut) {
    const seconds = (options.timeoutMs / 1000).toFixed(2);
    log(`${context.awsRequestId} Task timed out after ${seconds} seconds (${label})\n`);
  } else if ("error" in outcome) {
    log(`${context.awsRequestId} Invoke Error (${label}): ${errorText(outcome.error)}\n`);
  }
  if (outcome.gone) return { status: outcome.status, note: "the client went away" };
  if (outcome.status === undefined) {
    // Nothing was sent yet: the function failed as a whole, and the gateway answers 502.
    sendAnswer(response, INTERNAL_SERVER_ERROR);
    return { status: INTERNAL_SERVER_ERROR.status };
  }
  return outcome.cut ? { status: outcome.status, note: "cut short" } : { status: outcome.status };
}
