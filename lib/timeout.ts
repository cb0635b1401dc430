// One request's deadline: made when it is received, read by validation, middleware, the route and its stream.

import type { LambdaContext } from "./request.js";
import { defineBrand } from "./util/brand.js";

const routeTimeoutBrand = defineBrand<RouteTimeoutError>("RouteTimeoutError");

/** setTimeout's largest delay; a longer one fires at once (Node warns and uses 1 ms). */
export const MAX_DELAY = 2_147_483_647;

/** Raised inside the pipeline when a request runs past its deadline; answered 504. */
export class RouteTimeoutError extends Error {
  static {
    routeTimeoutBrand.mark(RouteTimeoutError);
  }

  /** The configured timeout (the route's, the Api's or FUNCTION_TIMEOUT), in ms. */
  readonly timeoutMs: number;
  /**
   * @param capped the invocation had less time left than the timeout: the deadline came first
   */
  constructor(timeoutMs: number, capped = false) {
    super(
      capped
        ? `Route exceeded the invocation's remaining time, before its timeout of ${timeoutMs} ms`
        : `Route exceeded its timeout of ${timeoutMs} ms`,
    );
    this.name = "RouteTimeoutError";
    this.timeoutMs = timeoutMs;
  }
}

/** Whether `value` is a {@link RouteTimeoutError}, from this copy of the library or another. */
export const isRouteTimeout: (value: unknown) => value is RouteTimeoutError = routeTimeoutBrand.is;

/** Whether `value` is a promise or another thenable (what `await` would wait for). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/**
 * The deadline of one request, and the AbortSignal its route reads. It passes `timeoutMs` after
 * the request was received, or earlier when the invocation has less time left than that (less
 * `marginMs`, so the 504 and its log line leave before Lambda stops the function). Validation,
 * middleware, the route function and the opening of a streamed answer all read this one value.
 * The AbortController is made only when someone reads `signal`.
 */
export class Deadline {
  /** When the deadline passes, in `performance.now()` ms. */
  readonly at: number;
  /** The configured timeout in ms: what the timeout error names, the same figure every time. */
  readonly timeoutMs: number;
  /** Whether the invocation's remaining time, not the timeout, set the deadline. */
  readonly capped: boolean;
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;

  /**
   * @param timeoutMs the route's timeout, else the Api's, else FUNCTION_TIMEOUT
   * @param received when the request was received (`performance.now()`)
   */
  constructor(
    timeoutMs: number,
    context: LambdaContext | undefined,
    marginMs: number,
    received: number,
  ) {
    this.timeoutMs = timeoutMs;
    const remaining = context?.getRemainingTimeInMillis?.();
    const cap =
      typeof remaining === "number" && Number.isFinite(remaining)
        ? Math.max(0, remaining - marginMs)
        : Infinity;
    this.capped = cap < timeoutMs;
    this.at = received + Math.min(timeoutMs, cap);
  }

  /** The milliseconds left before the deadline, never negative. */
  left(): number {
    return Math.max(0, this.at - performance.now());
  }

  /** The error a request past this deadline fails with. */
  error(): RouteTimeoutError {
    return new RouteTimeoutError(this.timeoutMs, this.capped);
  }

  /** The route's signal (`signal` in the route input); already aborted when read too late. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Aborts the signal, now or when it is first read; only the first reason counts. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }

  /**
   * Runs `call` against the deadline. A synchronous result needs no timer; a promise races a
   * timer that, when it fires first, aborts the signal and rejects with the timeout error. The
   * call's own promise is left to settle on its own: it no longer holds the answer back.
   * @param graceMs how long after the deadline the timer fires (middleware around a route
   * that already timed out gets this long to pass the 504 on)
   */
  race(call: () => unknown, graceMs = 0): unknown {
    const result = call();
    if (!isThenable(result)) return result;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          const error = this.error();
          reject(error);
          this.abort(error);
        },
        Math.min(this.left() + graceMs, MAX_DELAY),
      );
      result.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}
