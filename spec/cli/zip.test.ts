// The deployment zip: readable by yauzl, fixed times and modes, the same bytes for the same files.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createZip } from "../../lib/cli/zip.js";
import { readZip } from "../helpers/runtime-api.js";

const files = [
  { name: "index.mjs", data: new TextEncoder().encode("export const handler = async () => 1;\n") },
  {
    name: "index.mjs.map",
    data: new TextEncoder().encode('{"version":3,"sources":[],"mappings":""}'),
  },
];

describe("createZip", () => {
  it("holds the files in order with their exact bytes", async () => {
    const entries = await readZip(await createZip(files));
    assert.deepEqual(
      entries.map((entry) => [entry.name, entry.data.toString("utf8")]),
      files.map((file) => [file.name, new TextDecoder().decode(file.data)]),
    );
  });

  it("gives every file the mode rw-r--r-- and the time 1980-01-01 00:00", async () => {
    for (const entry of await readZip(await createZip(files))) {
      assert.equal(entry.mode, 0o100644, entry.name);
      assert.deepEqual(
        [
          entry.modified.getFullYear(),
          entry.modified.getMonth(),
          entry.modified.getDate(),
          entry.modified.getHours(),
        ],
        [1980, 0, 1, 0],
      );
    }
  });

  it("writes byte-identical zips for the same files, even a second apart", async () => {
    const first = await createZip(files);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await createZip(files);
    assert.equal(Buffer.compare(first, second), 0);
  });

  it("writes no extended timestamp field that would carry the build time", async () => {
    const zip = await createZip(files);
    // 0x5455 "UT" is the Info-ZIP extended timestamp extra field.
    assert.equal(zip.includes(Buffer.from([0x55, 0x54, 0x09, 0x00])), false);
  });

  it("refuses two files with the same name", async () => {
    await assert.rejects(
      createZip([files[0]!, files[0]!]),
      /Zip entry "index\.mjs" is given twice; expected unique names/,
    );
  });
});
