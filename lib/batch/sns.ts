// SNS batches: every record runs; when any failed, one error names them so that Lambda retries.

import {
  type BatchOptions,
  type BatchRecord,
  parseBody,
  type RunRecord,
  runConcurrently,
  throwIfFailed,
} from "./run.js";
import { type Json, obj } from "../util/json.js";

/** The records of an SNS event: the request is each record's `Sns.Message`. */
function snsRecords(records: readonly unknown[]): BatchRecord[] {
  return records.map((raw, index) => {
    const sns = obj(obj(raw)?.Sns);
    const id = sns?.MessageId;
    return {
      index,
      // A record without an id still runs and, when it fails, is named by its position.
      messageId: typeof id === "string" && id !== "" ? id : `record ${index}`,
      record: raw,
      request: () => parseBody(sns?.Message, "SNS Message"),
    };
  });
}

/**
 * Runs an SNS batch (Lambda sends one record per invocation today; more are run alike, at most
 * `concurrency` at once).
 * @throws BatchFailureError after every record ran, naming each failed one, when any failed.
 */
export async function runSns(
  event: Json,
  run: RunRecord,
  options: BatchOptions = {},
): Promise<void> {
  const raw = Array.isArray(event.Records) ? (event.Records as unknown[]) : [];
  throwIfFailed("sns", await runConcurrently("sns", snsRecords(raw), run, options.concurrency));
}
