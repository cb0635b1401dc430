// The Metrics recipe with the real @aws-lambda-powertools/metrics: one EMF line per request, latency, 4xx and 5xx by route.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { createApi, HTTPException } from "../../lib/index.js";
import { captureOutput } from "../helpers/log.js";
import { metering } from "./metrics.js";
import { inject } from "../../lib/testing/index.js";

interface Emf {
  _aws: {
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

const api = createApi({ accessLog: false })
  .use(metering)
  .get("/items/{id}", ({ params }) => ({ id: params.id }))
  .get("/missing", () => {
    throw new HTTPException(404);
  })
  .get("/boom", () => {
    throw new Error("boom");
  });

async function emitted(send: () => Promise<unknown>): Promise<Emf[]> {
  const lines = await captureOutput(send);
  return lines.map((line) => JSON.parse(line) as Emf).filter((line) => "_aws" in line);
}

describe("recipe: Powertools Metrics", () => {
  it("writes one EMF line per request, with the route as a dimension", async () => {
    const [line, ...rest] = await emitted(() => inject(api, { path: "/items/7" }));
    assert.deepEqual(rest, []);
    const [directive] = line!._aws.CloudWatchMetrics;
    assert.equal(directive!.Namespace, "items");
    assert.deepEqual(directive!.Dimensions, [["service", "route"]]);
    assert.deepEqual(directive!.Metrics, [
      { Name: "latency", Unit: "Milliseconds" },
      { Name: "4xx", Unit: "Count" },
      { Name: "5xx", Unit: "Count" },
    ]);
    assert.equal(line!.service, "items");
    assert.equal(line!.route, "GET /items/{id}");
    assert.equal(typeof line!.latency, "number");
    assert.ok((line!.latency as number) >= 0);
    assert.equal(line!["4xx"], 0);
    assert.equal(line!["5xx"], 0);
  });

  // Rows: request, route dimension, 4xx, 5xx.
  const rows: [path: string, route: string, clientErrors: number, serverErrors: number][] = [
    ["/missing", "GET /missing", 1, 0],
    ["/nowhere", "GET unmatched", 1, 0],
  ];
  for (const [path, route, clientErrors, serverErrors] of rows) {
    it(`counts ${path} as ${route} with 4xx=${clientErrors}, 5xx=${serverErrors}`, async () => {
      const [line] = await emitted(() => inject(api, { path }));
      assert.equal(line!.route, route);
      assert.equal(line!["4xx"], clientErrors);
      assert.equal(line!["5xx"], serverErrors);
    });
  }

  it("counts an uncaught error as a 5xx, and the error still reaches Lambda", async () => {
    let rejected: unknown;
    const [line] = await emitted(async () => {
      await inject(api, { path: "/boom" }).catch((error: unknown) => {
        rejected = error;
      });
    });
    assert.equal((rejected as Error).message, "boom");
    assert.equal(line!.route, "GET /boom");
    assert.equal(line!["5xx"], 1);
    assert.equal(line!["4xx"], 0);
  });

  it("keeps the requests of a batch running at once apart", async () => {
    const lines = await emitted(() =>
      Promise.all([inject(api, { path: "/items/1" }), inject(api, { path: "/missing" })]),
    );
    assert.deepEqual(lines.map((line) => [line.route, line["4xx"]]).sort(), [
      ["GET /items/{id}", 0],
      ["GET /missing", 1],
    ]);
  });

  it("is shown verbatim in docs/composition.md", () => {
    const docs = readFileSync(new URL("../../docs/composition.md", import.meta.url), "utf8");
    const code = readFileSync(new URL("./metrics.ts", import.meta.url), "utf8");
    const body = code
      .slice(code.indexOf("\n\n") + 2)
      .replace('"../../lib/index.js"', '"aio-lambda-api"');
    assert.ok(docs.includes(body), "docs/composition.md holds spec/recipes/metrics.ts");
  });
});
