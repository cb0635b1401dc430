// Amazon MQ batches, ActiveMQ and RabbitMQ: every message runs; when any failed, one error names them.

import { UnsupportedEventError } from "../errors.js";
import { decodeBase64, strictUtf8 } from "../util/body.js";
import {
  type BatchOptions,
  type BatchRecord,
  parseBody,
  RecordBodyError,
  type RunRecord,
  runConcurrently,
  throwIfFailed,
} from "./run.js";
import { describeValue, kindOf, quote } from "../util/describe.js";
import { type Json, obj } from "../util/json.js";

/** The request in a message's `data`: base64 of UTF-8 JSON text. */
function mqRequest(data: unknown): unknown {
  if (typeof data !== "string") return parseBody(data, "MQ message data");
  const bytes = decodeBase64(data);
  if (!bytes) {
    throw new RecordBodyError(
      `The MQ message data is not base64: ${quote(data)}; expected the base64 of an API Gateway-format request as JSON`,
    );
  }
  const text = strictUtf8(bytes);
  if (text === undefined) {
    throw new RecordBodyError(
      "The MQ message data is not UTF-8 text once base64-decoded; expected an API Gateway-format request as JSON",
    );
  }
  return parseBody(text, "MQ message data (base64-decoded)");
}

function record(index: number, raw: unknown, id: unknown, fallback: string): BatchRecord {
  return {
    index,
    messageId: typeof id === "string" && id !== "" ? id : fallback,
    record: raw,
    request: () => mqRequest(obj(raw)?.data),
  };
}

/**
 * The messages of an MQ event, in order. ActiveMQ (`aws:mq`, `aws:amq` in older samples, see
 * mq/powertools-py-activemq.json) lists them in `messages`, named by `messageID`; RabbitMQ
 * (`aws:rmq`) groups them by queue in `rmqMessagesByQueue`, named by `basicProperties.messageId`,
 * which publishers often leave null (mq/go-rabbitmq.json): then by `<queue>#<position>`.
 */
function mqRecords(event: Json): BatchRecord[] {
  const source = event.eventSource;
  if ((source === "aws:mq" || source === "aws:amq") && Array.isArray(event.messages)) {
    return event.messages.map((raw, index) =>
      record(index, raw, obj(raw)?.messageID, `message ${index}`),
    );
  }
  const queues = obj(event.rmqMessagesByQueue);
  if (source === "aws:rmq" && queues) {
    const records: BatchRecord[] = [];
    for (const queue in queues) {
      const messages = queues[queue];
      if (!Array.isArray(messages)) {
        throw new UnsupportedEventError(
          `RabbitMQ queue ${quote(queue)} in rmqMessagesByQueue holds ${kindOf(messages)}; expected an array of messages. No message of the batch was run.`,
        );
      }
      messages.forEach((raw, position) => {
        const id = obj(obj(raw)?.basicProperties)?.messageId;
        records.push(record(records.length, raw, id, `${queue}#${position}`));
      });
    }
    return records;
  }
  throw new UnsupportedEventError(
    `aio-lambda-api cannot handle this Amazon MQ event: eventSource ${describeValue(source)} ` +
      'with keys "messages" or "rmqMessagesByQueue" does not fit; expected "aws:mq" or "aws:amq" ' +
      'with a "messages" array, or "aws:rmq" with a "rmqMessagesByQueue" object',
  );
}

/**
 * Runs an Amazon MQ batch, at most `concurrency` messages at once (set 1 to keep the broker's
 * order).
 * @throws BatchFailureError after every message ran, naming each failed one, when any failed.
 */
export async function runMq(
  event: Json,
  run: RunRecord,
  options: BatchOptions = {},
): Promise<void> {
  throwIfFailed("mq", await runConcurrently("mq", mqRecords(event), run, options.concurrency));
}
