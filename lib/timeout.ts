// Route deadlines: the route's, the API's or FUNCTION_TIMEOUT, capped by Lambda's remaining time.

import type { LambdaContext } from "./request.js";

const TIMEOUT = Symbol.for("aio-lambda-api.RouteTimeoutError");

/** Raised inside the pipeline when a route runs past its deadline; answered 504. */
export class RouteTimeoutError extends Error {
  readonly [TIMEOUT] = true;
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`Route exceeded its timeout of ${timeoutMs} ms`);
    this.name = "RouteTimeoutError";
    this.timeoutMs = timeoutMs;
  }
}

/** Whether `value` is a {@link RouteTimeoutError}. */
export function isRouteTimeout(value: unknown): value is RouteTimeoutError {
  return typeof value === "object" && value !== null && TIMEOUT in value;
}

/**
 * The milliseconds a route may run: `timeoutMs`, capped by the invocation's remaining time
 * minus `marginMs`, so the 504 answer and its log line leave before Lambda's own deadline.
 */
export function routeDeadline(
  timeoutMs: number,
  context: LambdaContext | undefined,
  marginMs: number,
): number {
  const remaining = context?.getRemainingTimeInMillis?.();
  if (typeof remaining !== "number" || !Number.isFinite(remaining)) return timeoutMs;
  return Math.max(0, Math.min(timeoutMs, remaining - marginMs));
}

/**
 * Holds the route's AbortController, made only when the route reads `signal`. A signal first
 * read after the deadline passed is already aborted, with the same reason.
 */
export class SignalSlot {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  /** The route's signal (`signal` in the route input). */
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
}

/** setTimeout's largest delay; a longer one fires at once (Node warns and uses 1 ms). */
const MAX_DELAY = 2_147_483_647;

/** Whether `value` is a promise or another thenable (what `await` would wait for). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/**
 * Runs `call` under a deadline. A synchronous result needs no timer; a promise races a timer
 * that, when it fires first, aborts the slot's signal and rejects with RouteTimeoutError. The
 * route's own promise is left to settle on its own: it no longer holds the answer back.
 */
export function withDeadline(call: () => unknown, ms: number, slot: SignalSlot): unknown {
  const result = call();
  if (!isThenable(result)) return result;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => {
        const error = new RouteTimeoutError(ms);
        reject(error);
        slot.abort(error);
      },
      Math.min(ms, MAX_DELAY),
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
