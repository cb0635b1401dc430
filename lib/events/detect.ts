// The only reader of raw event shape: which kind of event this is, or a clear error naming what it is.

import { UnsupportedEventError } from "../errors.js";
import { cut, kindOf, quote } from "../util/describe.js";
import { type Json, obj } from "../util/json.js";

/**
 * Every kind of event served, by the name `detectEvent` gives it, and what it is: the
 * `request.kind` of the one HTTP request it carries, or `"batch"` for a batch of records.
 * The one list of event kinds: the types below, `request.kind` and `request.source` derive from it.
 */
export const EVENT_KINDS = {
  rest: "rest",
  "http-api": "http-api",
  "function-url": "function-url",
  alb: "alb",
  direct: "direct",
  "lattice-v1": "lattice",
  "lattice-v2": "lattice",
  sqs: "batch",
  sns: "batch",
  mq: "batch",
} as const;

/** What an event is, as `detectEvent` tells: an HTTP request of some kind, or a batch of records. */
export type EventType = keyof typeof EVENT_KINDS;

/** The event kinds that are batches of records (a record's request has them as `request.source`). */
export type BatchKind = {
  [K in EventType]: (typeof EVENT_KINDS)[K] extends "batch" ? K : never;
}[EventType];

/** The event kinds that are one HTTP request. */
export type HttpKind = Exclude<EventType, BatchKind>;

/** `request.kind`: the HTTP event kinds as a request names them (`web`: a web Request under `fetchHandler`). */
export type RequestKind = (typeof EVENT_KINDS)[HttpKind] | "web";

/** Whether an event kind is a batch of records. */
export function isBatch(type: EventType): type is BatchKind {
  return EVENT_KINDS[type] === "batch";
}

function keysOf(event: Json): string {
  const keys = Object.keys(event);
  const shown = keys.slice(0, 8).map((k) => cut(k));
  return keys.length === 0 ? "no keys" : `keys: ${shown.join(", ")}${keys.length > 8 ? ", …" : ""}`;
}

function unsupported(what: string, event?: Json): never {
  throw new UnsupportedEventError(
    `aio-lambda-api cannot handle this event: ${what}${event ? ` (${keysOf(event)})` : ""}. ` +
      "It serves API Gateway REST and HTTP APIs, Function URLs, ALB, VPC Lattice, direct invocations " +
      "in API Gateway format, and SQS, SNS and Amazon MQ batches of such requests.",
  );
}

/** Names of record sources that are not requests, for the error message. */
const SOURCE_NAMES: Readonly<Record<string, string>> = {
  "aws:kinesis": "a Kinesis stream batch",
  "aws:dynamodb": "a DynamoDB stream batch",
  "aws:s3": "an S3 notification",
  "aws:ses": "an SES notification",
  "aws:codecommit": "a CodeCommit trigger",
};

function recordsType(event: Json, records: unknown[]): EventType {
  const first = obj(records[0]);
  const source = first ? (first.eventSource ?? first.EventSource) : undefined;
  if (records.length === 0) return "sqs";
  if (source === "aws:sqs") return "sqs";
  if (source === "aws:sns") return "sns";
  if (typeof source === "string") {
    const name = (Object.hasOwn(SOURCE_NAMES, source) && SOURCE_NAMES[source]) || "a batch";
    return unsupported(`${name} (eventSource ${quote(source)})`);
  }
  return unsupported("a Records batch whose records have no eventSource", event);
}

/**
 * Tells which kind of event `event` is.
 * @throws UnsupportedEventError naming what was received, for anything that is not an HTTP
 * request or a supported batch: authorizer, WebSocket, Bedrock agent, Kinesis, DynamoDB, S3,
 * EventBridge events, `{}`, or a value that is not an object.
 */
export function detectEvent(event: unknown): EventType {
  const e = obj(event);
  if (!e) {
    // Its kind only: an event's content may be private.
    return unsupported(`expected an object, got ${kindOf(event)}`);
  }
  const context = obj(e.requestContext);
  // Authorizer events look like requests (other/powertools-ts-real-*-request-authorizer.json).
  if (
    typeof e.methodArn === "string" ||
    typeof e.routeArn === "string" ||
    e.type === "TOKEN" ||
    e.type === "REQUEST"
  ) {
    return unsupported("an API Gateway authorizer event", e);
  }
  if (
    context &&
    (typeof context.connectionId === "string" || typeof context.eventType === "string")
  ) {
    return unsupported("an API Gateway WebSocket event", e);
  }
  if (obj(e.agent) || typeof e.actionGroup === "string" || typeof e.apiPath === "string") {
    return unsupported("an Amazon Bedrock agent event", e);
  }
  if (Array.isArray(e.Records)) return recordsType(e, e.Records);
  if (
    typeof e.eventSource === "string" &&
    (Array.isArray(e.messages) || obj(e.rmqMessagesByQueue))
  ) {
    return "mq";
  }
  if (typeof e.rawPath === "string" && obj(context?.http)) {
    const domain = context?.domainName;
    return typeof domain === "string" && domain.includes(".lambda-url.")
      ? "function-url"
      : "http-api";
  }
  if (typeof e.raw_path === "string" && typeof e.method === "string") return "lattice-v1";
  if (
    typeof e.path === "string" &&
    typeof e.method === "string" &&
    context &&
    "serviceNetworkArn" in context
  ) {
    return "lattice-v2";
  }
  if (typeof e.httpMethod === "string" && typeof e.path === "string") {
    if (context && obj(context.elb)) return "alb";
    return context ? "rest" : "direct";
  }
  if (typeof e["detail-type"] === "string") return unsupported("an EventBridge event", e);
  if (Object.keys(e).length === 0) return unsupported("an empty object");
  return unsupported("not an HTTP request in a format it knows", e);
}
