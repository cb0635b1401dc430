// Batches of SQS, SNS and Amazon MQ records carrying API requests: each record runs as a request, none is lost.

import { runMq } from "./mq.js";
import type { BatchOptions, RunRecord } from "./run.js";
import { runSns } from "./sns.js";
import { runSqs, type SqsBatchResponse } from "./sqs.js";

export {
  type BatchFailure,
  BatchFailureError,
  type BatchOptions,
  isBatchFailureError,
  type RecordAnswer,
  RecordBodyError,
  type RunRecord,
} from "./run.js";
export type { SqsBatchResponse } from "./sqs.js";

/** The batch sources `api.handler` recognizes. */
export type BatchSource = "sqs" | "sns" | "mq";

/**
 * Runs a batch event, each record through `run`; the result is what the source expects.
 * SQS resolves to `{ batchItemFailures }` naming every failed record (FIFO: the first failure
 * and every record after it). SNS and MQ resolve to `undefined` when every record succeeded.
 * @throws BatchFailureError for SNS and MQ, after every record ran, when any record failed.
 * @throws UnsupportedEventError, before any record runs, when the envelope itself is malformed
 * (an SQS record without `messageId`, an MQ event whose `eventSource` does not fit its shape).
 */
export async function runBatch(
  source: BatchSource,
  event: Record<string, unknown>,
  run: RunRecord,
  options: BatchOptions = {},
): Promise<SqsBatchResponse | undefined> {
  switch (source) {
    case "sqs":
      return runSqs(event, run, options);
    case "sns":
      await runSns(event, run, options);
      return undefined;
    default:
      await runMq(event, run, options);
      return undefined;
  }
}
