// Tests of request deadlines: the remaining-time cap, the timer's life, and the route's AbortSignal.

import assert from "node:assert/strict";
import { afterEach, describe, it, mock } from "node:test";
import { Deadline, isRouteTimeout, RouteTimeoutError } from "../lib/timeout.js";
import { fakeContext } from "./helpers/fixtures.js";

/** A deadline `ms` from now, with no Lambda context. */
const soon = (ms: number) => new Deadline(ms, undefined, 0, performance.now());

describe("timeout", () => {
  afterEach(() => mock.restoreAll());

  /** A deadline made now, and how many ms it allows. */
  const budget = (deadline: Deadline, madeAt: number) => deadline.at - madeAt;

  describe("Deadline", () => {
    // [case, timeoutMs, remaining ms (undefined: no context), margin, expected budget, capped]
    const rows: [string, number, number | undefined, number, number, boolean][] = [
      ["keeps the timeout without a context", 30_000, undefined, 500, 30_000, false],
      ["keeps the timeout when more time remains", 1_000, 30_000, 500, 1_000, false],
      ["caps at remaining minus margin", 30_000, 10_000, 500, 9_500, true],
      ["uses the given margin", 30_000, 10_000, 2_000, 8_000, true],
      ["is zero when the margin exceeds the remaining time", 30_000, 300, 500, 0, true],
      ["is zero when no time remains", 30_000, 0, 500, 0, true],
    ];
    for (const [what, timeoutMs, remaining, margin, expected, capped] of rows) {
      it(what, () => {
        const context =
          remaining === undefined ? undefined : fakeContext({ remainingMs: remaining });
        const deadline = new Deadline(timeoutMs, context, margin, 1_000);
        assert.equal(budget(deadline, 1_000), expected);
        assert.equal(deadline.capped, capped);
        assert.equal(deadline.timeoutMs, timeoutMs);
      });
    }

    it("ignores a context whose remaining time is not a finite number", () => {
      const nan = new Deadline(1_000, { getRemainingTimeInMillis: () => Number.NaN }, 500, 0);
      assert.equal(budget(nan, 0), 1_000);
      assert.equal(budget(new Deadline(1_000, { awsRequestId: "no-clock" }, 500, 0), 0), 1_000);
    });

    it("names the configured timeout in its error, or the remaining time that came first", () => {
      assert.equal(
        new Deadline(250, undefined, 500, 0).error().message,
        "Route exceeded its timeout of 250 ms",
      );
      const capped = new Deadline(250, fakeContext({ remainingMs: 600 }), 500, 0).error();
      assert.equal(
        capped.message,
        "Route exceeded the invocation's remaining time, before its timeout of 250 ms",
      );
      assert.equal(capped.timeoutMs, 250);
    });

    it("counts from when the request was received, not from when it is read", () => {
      const received = performance.now() - 40;
      const deadline = new Deadline(100, undefined, 500, received);
      assert.ok(deadline.left() <= 60);
    });
  });

  describe("Deadline.race", () => {
    it("returns a synchronous result as is and starts no timer", () => {
      const setTimer = mock.method(globalThis, "setTimeout");
      assert.equal(
        soon(10).race(() => "now"),
        "now",
      );
      assert.equal(setTimer.mock.callCount(), 0);
    });

    it("lets a synchronous throw through and starts no timer", () => {
      const setTimer = mock.method(globalThis, "setTimeout");
      assert.throws(
        () =>
          soon(10).race(() => {
            throw new Error("sync");
          }),
        /sync/,
      );
      assert.equal(setTimer.mock.callCount(), 0);
    });

    it("clears its timer when the route's promise resolves", async () => {
      const setTimer = mock.method(globalThis, "setTimeout");
      const clearTimer = mock.method(globalThis, "clearTimeout");
      const value = await soon(60_000).race(async () => "later");
      assert.equal(value, "later");
      assert.equal(setTimer.mock.callCount(), 1);
      assert.equal(clearTimer.mock.callCount(), 1);
      assert.equal(clearTimer.mock.calls[0]!.arguments[0], setTimer.mock.calls[0]!.result);
    });

    it("clears its timer when the route's promise rejects, and passes the error on", async () => {
      const setTimer = mock.method(globalThis, "setTimeout");
      const clearTimer = mock.method(globalThis, "clearTimeout");
      const failure = new Error("route failed");
      await assert.rejects(
        Promise.resolve(soon(60_000).race(() => Promise.reject(failure))),
        (error: unknown) => error === failure,
      );
      assert.equal(clearTimer.mock.calls[0]!.arguments[0], setTimer.mock.calls[0]!.result);
    });

    it("rejects with RouteTimeoutError and aborts the signal when the route is late", async () => {
      const deadline = soon(5);
      const signal = deadline.signal;
      let abortedAtRejection: boolean | undefined;
      await assert.rejects(
        Promise.resolve(deadline.race(() => new Promise(() => {}))).catch((error: unknown) => {
          abortedAtRejection = signal.aborted;
          throw error;
        }),
        (error: unknown) =>
          error instanceof RouteTimeoutError &&
          error.timeoutMs === 5 &&
          error.message === "Route exceeded its timeout of 5 ms",
      );
      assert.equal(abortedAtRejection, true);
      assert.ok(isRouteTimeout(signal.reason));
    });

    it("keeps a delay longer than setTimeout's limit from firing at once", async () => {
      const setTimer = mock.method(globalThis, "setTimeout");
      const value = await soon(1e12).race(async () => 1);
      assert.equal(value, 1);
      assert.equal(setTimer.mock.calls[0]!.arguments[1], 2_147_483_647);
    });
  });

  describe("Deadline.signal", () => {
    it("makes no AbortController until the signal is read", () => {
      const made = mock.method(globalThis, "AbortController");
      const slot = soon(1);
      slot.abort(new RouteTimeoutError(1));
      assert.equal(made.mock.callCount(), 0);
    });

    it("gives an already aborted signal, with the reason, when first read after the deadline", () => {
      const slot = soon(7);
      const reason = new RouteTimeoutError(7);
      slot.abort(reason);
      assert.equal(slot.signal.aborted, true);
      assert.equal(slot.signal.reason, reason);
    });

    it("aborts once: a second abort keeps the first reason", () => {
      const slot = soon(1);
      const first = new RouteTimeoutError(1);
      slot.abort(first);
      slot.abort(new Error("second"));
      assert.equal(slot.signal.reason, first);
    });
  });

  describe("isRouteTimeout", () => {
    const rows: [string, unknown, boolean][] = [
      ["a RouteTimeoutError", new RouteTimeoutError(1), true],
      [
        "one from another copy of the library",
        { [Symbol.for("aio-lambda-api.RouteTimeoutError")]: true },
        true,
      ],
      ["a plain Error", new Error("Route exceeded its timeout of 1 ms"), false],
      ["null", null, false],
      ["a string", "RouteTimeoutError", false],
    ];
    for (const [what, value, expected] of rows) {
      it(`says ${expected} for ${what}`, () => assert.equal(isRouteTimeout(value), expected));
    }
  });
});
