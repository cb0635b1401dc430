// Batches of SQS, SNS and Amazon MQ records carrying API requests (issue 5 fills this in).

import { UnsupportedEventError } from "../errors.js";
import type { Reply } from "../reply.js";
import type { RecordOrigin } from "../request.js";

/** Runs one record's request through the pipeline; throws when the body is not a request. */
export type RunRecord = (requestEvent: unknown, origin: RecordOrigin) => Promise<Reply>;

/** The batch sources `api.handler` recognizes. */
export type BatchSource = "sqs" | "sns" | "mq";

/** Runs a batch event; the result is what the source expects. */
export async function runBatch(
  source: BatchSource,
  _event: Record<string, unknown>,
  _run: RunRecord,
): Promise<unknown> {
  throw new UnsupportedEventError(`aio-lambda-api cannot handle ${source} batches yet`);
}
