// SQS standard and FIFO batches → `batchItemFailures`, naming every record that was not served.

import { UnsupportedEventError } from "../errors.js";
import {
  type BatchOptions,
  type BatchRecord,
  parseBody,
  type RecordResult,
  type RunRecord,
  runConcurrently,
  runRecord,
} from "./run.js";
import { kindOf, quote } from "../util/describe.js";
import { type Json, obj } from "../util/json.js";

/** The partial batch response an SQS event source mapping with `ReportBatchItemFailures` reads. */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * The request an SQS body carries. A queue subscribed to an SNS topic without raw message
 * delivery receives SNS's notification envelope (sqs/powertools-py-fifo-sns-envelope.json):
 * the request is then its `Message`.
 */
function sqsRequest(body: unknown): unknown {
  const value = parseBody(body, "SQS message body");
  const envelope = obj(value);
  if (
    envelope &&
    envelope.Type === "Notification" &&
    typeof envelope.TopicArn === "string" &&
    typeof envelope.Message === "string"
  ) {
    return parseBody(envelope.Message, "SNS Message inside the SQS message body");
  }
  return value;
}

/**
 * The records of an SQS event.
 * @throws UnsupportedEventError before any record runs when a record has no `messageId`: a
 * partial batch response could not name it, so the whole batch fails and nothing is lost.
 */
function sqsRecords(records: readonly unknown[]): BatchRecord[] {
  return records.map((raw, index) => {
    const record = obj(raw);
    const id = record?.messageId;
    if (typeof id !== "string" || id === "") {
      const got = !record
        ? `a record that is ${kindOf(raw)}`
        : typeof id === "string"
          ? quote(id)
          : id === undefined
            ? "none"
            : kindOf(id);
      throw new UnsupportedEventError(
        `SQS record ${index} has no messageId (got ${got}); expected a non-empty string, ` +
          "since a partial batch response names records by it. No record of the batch was run.",
      );
    }
    return { index, messageId: id, record: raw, request: () => sqsRequest(record!.body) };
  });
}

/** Whether the batch comes from a FIFO queue: a `.fifo` queue ARN, or a `MessageGroupId`. */
export function isFifo(records: readonly unknown[]): boolean {
  return records.some((raw) => {
    const record = obj(raw);
    const arn = record?.eventSourceARN;
    return (
      (typeof arn === "string" && arn.endsWith(".fifo")) ||
      typeof obj(record?.attributes)?.MessageGroupId === "string"
    );
  });
}

/**
 * FIFO: one record at a time, in order. After the first failure no later record runs; each is
 * reported failed so that SQS redelivers it after the failed one, keeping the group's order.
 */
async function runInOrder(
  records: readonly BatchRecord[],
  run: RunRecord,
): Promise<RecordResult[]> {
  const results: RecordResult[] = [];
  let stopped = false;
  for (const record of records) {
    if (stopped) {
      results.push({ record, answer: undefined, failed: true });
      continue;
    }
    const result = await runRecord("sqs", record, run);
    results.push(result);
    stopped = result.failed;
  }
  return results;
}

/**
 * Runs an SQS batch: records of a standard queue concurrently (at most `concurrency` at once),
 * records of a FIFO queue in order. The result names every record whose answer was >= 400,
 * whose body was not a request, or that was not run, each once.
 */
export async function runSqs(
  event: Json,
  run: RunRecord,
  options: BatchOptions = {},
): Promise<SqsBatchResponse> {
  const raw = Array.isArray(event.Records) ? (event.Records as unknown[]) : [];
  const records = sqsRecords(raw);
  const results = isFifo(raw)
    ? await runInOrder(records, run)
    : await runConcurrently("sqs", records, run, options.concurrency);
  const named = new Set<string>();
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const { record, failed } of results) {
    if (!failed || named.has(record.messageId)) continue;
    named.add(record.messageId);
    batchItemFailures.push({ itemIdentifier: record.messageId });
  }
  return { batchItemFailures };
}
