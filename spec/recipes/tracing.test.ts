// The Tracer recipe with the real @aws-lambda-powertools/tracer in Lambda mode: the subsegments it sends to an X-Ray daemon on 127.0.0.1.

import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { createApi, HTTPException } from "../../lib/index.js";
import { inject } from "../../lib/testing/index.js";

/** One subsegment document as the X-Ray SDK streams it to the daemon. */
interface Subsegment {
  name: string;
  type: string;
  trace_id: string;
  parent_id: string;
  annotations?: Record<string, unknown>;
  error?: boolean;
  fault?: boolean;
  cause?: { exceptions: { message: string; type: string }[] };
}

// A stand-in X-Ray daemon: the SDK sends each closed subsegment as one UDP datagram,
// `{"format":"json","version":1}\n{...}`. Lambda mode is read from the environment when the
// SDK loads, so the recipe is imported only after the environment is set.
const daemon = createSocket("udp4");
const received: Subsegment[] = [];
daemon.on("message", (message) => {
  const text = message.toString("utf8");
  received.push(JSON.parse(text.slice(text.indexOf("\n") + 1)) as Subsegment);
});
await new Promise<void>((resolve) => daemon.bind(0, "127.0.0.1", resolve));
const TRACE = "1-5759e988-bd862e3fe1be46a994272793";
Object.assign(process.env, {
  AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
  AWS_XRAY_CONTEXT_MISSING: "IGNORE_ERROR",
  AWS_EXECUTION_ENV: "AWS_Lambda_nodejs20.x",
  LAMBDA_TASK_ROOT: "/var/task",
  POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: "false",
  _X_AMZN_TRACE_ID: `Root=${TRACE};Parent=53995c3f42cd8ad8;Sampled=1`,
});
const { tracer, tracing } = await import("./tracing.js");

after(() => daemon.close());

const api = createApi({ accessLog: false })
  .use(tracing)
  .get("/items/{id}", ({ params }) => ({ id: params.id }))
  .get("/missing", () => {
    throw new HTTPException(404);
  })
  .get("/boom", () => {
    throw new Error("boom");
  });

/** Waits for `count` subsegments (datagrams on loopback arrive at once; the bound only stops a hang). */
async function subsegments(count: number): Promise<Subsegment[]> {
  for (let i = 0; i < 200 && received.length < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return received.splice(0, received.length);
}

describe("recipe: Powertools Tracer", () => {
  it("runs with tracing on (Lambda mode)", () => {
    assert.equal(tracer.isTracingEnabled(), true);
  });

  it("sends one subsegment per request, named after the route, under the invocation's trace", async () => {
    const res = await inject(api, { path: "/items/7" });
    assert.equal(res.status, 200);
    const [one, ...rest] = await subsegments(1);
    assert.deepEqual(rest, []);
    assert.equal(one!.name, "## GET /items/{id}");
    assert.equal(one!.type, "subsegment");
    assert.equal(one!.trace_id, TRACE);
    assert.equal(one!.parent_id, "53995c3f42cd8ad8");
    assert.deepEqual(one!.annotations, { route: "/items/{id}" });
    assert.equal(one!.error, undefined);
    assert.equal(one!.fault, undefined);
  });

  it("flags a 4xx answer as an error", async () => {
    await inject(api, { path: "/missing" });
    const [one] = await subsegments(1);
    assert.equal(one!.name, "## GET /missing");
    assert.equal(one!.error, true);
    assert.equal(one!.fault, undefined);
  });

  it("names a request no route matched ## <method> unmatched", async () => {
    await inject(api, { method: "DELETE", path: "/nowhere" });
    const [one] = await subsegments(1);
    assert.equal(one!.name, "## DELETE unmatched");
    assert.equal(one!.error, true);
  });

  it("records an uncaught error as a fault with its message, and lets it reach Lambda", async () => {
    await assert.rejects(inject(api, { path: "/boom" }), { message: "boom" });
    const [one] = await subsegments(1);
    assert.equal(one!.name, "## GET /boom");
    assert.equal(one!.fault, true);
    assert.equal(one!.cause?.exceptions[0]?.message, "boom");
  });

  it("is shown verbatim in docs/composition.md", () => {
    const docs = readFileSync(new URL("../../docs/composition.md", import.meta.url), "utf8");
    const code = readFileSync(new URL("./tracing.ts", import.meta.url), "utf8");
    const body = code
      .slice(code.indexOf("\n\n") + 2)
      .replace('"../../lib/index.js"', '"aio-lambda-api"');
    assert.ok(docs.includes(body), "docs/composition.md holds spec/recipes/tracing.ts");
  });
});
