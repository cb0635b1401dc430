// Shared checks of the package's subpath entries: their export lists, their package.json entry, and refusing what is not an Api.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { createApi } from "../../lib/index.js";

/**
 * Pins `aio-lambda-api/<subpath>`: the module exports exactly `names`, and package.json maps the
 * subpath to its built index with types.
 */
export function pinsSubpath(subpath: string, module: object, names: readonly string[]): void {
  describe(`aio-lambda-api/${subpath}`, () => {
    it("exports exactly its public names", () => {
      assert.deepEqual(Object.keys(module).sort(), [...names].sort());
    });

    it("is a subpath export of the package", () => {
      const pkg = JSON.parse(
        readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
      ) as { exports: Record<string, unknown> };
      assert.deepEqual(pkg.exports[`./${subpath}`], {
        types: `./dist/${subpath}/index.d.ts`,
        default: `./dist/${subpath}/index.js`,
      });
    });
  });
}

/**
 * One test a row: `make(value)` throws the TypeError the entry points give for a value that is
 * not an Api made by createApi(), naming `name` and what the value is.
 */
export function refusesNonApis(name: string, make: (value: never) => unknown): void {
  const rows: [string, unknown, string][] = [
    ["undefined", undefined, "undefined"],
    ["null", null, "null"],
    ["a handler function", createApi().handler, "a function"],
    ["an object with a handler", { handler: createApi().handler }, "an object"],
  ];
  for (const [what, value, got] of rows) {
    it(`throws a TypeError naming ${name} when given ${what} instead of an Api`, () => {
      assert.throws(() => make(value as never), {
        name: "TypeError",
        message: `${name}: expected an Api made by createApi(), got ${got}`,
      });
    });
  }
}
