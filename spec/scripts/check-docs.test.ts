// Tests of the docs check's parts: blocks found at their markdown lines, flags, tsc output read back.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { extractBlocks, moduleName, parseDiagnostics } from "../../scripts/check-docs.js";

const page = [
  "# Title", // 1
  "", // 2
  "```ts", // 3
  'import { createApi } from "aio-lambda-api";', // 4
  "export const api = createApi();", // 5
  "```", // 6
  "", // 7
  "```sh", // 8
  "npm test", // 9
  "```", // 10
  "", // 11
  "<!-- skip-check: the repository does not install the AWS CDK -->", // 12
  "```ts skip-check", // 13
  "new Stack(app);", // 14
  "```", // 15
  "", // 16
  "- In a list:", // 17
  "", // 18
  "  ```typescript runnable", // 19
  "  if (true) {", // 20
  "    console.log(1);", // 21
  "  }", // 22
  "  ```", // 23
  "", // 24
  "````md", // 25
  "```ts", // 26
  "not a block of its own", // 27
  "```", // 28
  "````", // 29
  "~~~ts", // 30
  "let tilde = 1;", // 31
  "~~~", // 32
].join("\n");

describe("extractBlocks", () => {
  const blocks = extractBlocks(page, "docs/page.md");

  it("finds the ts and typescript blocks only, at the line after their fence", () => {
    assert.deepEqual(
      blocks.map(({ index, line }) => [index, line]),
      [
        [1, 4],
        [2, 14],
        [3, 20],
        [4, 31],
      ],
    );
    assert.equal(blocks[0]?.file, "docs/page.md");
    assert.equal(
      blocks[0]?.code,
      'import { createApi } from "aio-lambda-api";\nexport const api = createApi();',
    );
  });

  it("reads the skip-check and runnable flags of the info string", () => {
    assert.deepEqual(
      blocks.map((block) => block.flags),
      [[], ["skip-check"], ["runnable"], []],
    );
  });

  it("removes the indentation of a fence in a list item, keeping the code's own", () => {
    assert.equal(blocks[2]?.code, "if (true) {\n  console.log(1);\n}");
  });

  it("leaves a fence shown inside a longer fence alone", () => {
    assert.ok(blocks.every((block) => !block.code.includes("not a block of its own")));
  });

  it("counts lines of a CRLF file the same", () => {
    const crlf = extractBlocks(page.replaceAll("\n", "\r\n"), "docs/page.md");
    assert.deepEqual(
      crlf.map(({ line, code }) => [line, code]),
      blocks.map(({ line, code }) => [line, code]),
    );
  });

  it("refuses an unknown flag, naming the file, line and the known flags", () => {
    assert.throws(() => extractBlocks("text\n```ts runable\nx;\n```\n", "docs/a.md"), {
      message:
        'docs/a.md:2: unknown flag "runable" in ```ts runable, expected skip-check or runnable',
    });
  });

  it("refuses a fence that is never closed", () => {
    assert.throws(() => extractBlocks("```ts\nx;\n", "README.md"), {
      message: "README.md:1: code fence ``` is never closed",
    });
  });

  it("ignores the flags of other languages", () => {
    assert.deepEqual(extractBlocks("```sh anything goes\nls\n```\n", "README.md"), []);
  });
});

describe("moduleName", () => {
  it("names a block's module after its file and rank", () => {
    const [block] = extractBlocks("```ts\nx;\n```\n", "docs/guide.md");
    assert.equal(moduleName(block!), "docs-guide-1.ts");
  });
});

describe("parseDiagnostics", () => {
  it("reads file, line and message, joining continuation lines", () => {
    const output = [
      "docs-guide-4.ts(12,5): error TS2304: Cannot find name 'api'.",
      "../../../../lib/api.ts(87,27): error TS2379: Argument of type '{ a: number | undefined; }' is not assignable.",
      "  Types of property 'a' are incompatible.",
      "error TS5023: Unknown compiler option 'nope'.",
      "",
    ].join("\n");
    assert.deepEqual(parseDiagnostics(output), [
      { file: "docs-guide-4.ts", line: 12, message: "TS2304: Cannot find name 'api'." },
      {
        file: "../../../../lib/api.ts",
        line: 87,
        message:
          "TS2379: Argument of type '{ a: number | undefined; }' is not assignable.\n  Types of property 'a' are incompatible.",
      },
      { file: "", line: 0, message: "TS5023: Unknown compiler option 'nope'." },
    ]);
  });
});
