// Tests of brands: instances recognized beside instanceof, also those of another copy of the library.

import assert from "node:assert/strict";
import { inspect } from "node:util";
import { describe, it } from "node:test";
import { defineBrand } from "../../lib/util/brand.js";

const brand = defineBrand<Marked>("SpecMarked");
class Marked extends Error {
  static {
    brand.mark(Marked);
  }
}
class Sub extends Marked {}

describe("brand", () => {
  it("keys the brand by a registry symbol, the same in every copy", () => {
    assert.equal(brand.key, Symbol.for("aio-lambda-api.SpecMarked"));
    assert.equal(defineBrand("SpecMarked").key, brand.key);
  });

  const rows: [what: string, value: unknown, expected: boolean][] = [
    ["an instance", new Marked("x"), true],
    ["an instance of a subclass", new Sub("x"), true],
    ["an object marked by an older copy (own field)", { [brand.key]: true }, true],
    [
      "an Error marked by an older copy (non-enumerable)",
      Object.defineProperty(new Error("x"), brand.key, { value: true }),
      true,
    ],
    ["another copy's instance", new (makeCopy())("x"), true],
    ["a plain Error", new Error("x"), false],
    ["an object holding the key with another value", { [brand.key]: "yes" }, false],
    ["null", null, false],
    ["the name as a string", "SpecMarked", false],
    ["the class itself", Marked, false],
  ];
  for (const [what, value, expected] of rows) {
    it(`says ${expected} for ${what}`, () => {
      assert.equal(brand.is(value), expected);
    });
  }

  it("writes nothing on the instance, so printing one shows no symbol", () => {
    const error = new Marked("x");
    assert.deepEqual(Object.getOwnPropertySymbols(error), []);
    assert.doesNotMatch(inspect(error), /aio-lambda-api/);
  });
});

/** The same class as another copy of the library would define it: its own class, its own brand. */
function makeCopy(): new (message: string) => Error {
  const copy = defineBrand<Error>("SpecMarked");
  class CopyMarked extends Error {
    static {
      copy.mark(CopyMarked);
    }
  }
  return CopyMarked;
}
