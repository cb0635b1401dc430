// Which export the dev server calls: the runtime's awslambda global, streaming handlers recognized, and exports refused with what they are.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isStreamingHandler, notAHandler, useRuntimeGlobal } from "../../lib/cli/dev-handler.js";
import { createApi } from "../../lib/index.js";
import { streamingHandler } from "../../lib/streaming/index.js";

const STREAMING = Symbol.for("aws.lambda.runtime.handler.streaming");

interface RuntimeGlobal {
  streamifyResponse<T extends object>(handler: T): T;
  HttpResponseStream: { from<T>(stream: T, prelude: object): T };
}

/** Runs `fn` with no awslambda global, restoring whatever was there after. */
function withoutGlobal(fn: (scope: { awslambda?: unknown }) => void): void {
  const scope = globalThis as { awslambda?: unknown };
  const saved = scope.awslambda;
  delete scope.awslambda;
  try {
    fn(scope);
  } finally {
    if (saved === undefined) delete scope.awslambda;
    else scope.awslambda = saved;
  }
}

describe("useRuntimeGlobal", () => {
  it("defines awslambda until the last user releases it", () => {
    withoutGlobal((scope) => {
      const first = useRuntimeGlobal();
      const second = useRuntimeGlobal();
      assert.equal(typeof (scope.awslambda as RuntimeGlobal).streamifyResponse, "function");
      first();
      first();
      assert.notEqual(scope.awslambda, undefined);
      second();
      assert.equal(scope.awslambda, undefined);
    });
  });

  it("leaves an awslambda global it did not define", () => {
    withoutGlobal((scope) => {
      const own = { mine: true };
      scope.awslambda = own;
      useRuntimeGlobal()();
      assert.equal(scope.awslambda, own);
    });
  });

  it("marks a handler as the runtime does, and writes the prelude, then 8 NUL bytes", () => {
    withoutGlobal((scope) => {
      const release = useRuntimeGlobal();
      try {
        const runtime = scope.awslambda as RuntimeGlobal;
        const handler = runtime.streamifyResponse(async () => {});
        assert.equal((handler as unknown as Record<symbol, unknown>)[STREAMING], "response");
        const written: (string | Uint8Array)[] = [];
        let type: string | undefined;
        const stream = {
          setContentType: (t: string) => {
            type = t;
          },
          write: (chunk: string | Uint8Array) => written.push(chunk),
        };
        assert.equal(runtime.HttpResponseStream.from(stream, { statusCode: 201 }), stream);
        assert.equal(type, "application/vnd.awslambda.http-integration-response");
        assert.deepEqual(written, ['{"statusCode":201}', new Uint8Array(8)]);
      } finally {
        release();
      }
    });
  });
});

describe("isStreamingHandler", () => {
  it("knows a handler by the runtime's mark, which the library's streaming handler carries", () => {
    withoutGlobal(() => {
      const api = createApi();
      assert.equal(
        isStreamingHandler(Object.assign(async () => {}, { [STREAMING]: "response" })),
        true,
      );
      assert.equal(isStreamingHandler(streamingHandler(api)), true);
      assert.equal(isStreamingHandler(api.handler), false);
      assert.equal(
        isStreamingHandler(async () => {}),
        false,
      );
    });
  });
});

describe("notAHandler", () => {
  const fn = () => undefined;
  for (const [value, what] of [
    [42, "a number (42)"],
    [true, "a boolean (true)"],
    [null, "null"],
    [undefined, "undefined"],
    [[fn], "an array"],
    [{ handler: fn }, "an object"],
    ["x".repeat(50), `a string ("${"x".repeat(40)}…")`],
  ] as const) {
    it(`names ${what} as what the export is`, () => {
      const refusal = notAHandler("app.ts", "handler", { handler: value, other: fn });
      assert.deepEqual(refusal, {
        message: `app.ts exports "handler" as ${what}, not a handler function`,
        details:
          'expected a handler function (set with --handler); the handlers it exports: "other"\n',
      });
    });
  }

  it("says when the entry exports nothing at all", () => {
    assert.deepEqual(notAHandler("app.ts", "handler", {}), {
      message: 'app.ts has no export named "handler"',
      details:
        "expected the name of an exported handler function (set with --handler); it exports no function (its exports: none)\n",
    });
  });
});
