// Shared by every batch source: the record model, running records under a limit, and the failure error.

import type { RecordOrigin } from "../request.js";
import { defineBrand } from "../util/brand.js";
import { cut, errorReason, quote, REASON_MAX } from "../util/describe.js";

/** What one record's run answered: its HTTP status, and why it failed when the status alone does not say. */
export interface RecordAnswer {
  readonly status: number;
  /** Why the record failed beyond its status: a body that is not a request, an uncaught error. */
  readonly reason?: string;
}

/**
 * Runs one record's request through the whole pipeline and writes its access-log line.
 * `request()` returns the record's request event, or throws when the body is not JSON; the
 * runner answers such a record (and one whose JSON is not an HTTP request) 400 with a `reason`,
 * after logging it, instead of throwing.
 */
export type RunRecord = (request: () => unknown, origin: RecordOrigin) => Promise<RecordAnswer>;

/** The request a {@link BatchOptions.toRequest} mapper makes of an ordinary message. */
export interface MessageRequest {
  /** @default "POST" */
  readonly method?: string;
  /** The path, percent-encoded as in a URL, with an optional `?query`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string or bytes as is; anything else is sent as JSON. */
  readonly body?: unknown;
}

/**
 * Maps a record whose message is not an HTTP request to one. `message` is the message parsed as
 * JSON, else its text; `record` is the raw record. Returning nothing, or throwing, fails the record.
 */
export type ToRequest = (
  message: unknown,
  record: unknown,
) => MessageRequest | undefined | Promise<MessageRequest | undefined>;

/** How records of a batch are run. */
export interface BatchOptions {
  /**
   * Routes ordinary messages (`{"orderId": 1}`): each record whose message is not an API
   * Gateway-format request is given to this function, and the request it returns is served.
   * Without it such a record is answered 400 and reported failed.
   */
  readonly toRequest?: ToRequest;
  /**
   * How many records of a standard SQS queue, an SNS or an MQ batch run at once.
   * @default Infinity (all at once)
   */
  readonly concurrency?: number;
}

/** One record of a batch, whatever its source. */
export interface BatchRecord {
  /** Its position in the batch (MQ: across every queue of a RabbitMQ event). */
  readonly index: number;
  /** The id the source knows it by: SQS `messageId`, SNS `MessageId`, MQ message id. */
  readonly messageId: string;
  /** The raw record, for `request.record`. */
  readonly record: unknown;
  /** The request event the record carries; throws RecordBodyError when there is none. */
  readonly request: () => unknown;
}

/** What became of one record; `answer` is undefined when it was not run (FIFO, after a failure). */
export interface RecordResult {
  readonly record: BatchRecord;
  readonly answer: RecordAnswer | undefined;
  readonly failed: boolean;
}

/**
 * Thrown by a record's `request()` when its body cannot be a request: missing, not text, not JSON.
 * Thrown and caught inside one copy of the library, so it carries no brand.
 */
export class RecordBodyError extends Error {
  /** The message text when there was one (not JSON, or empty), for a `toRequest` mapper. */
  readonly text: string | undefined;

  constructor(message: string, text?: string) {
    super(message);
    this.name = "RecordBodyError";
    this.text = text;
  }
}

/**
 * Parses a record's body text as the JSON request event it carries.
 * @param what names the field in the error message (`SQS message body`, `SNS Message`).
 * @throws RecordBodyError naming what is wrong, with the text quoted and cut short.
 */
export function parseBody(text: unknown, what: string): unknown {
  const expected = "expected an API Gateway-format request as JSON text";
  if (typeof text !== "string") {
    const got =
      text === undefined ? "missing" : `not a string (${text === null ? "null" : typeof text})`;
    throw new RecordBodyError(`The ${what} is ${got}; ${expected}`);
  }
  if (text.trim() === "") throw new RecordBodyError(`The ${what} is empty; ${expected}`, text);
  try {
    return JSON.parse(text);
  } catch {
    throw new RecordBodyError(`The ${what} is not JSON: ${quote(text)}; ${expected}`, text);
  }
}

