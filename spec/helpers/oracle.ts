// The fuzzing oracle: what a well-formed answer to any event is, and everything wrong with one invocation.

import { isBatchFailureError } from "../../lib/batch/index.js";
import { isFifo } from "../../lib/batch/sqs.js";
import { UnsupportedEventError } from "../../lib/errors.js";
import { detectEvent, type EventType } from "../../lib/events/detect.js";
import { decodeBase64 } from "../../lib/util/body.js";
import type { LogLine } from "./log.js";

/** What one invocation came to. */
export type Outcome =
  | { readonly kind: "resolved"; readonly value: unknown }
  | { readonly kind: "rejected"; readonly error: unknown }
  | { readonly kind: "hung" };

const UNSAFE = /[\r\n\0]/;
const RESULT_KEYS = new Set([
  "statusCode",
  "statusDescription",
  "headers",
  "multiValueHeaders",
  "cookies",
  "body",
  "isBase64Encoded",
]);

type Json = Record<string, unknown>;
const obj = (value: unknown): Json | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;

/** What is wrong with an HTTP result, if anything: shape, status, header values, body. */
export function resultProblems(result: unknown): string[] {
  const r = obj(result);
  if (!r) return [`the result is not an object: ${String(result)}`];
  const found: string[] = [];
  for (const key in r) if (!RESULT_KEYS.has(key)) found.push(`unexpected result key ${key}`);
  const status = r.statusCode;
  if (!(Number.isInteger(status) && (status as number) >= 100 && (status as number) <= 599)) {
    found.push(`statusCode ${String(status)} is not an integer from 100 to 599`);
  }
  if (typeof r.body !== "string") found.push(`body is ${typeof r.body}, not a string`);
  if (typeof r.isBase64Encoded !== "boolean") found.push("isBase64Encoded is not a boolean");
  if (r.isBase64Encoded === true && typeof r.body === "string" && !decodeBase64(r.body)) {
    found.push("isBase64Encoded is true but the body is not base64");
  }
  const text = (what: string, value: unknown) => {
    if (typeof value !== "string") found.push(`${what} is ${typeof value}, not a string`);
    else if (UNSAFE.test(value))
      found.push(`${what} holds CR, LF or NUL: ${JSON.stringify(value)}`);
  };
  if ("statusDescription" in r) text("statusDescription", r.statusDescription);
  if (r.headers === undefined && r.multiValueHeaders === undefined) found.push("no headers at all");
  if (r.headers !== undefined) {
    const headers = obj(r.headers);
    if (!headers) found.push("headers is not an object");
    for (const name in headers) text(`header ${JSON.stringify(name)}`, headers[name]);
  }
  if (r.multiValueHeaders !== undefined) {
    const multi = obj(r.multiValueHeaders);
    if (!multi) found.push("multiValueHeaders is not an object");
    for (const name in multi) {
      const values = multi[name];
      if (!Array.isArray(values)) found.push(`multiValueHeaders ${name} is not an array`);
      else for (const value of values) text(`header ${JSON.stringify(name)}`, value);
    }
  }
  if (r.cookies !== undefined) {
    if (!Array.isArray(r.cookies)) found.push("cookies is not an array");
    else for (const cookie of r.cookies) text("a cookie", cookie);
  }
  try {
    JSON.stringify(r);
  } catch (error) {
    found.push(`the result cannot be sent as JSON: ${String(error)}`);
  }
  return found;
}

function recordCount(type: EventType, event: Json): number {
  if (type !== "mq") return Array.isArray(event.Records) ? event.Records.length : 0;
  if (Array.isArray(event.messages)) return event.messages.length;
  const queues = obj(event.rmqMessagesByQueue) ?? {};
  return Object.values(queues).reduce<number>(
    (sum, list) => sum + (Array.isArray(list) ? list.length : 0),
    0,
  );
}

