// The Lambda Node.js runtimes `bundle --target` takes: both spellings of each, the default, and refusals.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DEFAULT_LAMBDA_RUNTIME,
  LAMBDA_TARGET_NAMES,
  lambdaRuntime,
  refusedTarget,
} from "../../lib/cli/lambda-runtime.js";

describe("lambdaRuntime", () => {
  const found: [string, string, string][] = [
    ["node24", "nodejs24.x", "node24"],
    ["nodejs24.x", "nodejs24.x", "node24"],
    ["node22", "nodejs22.x", "node22"],
    ["nodejs22.x", "nodejs22.x", "node22"],
  ];
  for (const [name, runtime, target] of found) {
    it(`reads ${name} as ${runtime}, esbuild target ${target}`, () => {
      assert.deepEqual(lambdaRuntime(name), { runtime, target });
    });
  }

  for (const name of ["node20", "nodejs20.x", "node26", "node24.1", "NODE24", "nodejs24", ""]) {
    it(`knows no runtime named ${JSON.stringify(name)}`, () => {
      assert.equal(lambdaRuntime(name), undefined);
    });
  }

  it("defaults to the newest runtime, nodejs24.x", () => {
    assert.deepEqual(DEFAULT_LAMBDA_RUNTIME, { runtime: "nodejs24.x", target: "node24" });
  });

  it("takes every name it lists", () => {
    assert.deepEqual(LAMBDA_TARGET_NAMES, ["node24", "node22", "nodejs24.x", "nodejs22.x"]);
    for (const name of LAMBDA_TARGET_NAMES) assert.notEqual(lambdaRuntime(name), undefined);
  });
});

describe("refusedTarget", () => {
  const accepted = "must be one of node24, node22, nodejs24.x, nodejs22.x";
  const rows: [string, string][] = [
    [
      "node20",
      `--target ${accepted}, got "node20" (Node.js 20 is end-of-life on Lambda: use node22 or node24)`,
    ],
    [
      "nodejs18.x",
      `--target ${accepted}, got "nodejs18.x" (Node.js 18 is end-of-life on Lambda: use node22 or node24)`,
    ],
    [
      "node20.11.1",
      `--target ${accepted}, got "node20.11.1" (Node.js 20 is end-of-life on Lambda: use node22 or node24)`,
    ],
    ["node26", `--target ${accepted}, got "node26"`],
    ["es2022", `--target ${accepted}, got "es2022"`],
    ["x".repeat(80), `--target ${accepted}, got "${"x".repeat(60)}…"`],
  ];
  for (const [name, message] of rows) {
    it(`explains why ${JSON.stringify(name.slice(0, 20))} is refused`, () => {
      assert.equal(refusedTarget("--target", name), message);
    });
  }
});
