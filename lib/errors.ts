// HTTPException, the error users throw to answer with a status, and the library's own errors.

import { defineBrand } from "./util/brand.js";
import { describeValue } from "./util/describe.js";

const httpExceptionBrand = defineBrand<HTTPException>("HTTPException");
const unsupportedEventBrand = defineBrand<UnsupportedEventError>("UnsupportedEventError");

/** Options of an {@link HTTPException}. */
export interface HTTPExceptionOptions {
  /** Headers sent with the answer. */
  headers?: Readonly<Record<string, string>>;
  /** Written to the access log's `error_detail` only, never sent to the client. */
  errorDetail?: unknown;
  /** The error that caused this one. */
  cause?: unknown;
}

/**
 * Answers the request with `status` and the body `{"detail": detail}`.
 *
 * `detail` defaults to the status's reason phrase. `errorDetail` goes only to the access log.
 * @example
 * throw new HTTPException(404, "Item not found", { errorDetail: { id } });
 */
export class HTTPException extends Error {
  /** The HTTP status code of the answer. */
  readonly status: number;
  /** What the client sees under `detail`; undefined means the reason phrase. */
  readonly detail: unknown;
  /** Headers sent with the answer. */
  readonly headers: Readonly<Record<string, string>> | undefined;
  /** What the access log shows as `error_detail` (else `detail`). */
  readonly errorDetail: unknown;

  static {
    httpExceptionBrand.mark(HTTPException);
  }

  constructor(status: number, detail?: unknown, options: HTTPExceptionOptions = {}) {
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw new RangeError(
        `HTTPException status must be an integer from 100 to 599, got ${describeValue(status)}`,
      );
    }
    super(typeof detail === "string" ? detail : `HTTP ${status}`, { cause: options.cause });
    this.name = "HTTPException";
    this.status = status;
    this.detail = detail;
    this.headers = options.headers;
    this.errorDetail = options.errorDetail;
  }
}

/** Whether `value` is an {@link HTTPException}, from this copy of the library or another. */
export const isHTTPException: (value: unknown) => value is HTTPException = httpExceptionBrand.is;

/**
 * Thrown by `api.handler` for an event that is neither an HTTP request it serves nor a supported
 * batch; the message names what was received.
 */
export class UnsupportedEventError extends Error {
  static {
    unsupportedEventBrand.mark(UnsupportedEventError);
  }

  constructor(message: string) {
    super(message);
    this.name = "UnsupportedEventError";
  }
}
