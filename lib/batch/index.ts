// aio-lambda-api/batch: SQS, SNS and Amazon MQ records carrying API requests, each run as a request, none lost.

export {
  type BatchFailure,
  BatchFailureError,
  type BatchOptions,
  isBatchFailureError,
  type MessageRequest,
  type RecordAnswer,
  RecordBodyError,
  type RunRecord,
  type ToRequest,
} from "./run.js";
export type { SqsBatchResponse } from "./sqs.js";
export {
  type BatchHandler,
  type BatchHandlerResult,
  type BatchSource,
  batchHandler,
  runBatch,
} from "./handler.js";
