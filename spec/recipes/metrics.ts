// The Powertools Metrics recipe of docs/composition.md, run by metrics.test.ts; the docs hold the same code.

import { MetricUnit, Metrics } from "@aws-lambda-powertools/metrics";
import type { Middleware } from "../../lib/index.js";

export const metrics = new Metrics({ namespace: "items", serviceName: "items" });

/** Latency, 4xx and 5xx of each route as one CloudWatch EMF line per request. */
export const metering: Middleware = async ({ request, route }, next) => {
  const started = performance.now();
  let status = 500; // stays 500 when an uncaught error rejects next()
  try {
    const answer = await next();
    status = answer.status ?? 200;
    return answer;
  } finally {
    // Synchronous from here to the flush, so requests of a batch running at once never mix.
    metrics.addDimension("route", `${request.method} ${route ?? "unmatched"}`);
    metrics.addMetric("latency", MetricUnit.Milliseconds, performance.now() - started);
    metrics.addMetric("4xx", MetricUnit.Count, status >= 400 && status < 500 ? 1 : 0);
    metrics.addMetric("5xx", MetricUnit.Count, status >= 500 ? 1 : 0);
    metrics.publishStoredMetrics();
  }
};