const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message.slice(0, 300)}` : String(error);

/** The kind `batchHandler(api)` must treat `event` as, or "unsupported" when it must refuse it. */
export function expectedKind(event: unknown): EventType | "unsupported" {
  try {
    return detectEvent(event);
  } catch {
    return "unsupported";
  }
}

/**
 * Everything wrong with one invocation's outcome and log lines, given the kind of its event:
 * an HTTP event answers a well-formed result and writes exactly one access-log line with the
 * same status; a batch answers its source's shape or a documented batch error; anything else is
 * refused with UnsupportedEventError and no line. No line is ever CRITICAL (no route of the
 * fuzz app throws anything but HTTPException).
 */
export function problems(
  kind: EventType | "unsupported",
  event: unknown,
  outcome: Outcome,
  lines: readonly LogLine[],
): string[] {
  if (outcome.kind === "hung") return ["the handler did not settle"];
  const found: string[] = [];
  const critical = lines.filter((line) => line.level === "CRITICAL");
  if (critical.length > 0)
    found.push(`critical line: ${String(critical[0]!.error_detail).slice(0, 400)}`);
  if (kind === "unsupported") {
    if (outcome.kind !== "rejected" || !(outcome.error instanceof UnsupportedEventError)) {
      found.push(
        `expected UnsupportedEventError, got ${outcome.kind === "rejected" ? describeError(outcome.error) : "a result"}`,
      );
    }
    if (lines.length > 0) found.push(`${lines.length} log lines for a refused event`);
    return found;
  }
  const records = recordCount(kind, event as Json);
  if (kind === "sqs") {
    if (outcome.kind === "rejected") {
      if (
        !(outcome.error instanceof UnsupportedEventError) ||
        !/messageId/.test(String(outcome.error))
      ) {
        found.push(`SQS batch rejected with ${describeError(outcome.error)}`);
      }
      return found;
    }
    const failures = obj(outcome.value)?.batchItemFailures;
    if (!Array.isArray(failures)) return [...found, "no batchItemFailures list"];
    const ids = new Set(((event as Json).Records as Json[]).map((record) => record.messageId));
    for (const failure of failures) {
      if (!ids.has(obj(failure)?.itemIdentifier))
        found.push(`unknown failure ${JSON.stringify(failure)}`);
    }
    const fifo = isFifo((event as Json).Records as unknown[]);
    const ok = fifo
      ? lines.length >= Math.min(1, records) && lines.length <= records
      : lines.length === records;
    if (!ok)
      found.push(`${lines.length} log lines for ${records} SQS records${fifo ? " (FIFO)" : ""}`);
    return found;
  }
  if (kind === "sns" || kind === "mq") {
    if (outcome.kind === "rejected") {
      if (kind === "mq" && outcome.error instanceof UnsupportedEventError) return found;
      if (!isBatchFailureError(outcome.error))
        found.push(`${kind} batch rejected with ${describeError(outcome.error)}`);
    } else if (outcome.value !== undefined) {
      found.push(`${kind} batch resolved to ${JSON.stringify(outcome.value)}`);
    }
    if (lines.length !== records)
      found.push(`${lines.length} log lines for ${records} ${kind} records`);
    return found;
  }
  if (outcome.kind === "rejected")
    return [...found, `HTTP event rejected: ${describeError(outcome.error)}`];
  found.push(...resultProblems(outcome.value));
  if (lines.length !== 1) return [...found, `${lines.length} access-log lines, expected 1`];
  return [...found, ...agreement(obj(outcome.value) ?? {}, lines[0]!)];
}

function headerOf(result: Json, name: string): unknown {
  const single = obj(result.headers)?.[name];
  const multi = obj(result.multiValueHeaders)?.[name];
  return single ?? (Array.isArray(multi) ? multi[0] : undefined);
}

/**
 * What the answer and its log line disagree on: status, request id; and what the answer breaks:
 * a HEAD answer with a body, a JSON content type on a body that is not JSON.
 */
function agreement(result: Json, line: LogLine): string[] {
  const found: string[] = [];
  if (line.status_code !== result.statusCode) {
    found.push(`logged status ${String(line.status_code)}, answered ${String(result.statusCode)}`);
  }
  if (headerOf(result, "x-request-id") !== line.id) {
    found.push(
      `x-request-id ${String(headerOf(result, "x-request-id"))} is not the logged id ${String(line.id)}`,
    );
  }
  if (line.method === "HEAD" && result.body !== "") found.push("a HEAD answer has a body");
  const type = headerOf(result, "content-type");
  if (
    typeof type === "string" &&
    type.includes("json") &&
    result.body !== "" &&
    !result.isBase64Encoded
  ) {
    try {
      JSON.parse(String(result.body));
    } catch {
      found.push(`a ${type} body is not JSON: ${String(result.body).slice(0, 100)}`);
    }
  }
  return found;
}
