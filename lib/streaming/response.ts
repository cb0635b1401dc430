// Response streaming: StreamingResponse, its chunks read under the route's deadline, and collecting them into one reply.

import { AsyncLocalStorage } from "node:async_hooks";
import type { Readable } from "node:stream";
import type { AccessLevel } from "../access-log.js";
import type { Reply } from "../reply.js";
import type { ResponseOptions } from "../response.js";
import { type Deadline, MAX_DELAY } from "../timeout.js";
import { isTextType, mediaTypeOf, strictUtf8 } from "../util/body.js";
import { kindOf } from "../util/describe.js";
import { PAYLOAD_LIMIT } from "../util/payload.js";

/** The mark of a StreamingResponse, and the method that makes its body stream. */
export const STREAMING: unique symbol = Symbol.for("aio-lambda-api.StreamingResponse") as never;

/** What a {@link StreamingResponse} reads its chunks from: strings or bytes. */
export type StreamSource =
  | AsyncIterable<string | Uint8Array>
  | Iterable<string | Uint8Array>
  | ReadableStream<string | Uint8Array>
  | Readable;

/**
 * An answer whose body is sent chunk by chunk as `source` yields it: under `streamingHandler(api)`
 * (Lambda response streaming) and `fetchHandler(api)`. Under `api.handler` the chunks are collected into
 * one ordinary result first. Status and headers leave with the first chunk; an error before it
 * is answered like any other, an error after it ends the stream and is logged (docs/sources.md).
 * @example
 * .get("/ticks", ({ signal }) => new StreamingResponse(ticks(signal), { mediaType: "text/plain" }))
 */
export class StreamingResponse {
  readonly source: StreamSource;
  status: number | undefined;
  headers: Record<string, string | readonly string[]>;
  /** @default "application/octet-stream", as Lambda's runtime */
  mediaType: string | undefined;

  constructor(source: StreamSource, options: ResponseOptions = {}) {
    this.source = source;
    this.status = options.status;
    this.headers = { ...options.headers };
    this.mediaType = options.mediaType ?? "application/octet-stream";
  }

  /**
   * The stream the pipeline reads this answer's body from. The pipeline finds it by this
   * registered symbol, so the streaming code is in a bundle only when the app makes a
   * StreamingResponse, and an answer made by another copy of the library is read too.
   */
  [STREAMING](): ReplyStream {
    return new ReplyStream(this.source);
  }
}

/** How a stream ended, for its access-log line. */
export interface StreamEnd {
  /** Body bytes handed to the client (or collected, under `api.handler`). */
  readonly bytes: number;
  /** What ended it early: the source's error, the route's timeout, or the client leaving. */
  readonly error?: unknown;
  /** Whether the client went away first. */
  readonly gone?: boolean;
  /** The status answered instead, when a collected stream failed before anything was sent. */
  readonly status?: number;
  /** The level of the line when it differs from the status's. */
  readonly level?: AccessLevel;
  /** The log's `error_detail` when it is not the error's own. */
  readonly detail?: string;
}

/** Raised into a stream, and the route's `signal`, when the client goes away. */
export class ClientGoneError extends Error {
  constructor() {
    super("The client went away before the response ended");
    this.name = "ClientGoneError";
  }
}

const encoder = new TextEncoder();

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === "string") return encoder.encode(chunk);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError(`A StreamingResponse chunk must be a string or bytes, got ${kindOf(chunk)}`);
}

function iteratorOf(source: StreamSource): AsyncIterator<unknown> {
  const iterate = (source as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator];
  if (typeof iterate === "function") return iterate.call(source);
  const sync = (source as Partial<Iterable<unknown>>)[Symbol.iterator];
  // A string or bytes would iterate characters or numbers: they are not a list of chunks.
  if (typeof sync === "function" && typeof source !== "string" && !ArrayBuffer.isView(source)) {
    const iterator = sync.call(source);
    return {
      next: async () => iterator.next(),
      return: async () => iterator.return?.() ?? { done: true, value: undefined },
    };
  }
  // A web ReadableStream of a runtime without async iteration of streams.
  const reader = (source as ReadableStream<unknown>).getReader?.();
  if (!reader) {
    throw new TypeError(
      "A StreamingResponse source must be an async iterable, an iterable of chunks, a web ReadableStream or a Node Readable",
    );
  }
  return {
    next: () => reader.read() as Promise<IteratorResult<unknown>>,
    return: async () => {
      await reader.cancel();
      return { done: true, value: undefined };
    },
  };
}

/**
 * The body of a streamed reply, read once by whoever sends it. The pipeline opens it (reads the
 * first chunk under the route's deadline); the sender reads the rest, then closes it, which
 * writes the access-log line. Reads resume in the request's async context, so `getLogger()`
 * works in the source.
 */
export class ReplyStream {
  /** Body bytes read so far. */
  bytes = 0;
  readonly #source: StreamSource;
  #iterator: AsyncIterator<unknown> | undefined;
  #first: Uint8Array | undefined;
  #done = false;
  #closed = false;
  #halted: unknown;
  #stop: ((error: unknown) => void) | undefined;
  #stopped: Promise<never> | undefined;
  #deadline: Deadline | undefined;
  #timer: NodeJS.Timeout | undefined;
  #scope: <R>(fn: () => R) => R = (fn) => fn();
  #listener: ((end: StreamEnd) => void) | undefined;
  #end: StreamEnd | undefined;

