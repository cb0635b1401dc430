// Type tests (compiled by tsc, never run): request.event typed by kind, request.record by source, request.context as Lambda's.

import type { Context } from "aws-lambda";
import {
  createApi,
  type HttpApiEvent,
  type LambdaContext,
  type LambdaRuntimeContext,
  type MqMessage,
  type Request,
  type RestEvent,
  type SnsRecord,
  type SqsRecord,
} from "../lib/index.js";
import { fakeContext } from "../lib/inject.js";

/** True when A and B are the same type (not merely assignable either way). */
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only when T is true. */
type Expect<T extends true> = T;

declare const request: Request;

export function unnarrowed(): unknown {
  const kind: Request["kind"] = request.kind;
  // @ts-expect-error an HTTP API field is not there before narrowing on kind
  const method: string = request.event.requestContext.http.method;
  // @ts-expect-error nor a batch record's before narrowing on source
  const body: string = request.record.body;
  return [kind, method, body];
}

export function narrowsEventByKind(): string {
  if (request.kind === "http-api") {
    type Tests = [
      Expect<Equal<typeof request.event, HttpApiEvent>>,
      Expect<Equal<typeof request.event.requestContext.http.method, string>>,
    ];
    const tests: Tests = [true, true];
    return `${tests.length}${request.event.requestContext.http.method}`;
  }
  if (request.kind === "rest") {
    type Tests = [
      Expect<Equal<typeof request.event, RestEvent>>,
      Expect<Equal<typeof request.event.requestContext.stage, string>>,
      // A field the library does not type is there to read, as unknown.
      Expect<Equal<typeof request.event.somethingNew, unknown>>,
    ];
    const tests: Tests = [true, true, true];
    return `${tests.length}`;
  }
  if (request.kind === "web") {
    type Tests = [
      Expect<Equal<typeof request.event, globalThis.Request>>,
      // No Lambda invocation under fetchHandler.
      Expect<Equal<typeof request.context, undefined>>,
      Expect<Equal<typeof request.record, undefined>>,
      Expect<Equal<typeof request.source, "http">>,
    ];
    const tests: Tests = [true, true, true, true];
    return `${tests.length}${request.event.url}`;
  }
  // @ts-expect-error function-url, alb, direct or lattice: not all of them have this field
  return request.event.requestContext.http.method;
}

export function narrowsRecordBySource(): string | undefined {
  if (request.source === "sqs") {
    type Tests = [Expect<Equal<typeof request.record, SqsRecord>>];
    const tests: Tests = [true];
    return `${tests.length}${request.record.body}${request.record.eventSourceARN}`;
  }
  if (request.source === "sns") {
    type Tests = [Expect<Equal<typeof request.record, SnsRecord>>];
    const tests: Tests = [true];
    return `${tests.length}${request.record.Sns.TopicArn}`;
  }
  if (request.source === "mq") {
    type Tests = [Expect<Equal<typeof request.record, MqMessage>>];
    const tests: Tests = [true];
    return `${tests.length}${request.record.data}`;
  }
  type Tests = [
    Expect<Equal<typeof request.record, undefined>>,
    Expect<Equal<typeof request.source, "http" | "lattice">>,
  ];
  const tests: Tests = [true, true];
  // A record's request is never a web Request.
  if (request.kind === "web") return `${tests.length}`;
  // @ts-expect-error an SQS record's fields are not there before narrowing on source
  return request.record.body;
}

export function contextIsLambdas(): number {
  type Tests = [
    Expect<Equal<typeof request.context, LambdaRuntimeContext | undefined>>,
    Expect<Equal<NonNullable<typeof request.context>["awsRequestId"], string>>,
    Expect<Equal<NonNullable<typeof request.context>["memoryLimitInMB"], string>>,
    Expect<Equal<NonNullable<typeof request.context>["callbackWaitsForEmptyEventLoop"], boolean>>,
  ];
  const tests: Tests = [true, true, true, true];
  return tests.length + (request.context?.getRemainingTimeInMillis() ?? 0);
}

// @types/aws-lambda's Context is a LambdaRuntimeContext, and that is what the handler accepts.
declare const awsContext: Context;
export const fromAws: LambdaRuntimeContext = awsContext;
export const accepted: LambdaContext = fakeContext();
export const complete: LambdaRuntimeContext = fakeContext();

// Route code narrows the request it is given.
export const api = createApi().get("/", ({ request: r }) =>
  r.kind === "function-url" ? r.event.requestContext.domainName : r.source,
);

// A test's partial context is still accepted by the handler.
export const partial: Promise<unknown> = api.handler({}, { awsRequestId: "x" });
