// Any outcome of a request (value, null, Response, web Response, thrown error) → one Reply.

import { type HTTPException, isHTTPException } from "./errors.js";
import { isProvideError } from "./provide.js";
import { type HeaderValues, isResponse, type ResponseState } from "./response.js";
import type {
  ReplyStream,
  STREAMING as StreamingKey,
  StreamingResponse,
} from "./streaming/response.js";
import { isRouteTimeout } from "./timeout.js";
import { awsServerFault } from "./util/aws-fault.js";
import { isTextType, mediaTypeOf, strictUtf8 } from "./util/body.js";
import { describeError, describeValue, quote } from "./util/describe.js";
import { isStatus, reasonPhrase } from "./util/status.js";

/** The answer to one request, before it is shaped for its event kind. */
export interface Reply {
  status: number;
  /** Lowercase names; `set-cookie` and other repeated headers as arrays. */
  headers: Record<string, string | string[]>;
  /** A string travels as text; bytes travel base64-encoded. */
  body: string | Uint8Array | undefined;
  /** A StreamingResponse's body (then `body` is undefined): sent chunk by chunk (lib/streaming/response.ts). */
  stream?: ReplyStream;
}

/** Turns a value into JSON text; a route's compiled serializer or `JSON.stringify`. */
export type Serialize = (value: unknown) => string;

const JSON_TYPE = "application/json";

/**
 * The mark of a StreamingResponse (aio-lambda-api/streaming), which makes its own body stream:
 * read by symbol, so an app that never streams carries none of that code.
 */
const STREAMING: typeof StreamingKey = Symbol.for("aio-lambda-api.StreamingResponse") as never;

/** Adds headers to a reply's map, lowercasing names; `set-cookie` values accumulate. */
export function addHeaders(target: Reply["headers"], source: HeaderValues | undefined): void {
  if (!source) return;
  for (const name in source) {
    const value = source[name];
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower === "set-cookie") {
      const list = (target["set-cookie"] ??= []) as string[];
      if (typeof value === "string") list.push(value);
      else list.push(...value);
    } else {
      target[lower] = typeof value === "string" ? value : [...value];
    }
  }
}

function withState(state: ResponseState | undefined): Reply["headers"] {
  const headers: Reply["headers"] = {};
  if (state) {
    addHeaders(headers, state.headers);
    if (state.cookies.length > 0) headers["set-cookie"] = [...state.cookies];
  }
  return headers;
}

/** An answer with a status and `{"detail": detail}` (the reason phrase when no detail). */
export function detailReply(status: number, detail?: unknown, headers?: HeaderValues): Reply {
  const reply: Reply = {
    status,
    headers: { "content-type": JSON_TYPE },
    body: JSON.stringify({ detail: detail ?? reasonPhrase(status) }),
  };
  addHeaders(reply.headers, headers);
  return reply;
}

/** The answer for an {@link HTTPException}, with the route's `response` headers kept. */
export function exceptionReply(error: HTTPException, state?: ResponseState): Reply {
  const reply = detailReply(error.status, error.detail, error.headers);
  // Object.assign, not a spread: a header added to a spread copy later (x-request-id) is slow.
  if (state) reply.headers = Object.assign(withState(state), reply.headers);
  return reply;
}

/** What an error thrown while a request was served becomes. */
export interface ErrorAnswer {
  readonly reply: Reply;
  /** The access log's `error_detail`. */
  readonly detail: unknown;
  /** An error the pipeline does not know: logged at critical, then rethrown or answered 500. */
  readonly uncaught: boolean;
}

/**
 * The one place a thrown error becomes an answer: an HTTPException its own, a timeout 504, a
 * provided resource that cannot be created or an AWS server fault 503 (the client may retry),
 * anything else an uncaught 500.
 * @param state the route's response state: headers and cookies set before an HTTPException stay
 */
export function errorAnswer(error: unknown, state?: ResponseState): ErrorAnswer {
  if (isHTTPException(error)) {
    const detail = error.errorDetail ?? error.detail ?? undefined;
    return { reply: exceptionReply(error, state), detail, uncaught: false };
  }
  if (isRouteTimeout(error)) {
    return { reply: detailReply(504), detail: error.message, uncaught: false };
  }
  if (isProvideError(error)) {
    const detail = `${error.message}: ${describeError(error.cause)}`;
    return { reply: detailReply(503), detail, uncaught: false };
  }
  const fault = awsServerFault(error);
  if (fault) {
    const detail = { ...fault, stack: describeError(error) };
    return { reply: detailReply(503), detail, uncaught: false };
  }
  return { reply: detailReply(500), detail: describeError(error), uncaught: true };
}

