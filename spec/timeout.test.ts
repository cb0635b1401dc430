// Tests of route deadlines: the remaining-time cap, the timer's life, and the route's AbortSignal.

import assert from "node:assert/strict";
import { afterEach, describe, it, mock } from "node:test";
import {
  isRouteTimeout,
  RouteTimeoutError,
  routeDeadline,
  SignalSlot,
  withDeadline,
} from "../lib/timeout.js";
import { fakeContext } from "./helpers/fixtures.js";

describe("timeout", () => {
  afterEach(() => mock.restoreAll());

  describe("routeDeadline", () => {
    // [case, timeoutMs, remaining ms (undefined: no context), margin, expected]
    const rows: [string, number, number | undefined, number, number][] = [
      ["keeps the timeout without a context", 30_000, undefined, 500, 30_000],
      ["keeps the timeout when more time remains", 1_000, 30_000, 500, 1_000],
      ["caps at remaining minus margin", 30_000, 10_000, 500, 9_500],
      ["uses the given margin", 30_000, 10_000, 2_000, 8_000],
      ["is zero when the margin exceeds the remaining time", 30_000, 300, 500, 0],
      ["is zero when no time remains", 30_000, 0, 500, 0],
    ];
    for (const [what, timeoutMs, remaining, margin, expected] of rows) {
      it(what, () => {
        const context =
          remaining === undefined ? undefined : fakeContext({ remainingMs: remaining });
        assert.equal(routeDeadline(timeoutMs, context, margin), expected);
      });
    }

    it("ignores a context whose remaining time is not a finite number", () => {
      assert.equal(
        routeDeadline(1_000, { getRemainingTimeInMillis: () => Number.NaN }, 500),
        1_000,
      );
      assert.equal(routeDeadline(1_000, { awsRequestId: "no-clock" }, 500), 1_000);
    });
  });

  describe("withDeadline", () => {
    it("returns a synchronous result as is and starts no timer", () => {
      const setTimer = mock.method(globalThis, "setTimeout");
      const slot = new SignalSlot();
      assert.equal(
        withDeadline(() => "now", 10, slot),
        "now",
      );
      assert.equal(setTimer.mock.callCount(), 0);
    });

    it("lets a synchronous throw through and starts no timer", () => {
      const setTimer = mock.method(globalThis, "setTimeout");
      assert.throws(
        () =>
          withDeadline(
            () => {
              throw new Error("sync");
            },
            10,
            new SignalSlot(),
          ),
        /sync/,
      );
      assert.equal(setTimer.mock.callCount(), 0);
    });

    it("clears its timer when the route's promise resolves", async () => {
      const setTimer = mock.method(globalThis, "setTimeout");
      const clearTimer = mock.method(globalThis, "clearTimeout");
      const value = await withDeadline(async () => "later", 60_000, new SignalSlot());
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
        Promise.resolve(withDeadline(() => Promise.reject(failure), 60_000, new SignalSlot())),
        (error: unknown) => error === failure,
      );
      assert.equal(clearTimer.mock.calls[0]!.arguments[0], setTimer.mock.calls[0]!.result);
    });

    it("rejects with RouteTimeoutError and aborts the signal when the route is late", async () => {
      const slot = new SignalSlot();
      const signal = slot.signal;
      let abortedAtRejection: boolean | undefined;
      await assert.rejects(
        Promise.resolve(withDeadline(() => new Promise(() => {}), 5, slot)).catch(
          (error: unknown) => {
            abortedAtRejection = signal.aborted;
            throw error;
          },
        ),
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
      const value = await withDeadline(async () => 1, 1e12, new SignalSlot());
      assert.equal(value, 1);
      assert.equal(setTimer.mock.calls[0]!.arguments[1], 2_147_483_647);
    });
  });

  describe("SignalSlot", () => {
    it("makes no AbortController until the signal is read", () => {
      const made = mock.method(globalThis, "AbortController");
      const slot = new SignalSlot();
      slot.abort(new RouteTimeoutError(1));
      assert.equal(made.mock.callCount(), 0);
    });

    it("gives an already aborted signal, with the reason, when first read after the deadline", () => {
      const slot = new SignalSlot();
      const reason = new RouteTimeoutError(7);
      slot.abort(reason);
      assert.equal(slot.signal.aborted, true);
      assert.equal(slot.signal.reason, reason);
    });

    it("aborts once: a second abort keeps the first reason", () => {
      const slot = new SignalSlot();
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