/** Whether an answer counts as a failure: status >= 400, or no usable status at all. */
function failedAnswer(answer: RecordAnswer): boolean {
  return !(answer.status < 400) || answer.reason !== undefined;
}

/**
 * Runs one record. The runner logs and answers every outcome itself; should it throw all the
 * same (a logger that throws, say), the record still counts as failed, never escapes.
 */
export async function runRecord(
  source: RecordOrigin["source"],
  record: BatchRecord,
  run: RunRecord,
): Promise<RecordResult> {
  let answer: RecordAnswer;
  try {
    answer = await run(record.request, {
      source,
      messageId: record.messageId,
      record: record.record,
    });
  } catch (error) {
    answer = {
      status: 500,
      reason: `the record's run threw ${errorReason(error, { name: true })}`,
    };
  }
  return { record, answer, failed: failedAnswer(answer) };
}

/**
 * Runs every record, at most `limit` at once, and returns the results in record order. Each
 * record runs exactly once; a run never rejects (see {@link runRecord}).
 */
export async function runConcurrently(
  source: RecordOrigin["source"],
  records: readonly BatchRecord[],
  run: RunRecord,
  limit = Number.POSITIVE_INFINITY,
): Promise<RecordResult[]> {
  if (limit >= records.length) {
    return Promise.all(records.map((record) => runRecord(source, record, run)));
  }
  const results: RecordResult[] = new Array(records.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < records.length) {
      const index = next++;
      results[index] = await runRecord(source, records[index]!, run);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

const batchFailureBrand = defineBrand<BatchFailureError>("BatchFailureError");

/** One failed record, as {@link BatchFailureError} lists it. */
export interface BatchFailure {
  readonly index: number;
  readonly messageId: string;
  readonly status: number;
  readonly reason?: string;
}

const LISTED = 20;

/**
 * Thrown by `api.handler` after running every record of an SNS or Amazon MQ batch when any of
 * them failed: these sources have no partial-failure response, so the invocation fails and
 * Lambda retries (SNS, MQ) the whole batch. The message names each failed record, its status
 * and reason; `failures` lists them all.
 */
export class BatchFailureError extends Error {
  static {
    batchFailureBrand.mark(BatchFailureError);
  }

  readonly source: "sns" | "mq";
  readonly failures: readonly BatchFailure[];

  constructor(source: "sns" | "mq", failures: readonly BatchFailure[], total: number) {
    const shown = failures.slice(0, LISTED).map((f) => {
      const why = f.reason === undefined ? "" : ` (${cut(f.reason, REASON_MAX)})`;
      // Ids are kept whole: an Amazon MQ message id runs past the length of a quoted value.
      return `#${f.index} ${quote(f.messageId, REASON_MAX)} ${f.status}${why}`;
    });
    const more = failures.length > LISTED ? `; and ${failures.length - LISTED} more` : "";
    super(
      `${failures.length} of ${total} ${source === "sns" ? "SNS" : "Amazon MQ"} records failed, ` +
        `so the invocation fails for the batch to be retried: ${shown.join("; ")}${more}`,
    );
    this.name = "BatchFailureError";
    this.source = source;
    this.failures = failures;
  }
}

/** Whether `value` is a {@link BatchFailureError}, from this copy of the library or another. */
export const isBatchFailureError: (value: unknown) => value is BatchFailureError =
  batchFailureBrand.is;

/** Throws one {@link BatchFailureError} naming every failed record, if any failed. */
export function throwIfFailed(source: "sns" | "mq", results: readonly RecordResult[]): void {
  const failures: BatchFailure[] = [];
  for (const { record, answer, failed } of results) {
    if (!failed) continue;
    failures.push({
      index: record.index,
      messageId: record.messageId,
      status: answer?.status ?? 500,
      ...(answer?.reason === undefined ? {} : { reason: answer.reason }),
    });
  }
  if (failures.length > 0) throw new BatchFailureError(source, failures, results.length);
}
