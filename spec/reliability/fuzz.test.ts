// Fuzzed events: every real AWS sample, mutated at random, through batchHandler(api) (api.handler for HTTP events); every answer is well formed, logged once, and harmless.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { batchHandler, isBatchFailureError } from "../../lib/batch/index.js";
import { nestedDeeperThan } from "../../lib/util/body.js";
import { requestTo, sqsEvent } from "../helpers/batch.js";
import { fakeContext, HTTP_KINDS } from "../helpers/fixtures.js";
import {
  fuzzApp,
  invoke,
  prototypeSnapshot,
  TARGETS,
  trackRejections,
} from "../helpers/fuzz-app.js";
import { expectedKind, problems, resultProblems } from "../helpers/oracle.js";
import { captureLogs } from "../helpers/log.js";
import { applyMutation, fuzzCase } from "../helpers/mutate.js";
import { inject } from "../../lib/testing/index.js";

/** CI-sized: scripts/fuzz.ts runs 100,000 and more with longer strings and deeper bodies. */
const RUNS = 4_000;
const SEED = 20_240_610;
const LIMITS = { maxLength: 65_536, maxDepth: 5_000 };

describe("fuzzed events", () => {
  it("answers every mutated fixture with a well-formed result or a documented error, one access-log line per request, no pollution, no unhandled rejection", async () => {
    const logs = captureLogs();
    // The batch handler serves every sample: batches itself, HTTP events through api.handler.
    const handler = batchHandler(fuzzApp(logs.logger));
    const rejections = trackRejections();
    const prototypes = prototypeSnapshot();
    const kinds = new Set<string>();
    const routes = new Set<string>();
    let multipart = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fuzzCase(TARGETS, LIMITS), async (generated) => {
          logs.clear();
          const kind = expectedKind(generated.event);
          const outcome = await invoke(handler, generated.event, fakeContext());
          const lines = logs.records();
          const found = problems(kind, generated.event, outcome, lines);
          if (prototypeSnapshot() !== prototypes) found.push("a built-in prototype changed");
          if (rejections.seen.length > 0) {
            found.push(`unhandled rejection: ${String(rejections.seen.splice(0)[0])}`);
          }
          kinds.add(kind);
          for (const line of lines) {
            if (typeof line.route === "string") routes.add(line.route);
            if (line.form === "multipart/form-data" && line.status_code === 200) multipart += 1;
          }
          assert.deepEqual(
            found,
            [],
            `${generated.from} ${JSON.stringify(generated.mutations).slice(0, 1_000)}`,
          );
        }),
        { seed: SEED, numRuns: RUNS },
      );
    } finally {
      rejections.stop();
    }
    // The run is not vacuous: it reached every event kind and every route of the app.
    assert.deepEqual([...kinds].sort(), [
      "alb",
      "direct",
      "function-url",
      "http-api",
      "lattice-v1",
      "lattice-v2",
      "mq",
      "rest",
      "sns",
      "sqs",
      "unsupported",
    ]);
    const templates = [...new Set(TARGETS.map((target) => target.split(" ")[1]!))].sort();
    assert.deepEqual([...routes].sort(), templates);
    assert.ok(multipart > 0, "no multipart body was parsed");
  });

  const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;

  for (const kind of HTTP_KINDS) {
    it(`answers 400, not a crash, for a ${kind} JSON body nested 100,000 levels that a route echoes (fuzz defect #1)`, async () => {
      const logs = captureLogs();
      const api = fuzzApp(logs.logger);
      const event = requestTo(kind, "POST", "/echo/1", deep(100_000));
      const result = (await api.handler(event, fakeContext())) as {
        statusCode: number;
        body: string;
      };
      assert.deepEqual(resultProblems(result), []);
      assert.equal(result.statusCode, 400);
      assert.deepEqual(JSON.parse(result.body), {
        detail: "JSON body nested deeper than 1000 levels",
      });
      const line = logs.one();
      assert.equal(line.level, "WARN");
      assert.equal(line.error_detail, "JSON body nested deeper than 1000 levels");
    });
  }

  // nestedDeeperThan(text, 3): brackets inside strings, escaped quotes included, do not count.
  const depths: [string, boolean][] = [
    ["[[[1]]]", false],
    ["[[[[1]]]]", true],
    ['{"a":{"b":{"c":{}}}}', true],
    ["[1,[2],[3],[4],[5],[6]]", false],
    ['["[[[[[[[["]', false],
    ['["\\"[[[[[[[["]', false],
    ['["\\\\",[[[1]]]]', true],
  ];
  for (const [text, deeper] of depths) {
    it(`tells ${text} is ${deeper ? "" : "not "}nested deeper than 3 levels (fuzz defect #1)`, () => {
      assert.equal(nestedDeeperThan(text, 3), deeper);
      assert.equal(JSON.parse(text) !== undefined, true);
    });
  }

  it("still echoes a JSON body nested exactly 1,000 levels (fuzz defect #1)", async () => {
    const logs = captureLogs();
    const api = fuzzApp(logs.logger);
    const result = await inject(api, {
      method: "POST",
      path: "/echo/1",
      body: deep(999),
      headers: { "content-type": "application/json" },
    });
    assert.equal(result.status, 200);
    assert.equal(result.body, `{"id":"1","body":${deep(999)}}`);
  });

  it("reports an SQS record whose request body nests 100,000 levels as failed, with a warn line and no critical one (fuzz defect #1)", async () => {
    const logs = captureLogs();
    const api = fuzzApp(logs.logger);
    const inner = requestTo("apigw-http", "POST", "/echo/1", deep(100_000));
    const ok = requestTo("apigw-http", "GET", "/");
    const event = sqsEvent("powertools-py-two-records", [
      JSON.stringify(inner),
      JSON.stringify(ok),
    ]);
    const outcome = await invoke(batchHandler(api), event, fakeContext());
    assert.equal(outcome.kind, "resolved");
    const ids = (event.Records as { messageId: string }[]).map((record) => record.messageId);
    assert.deepEqual(outcome.kind === "resolved" && outcome.value, {
      batchItemFailures: [{ itemIdentifier: ids[0] }],
    });
    const levels = logs.records().map((line) => [line.message_id, line.status_code, line.level]);
    assert.deepEqual(
      levels.sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      [
        [ids[0], 400, "WARN"],
        [ids[1], 200, "INFO"],
      ],
    );
  });

  for (const kind of HTTP_KINDS) {
    it(`sets a cookie from a value with a lone surrogate as U+FFFD instead of crashing (${kind}, fuzz defect #3)`, async () => {
      const logs = captureLogs();
      const api = fuzzApp(logs.logger);
      const event = requestTo(kind, "GET", "/cookie");
      delete event.cookies;
      applyMutation(event, { op: "header", name: "cookie", value: "a=x\ud800y" });
      const result = (await api.handler(event, fakeContext())) as Record<string, unknown>;
      assert.deepEqual(resultProblems(result), []);
      assert.equal(result.statusCode, 200);
      const lines = JSON.stringify([result.cookies, result.headers, result.multiValueHeaders]);
      assert.match(lines, /echo=x%EF%BF%BDy; HttpOnly/);
      assert.equal(logs.one().level, "INFO");
    });
  }

  // The oracle itself must be able to fail: each broken result is a row with what it reports.
  const broken: [string, unknown, string][] = [
    [
      "a status out of range",
      { statusCode: 600, headers: {}, body: "", isBase64Encoded: false },
      "statusCode 600 is not an integer from 100 to 599",
    ],
    [
      "a status as text",
      { statusCode: "200", headers: {}, body: "", isBase64Encoded: false },
      "statusCode 200 is not an integer from 100 to 599",
    ],
    [
      "a header with CR/LF",
      { statusCode: 200, headers: { a: "1\r\nb: 2" }, body: "", isBase64Encoded: false },
      'header "a" holds CR, LF or NUL: "1\\r\\nb: 2"',
    ],
    [
      "a number header",
      { statusCode: 200, headers: { a: 1 }, body: "", isBase64Encoded: false },
      'header "a" is number, not a string',
    ],
    [
      "a body that is not a string",
      { statusCode: 200, headers: {}, body: {}, isBase64Encoded: false },
      "body is object, not a string",
    ],
    [
      "a base64 flag on text",
      { statusCode: 200, headers: {}, body: "%%", isBase64Encoded: true },
      "isBase64Encoded is true but the body is not base64",
    ],
    [
      "no base64 flag",
      { statusCode: 200, headers: {}, body: "" },
      "isBase64Encoded is not a boolean",
    ],
    [
      "an unknown key",
      { statusCode: 200, headers: {}, body: "", isBase64Encoded: false, extra: 1 },
      "unexpected result key extra",
    ],
  ];
  for (const [what, result, report] of broken) {
    it(`flags ${what} as malformed`, () => {
      assert.deepEqual(resultProblems(result), [report]);
    });
  }

  it("flags a missing access-log line, a critical line and an undocumented batch error", () => {
    const answer = { statusCode: 200, headers: {}, body: "", isBase64Encoded: false };
    const resolved = { kind: "resolved", value: answer } as const;
    assert.deepEqual(problems("rest", {}, resolved, []), ["0 access-log lines, expected 1"]);
    assert.deepEqual(
      problems("rest", {}, resolved, [{ level: "CRITICAL", status_code: 200, error_detail: "x" }]),
      ["critical line: x"],
    );
    const event = { Records: [{ EventSource: "aws:sns", Sns: { MessageId: "m", Message: "{}" } }] };
    const rejected = { kind: "rejected", error: new TypeError("boom") } as const;
    assert.deepEqual(problems("sns", event, rejected, [{ level: "WARN", status_code: 404 }]), [
      "sns batch rejected with TypeError: boom",
    ]);
    assert.equal(isBatchFailureError(rejected.error), false);
  });
});
