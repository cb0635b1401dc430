// `bundle` (ESM): a Node built-in loads when the module that imports it first runs, not when the bundle is imported.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { bundle } from "../../lib/cli/bundle.js";
import { extractZip } from "../helpers/runtime-api.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

// Imports the bundle, says whether node:crypto is loaded, invokes it once, says it again.
const PROBE = `
const loaded = () => process.moduleLoadList.includes("NativeModule crypto");
const { handler } = await import(process.argv[1]);
const before = loaded();
const event = { version: "2.0", routeKey: "$default", rawPath: "/", rawQueryString: "", headers: {},
  requestContext: { http: { method: "GET", path: "/", sourceIp: "203.0.113.1" }, requestId: "r", stage: "$default" },
  isBase64Encoded: false };
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = () => true; // the access-log line
const answer = await handler(event, { awsRequestId: "r", functionName: "f", getRemainingTimeInMillis: () => 30000 });
write(JSON.stringify({ before, after: loaded(), status: answer.statusCode }));
`;

let dir: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "aio-lazy-"));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("bundle: lazy Node built-ins", () => {
  it("loads Powertools Logger's node:crypto on the first logged request, not at import", async () => {
    const result = await bundle({
      entry: "examples/app.ts",
      cwd: ROOT,
      out: path.join(dir, "a.zip"),
    });
    await extractZip(await readFile(result.zipPath), path.join(dir, "a"));
    const code = await readFile(path.join(dir, "a", "index.mjs"), "utf8");
    assert.doesNotMatch(code, /from\s*"node:crypto"/);
    const url = pathToFileURL(path.join(dir, "a", "index.mjs")).href;
    const report = execFileSync(process.execPath, ["--input-type=module", "-e", PROBE, url], {
      encoding: "utf8",
    });
    assert.deepEqual(JSON.parse(report), { before: false, after: true, status: 200 });
  });
});
