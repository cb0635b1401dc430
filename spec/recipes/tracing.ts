// The Powertools Tracer recipe of docs/composition.md, run by tracing.test.ts; the docs hold the same code.

import { Tracer } from "@aws-lambda-powertools/tracer";
import type { Middleware } from "../../lib/index.js";

export const tracer = new Tracer({ serviceName: "items" });

/** One X-Ray subsegment per request, named after its route; 4xx flagged error, 5xx fault. */
export const tracing: Middleware = async ({ request, route }, next) => {
  const parent = tracer.getSegment();
  const segment = parent?.addNewSubsegment(`## ${request.method} ${route ?? "unmatched"}`);
  if (segment) tracer.setSegment(segment);
  try {
    tracer.putAnnotation("route", route ?? "unmatched");
    const answer = await next();
    const status = answer.status ?? 200;
    if (status >= 500) segment?.addFaultFlag();
    else if (status >= 400) segment?.addErrorFlag();
    return answer;
  } catch (error) {
    // An uncaught error: recorded on the subsegment, then left to the default handling.
    tracer.addErrorAsMetadata(error as Error);
    throw error;
  } finally {
    segment?.close();
    if (parent) tracer.setSegment(parent);
  }
};