  constructor(source: StreamSource) {
    this.#source = source;
  }

  /**
   * Reads the first non-empty chunk (or the end) before the request's deadline: when it passes,
   * the route's signal is aborted and reads fail with the deadline's timeout error, now or later
   * in the stream.
   * @throws what the source throws before its first chunk, or the timeout error; the source is
   * then closed.
   */
  async open(deadline: Deadline): Promise<void> {
    this.#deadline = deadline;
    this.#scope = AsyncLocalStorage.snapshot();
    this.#stopped = this.#arm();
    this.#timer = setTimeout(
      () => this.#halt(deadline.error()),
      Math.min(deadline.left(), MAX_DELAY),
    );
    try {
      this.#iterator = iteratorOf(this.#source);
      this.#first = await this.#pull();
    } catch (error) {
      this.close({ error });
      throw error;
    }
  }

  /** The promise that fails every pending read when the stream is halted. */
  #arm(): Promise<never> {
    const stopped = new Promise<never>((_, reject) => {
      this.#stop = reject;
    });
    stopped.catch(() => {});
    return stopped;
  }

  async #pull(): Promise<Uint8Array | undefined> {
    // Read without open() (no deadline): the source is opened here.
    this.#iterator ??= iteratorOf(this.#source);
    this.#stopped ??= this.#arm();
    for (;;) {
      if (this.#halted !== undefined) throw this.#halted;
      const iterator = this.#iterator!;
      const step = await Promise.race([this.#scope(() => iterator.next()), this.#stopped!]);
      if (step.done) {
        this.#done = true;
        return undefined;
      }
      const bytes = toBytes(step.value);
      if (bytes.byteLength > 0) return bytes;
    }
  }

  /**
   * The next chunk, or undefined at the end.
   * @throws the source's error, the route's timeout error, or ClientGoneError.
   */
  async read(): Promise<Uint8Array | undefined> {
    let chunk: Uint8Array | undefined;
    if (this.#first) {
      chunk = this.#first;
      this.#first = undefined;
    } else if (this.#done || this.#closed) {
      return undefined;
    } else {
      chunk = await this.#pull();
    }
    if (chunk) this.bytes += chunk.byteLength;
    return chunk;
  }

  #halt(error: unknown): void {
    if (this.#halted !== undefined) return;
    this.#halted = error;
    this.#deadline?.abort(error);
    this.#stop?.(error);
  }

  /**
   * The client went away: aborts the route's `signal`, fails a pending read, and closes the
   * stream (its log line at warn).
   */
  leave(): void {
    if (this.#closed) return;
    this.#halt(new ClientGoneError());
    this.close({
      gone: true,
      level: "warn",
      detail: `The client went away after ${this.bytes} bytes of the response`,
    });
  }

  /**
   * Ends the stream once: clears the deadline, closes the source if it has more (a generator
   * returns, a Node stream is destroyed, a web stream cancelled) and reports how it ended.
   */
  close(end: Omit<StreamEnd, "bytes"> = {}): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    if (!this.#done) {
      // A source stuck in an await settles on its own; its close is not waited for.
      Promise.resolve()
        .then(() => this.#iterator?.return?.())
        .catch(() => {});
    }
    this.#end = { ...end, bytes: this.bytes };
    this.#listener?.(this.#end);
  }

  /**
   * Reads the stream to its end into an ordinary reply (see {@link collectReply}).
   * @param failed the answer to an error met before anything was sent
   */
  collect(reply: Reply, failed: (error: unknown) => Reply): Promise<Reply> {
    return collectReply(reply, failed);
  }

  /** Calls `listener` once when the stream is closed (at once when it already is). */
  onEnd(listener: (end: StreamEnd) => void): void {
    this.#listener = listener;
    if (this.#end) listener(this.#end);
  }
}

/**
 * Reads a streamed reply to its end into an ordinary one (for `api.handler` and batch records,
 * where nothing can be sent before the end). A failure, or a body over Lambda's 6 MB response
 * limit, becomes `failed(error)`'s answer, since nothing was sent yet.
 */
export async function collectReply(
  reply: Reply,
  failed: (error: unknown) => Reply,
): Promise<Reply> {
  const stream = reply.stream!;
  const chunks: Uint8Array[] = [];
  try {
    for (let chunk = await stream.read(); chunk; chunk = await stream.read()) {
      chunks.push(chunk);
      if (stream.bytes > PAYLOAD_LIMIT) {
        throw new RangeError(
          `The streamed response passed ${stream.bytes} bytes, over Lambda's 6 MB response payload limit; send it with streamingHandler(api) from "aio-lambda-api/streaming"`,
        );
      }
    }
  } catch (error) {
    const answer = failed(error);
    const id = reply.headers["x-request-id"];
    if (id !== undefined) answer.headers["x-request-id"] ??= id;
    stream.close({ error, status: answer.status });
    return answer;
  }
  stream.close();
  const bytes = Buffer.concat(chunks);
  const type = mediaTypeOf(headerText(reply.headers["content-type"]));
  const text = isTextType(type) ? strictUtf8(bytes) : undefined;
  const body = bytes.byteLength === 0 ? undefined : (text ?? new Uint8Array(bytes));
  return { status: reply.status, headers: reply.headers, body };
}

function headerText(value: string | string[] | undefined): string | undefined {
  return typeof value === "string" ? value : value?.[0];
}