async function webReply(
  value: globalThis.Response,
  state: ResponseState | undefined,
): Promise<Reply> {
  const headers = withState(state);
  for (const [name, content] of value.headers) {
    if (name !== "set-cookie") headers[name] = content;
  }
  const cookies = value.headers.getSetCookie();
  if (cookies.length > 0) ((headers["set-cookie"] ??= []) as string[]).push(...cookies);
  const bytes = new Uint8Array(await value.arrayBuffer());
  const type = mediaTypeOf(value.headers.get("content-type") ?? undefined);
  const text = isTextType(type) ? strictUtf8(bytes) : undefined;
  return {
    // A web Response always carries its own status (200 unless set), and a returned answer
    // wins over `response.status`, as for the library's own Response.
    status: value.status,
    headers,
    body: bytes.byteLength === 0 ? undefined : (text ?? bytes),
  };
}

/**
 * Turns what a route returned into a reply. `status` is the route's declared status; the
 * `response` state's status wins over it, and `null`/`undefined` turn only a default 200 into 204.
 */
export function valueReply(
  value: unknown,
  status: number | undefined,
  state: ResponseState | undefined,
  serialize: Serialize,
): Reply | Promise<Reply> {
  if (value === undefined || value === null) {
    return { status: state?.status ?? status ?? 204, headers: withState(state), body: undefined };
  }
  if (typeof value === "object" && STREAMING in value) {
    const streaming = value as StreamingResponse;
    const headers = withState(state);
    if (streaming.mediaType !== undefined) headers["content-type"] = streaming.mediaType;
    addHeaders(headers, streaming.headers);
    const at = streaming.status ?? state?.status ?? status ?? 200;
    return { status: at, headers, body: undefined, stream: streaming[STREAMING]() };
  }
  if (isResponse(value)) {
    const headers = withState(state);
    if (value.mediaType !== undefined) headers["content-type"] = value.mediaType;
    addHeaders(headers, value.headers);
    return {
      status: value.status ?? state?.status ?? status ?? 200,
      headers,
      body: value.render(),
    };
  }
  // Read by its tag, not `instanceof globalThis.Response`: touching that global makes Node load
  // undici (about 30 ms of a cold start) for every plain answer; a route that built a web
  // Response has loaded it already (measured when response streaming was added).
  if (Object.prototype.toString.call(value) === "[object Response]") {
    return webReply(value as globalThis.Response, state);
  }
  const headers = withState(state);
  headers["content-type"] ??= JSON_TYPE;
  return { status: state?.status ?? status ?? 200, headers, body: serialize(value) };
}

/** Whether a header value would break the response line or let a client inject headers. */
const UNSAFE = /[\r\n\0]/;

/**
 * Finishes a reply: an error status without a body gets `{"detail": "<reason>"}`, `HEAD`
 * answers lose their body, and header values with CR/LF are refused.
 * @throws TypeError naming the header when a value holds CR, LF or NUL, or when the status is
 * not an integer from 100 to 599.
 */
export function finishReply(reply: Reply, method: string): Reply {
  // A gateway turns a status outside 100–599 into its own bare 502: fail here, loudly, instead.
  if (!isStatus(reply.status)) {
    throw new TypeError(
      `Response status must be an integer from 100 to 599, got ${describeValue(reply.status)}`,
    );
  }
  if (reply.status >= 400 && (reply.body === undefined || reply.body === "") && !reply.stream) {
    reply.body = JSON.stringify({ detail: reasonPhrase(reply.status) });
    reply.headers["content-type"] = JSON_TYPE;
  }
  for (const name in reply.headers) {
    const value = reply.headers[name]!;
    const bad = typeof value === "string" ? UNSAFE.test(value) : value.some((x) => UNSAFE.test(x));
    if (bad || UNSAFE.test(name)) {
      throw new TypeError(`Response header ${quote(name)} holds CR, LF or NUL; it is refused`);
    }
  }
  if (method === "HEAD") {
    reply.body = undefined;
    // HEAD sends no body: a streamed one is closed unread past its first chunk.
    reply.stream?.close();
    reply.stream = undefined;
  }
  return reply;
}
