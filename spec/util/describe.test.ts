// Tests of the one describer: values and errors as messages and the access log show them.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  cut,
  describeError,
  describeValue,
  errorReason,
  kindOf,
  quote,
  REASON_MAX,
  VALUE_MAX,
} from "../../lib/util/describe.js";

/** A value whose toJSON and toString both throw. */
const unprintable = {
  toJSON() {
    throw new Error("no JSON");
  },
  toString() {
    throw new Error("no string");
  },
};

/** An Error whose stack, name and message getters all throw. */
function brokenError(): Error {
  const error = new Error("x");
  for (const key of ["stack", "name", "message"]) {
    Object.defineProperty(error, key, {
      get() {
        throw new Error(`no ${key}`);
      },
    });
  }
  return error;
}

describe("describe", () => {
  describe("quote and cut", () => {
    const rows: [what: string, text: string, max: number | undefined, expected: string][] = [
      ["a short text", "abc", undefined, '"abc"'],
      ["a text of exactly the length", "x".repeat(VALUE_MAX), undefined, `"${"x".repeat(60)}"`],
      ["a longer text", "x".repeat(VALUE_MAX + 1), undefined, `"${"x".repeat(60)}…"`],
      ["a text with a quote and a newline", 'a"b\nc', undefined, '"a\\"b\\nc"'],
      ["an id kept to REASON_MAX", "i".repeat(250), REASON_MAX, `"${"i".repeat(200)}…"`],
    ];
    for (const [what, text, max, expected] of rows) {
      it(`quotes ${what}`, () => {
        assert.equal(quote(text, max), expected);
        assert.equal(
          JSON.parse(quote(text, max).replace(/…"$/, '"')),
          cut(text, max).replace(/…$/, ""),
        );
      });
    }
  });

  describe("kindOf", () => {
    const rows: [value: unknown, expected: string][] = [
      [null, "null"],
      [undefined, "undefined"],
      [[1], "an array"],
      [{}, "an object"],
      ["secret", "a string"],
      [42, "a number"],
      [true, "a boolean"],
      [10n, "a bigint"],
      [Symbol("s"), "a symbol"],
      [() => 1, "a function"],
    ];
    for (const [value, expected] of rows) {
      it(`names ${expected} without showing what it holds`, () => {
        assert.equal(kindOf(value), expected);
      });
    }
  });

  describe("describeValue", () => {
    const rows: [value: unknown, expected: string][] = [
      ["abc", '"abc"'],
      ["y".repeat(100), `"${"y".repeat(60)}…"`],
      ["", '""'],
      [42, "42"],
      [-1.5, "-1.5"],
      [Number.NaN, "NaN"],
      [Number.POSITIVE_INFINITY, "Infinity"],
      [false, "false"],
      [10n, "10n"],
      [null, "null"],
      [undefined, "undefined"],
      [[1, 2], "an array"],
      [{ a: 1 }, "an object"],
      [class X {}, "a function"],
      [Symbol("s"), "a symbol"],
      [unprintable, "an object"],
    ];
    for (const [value, expected] of rows) {
      it(`shows ${expected}`, () => {
        assert.equal(describeValue(value), expected);
      });
    }
  });

  describe("describeError", () => {
    it("shows an Error's stack, or its name and message without it", () => {
      const error = new TypeError("boom");
      assert.equal(describeError(error), error.stack);
      assert.equal(describeError(error, { stack: false }), "TypeError: boom");
    });

    it("shows name and message when the stack is empty", () => {
      const error = new RangeError("out");
      error.stack = "";
      assert.equal(describeError(error), "RangeError: out");
    });

    const thrown: [what: string, value: unknown, expected: string][] = [
      ["a string", "x", 'thrown non-Error value: "x"'],
      ["null", null, "thrown non-Error value: null"],
      ["undefined", undefined, "thrown non-Error value: undefined"],
      ["a number", 42, "thrown non-Error value: 42"],
      ["an object", { code: "E1" }, 'thrown non-Error value: {"code":"E1"}'],
      ["a BigInt", 10n, "thrown non-Error value: 10"],
      ["a symbol", Symbol("s"), "thrown non-Error value: Symbol(s)"],
      [
        "a value whose toJSON and toString throw",
        unprintable,
        "thrown non-Error value that cannot be printed (typeof object)",
      ],
      [
        "an Error whose getters throw",
        brokenError(),
        "thrown Error whose name or message cannot be read",
      ],
    ];
    for (const [what, value, expected] of thrown) {
      it(`describes ${what} without throwing`, () => {
        assert.equal(describeError(value), expected);
      });
    }
  });

  describe("errorReason", () => {
    const rows: [what: string, error: unknown, name: boolean, expected: string][] = [
      ["a message", new TypeError("boom"), false, "boom"],
      ["a message with its name", new TypeError("boom"), true, "TypeError: boom"],
      ["the first line only", new Error("first\nsecond"), false, "first"],
      ["a long message", new Error("m".repeat(300)), false, `${"m".repeat(200)}…`],
      ["a thrown string", "nope", true, 'non-Error value: "nope"'],
      [
        "an Error whose getters throw",
        brokenError(),
        false,
        "an error whose message cannot be read",
      ],
      [
        "a value that cannot be printed",
        unprintable,
        false,
        "non-Error value that cannot be printed (typeof object)",
      ],
    ];
    for (const [what, error, name, expected] of rows) {
      it(`gives one line for ${what}`, () => {
        assert.equal(errorReason(error, { name }), expected);
      });
    }
  });
});
