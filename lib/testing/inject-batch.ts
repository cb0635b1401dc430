// injectBatch(handler, batch): SQS, SNS or Amazon MQ events of several records through a batch handler, for users' own tests.

import { fakeContext } from "../inject.js";
import type { LambdaContext } from "../request.js";

/** A record's content: a request (`method`, `path`…) sent as an API Gateway-format event, or an ordinary `message`. */
export type BatchEntry =
  | {
      /** @default "GET" */
      readonly method?: string;
      /** The path, with an optional `?query`. @default "/" */
      readonly path?: string;
      readonly headers?: Readonly<Record<string, string>>;
      /** A string as is; anything else is sent as JSON. */
      readonly body?: unknown;
    }
  | {
      /** An ordinary message: a string as is, anything else as JSON text. */
      readonly message: unknown;
    };

/** A batch for `injectBatch`. */
export interface InjectBatch {
  /** `sqs`, `sns`, `mq` (ActiveMQ) or `rmq` (RabbitMQ). */
  readonly source: "sqs" | "sns" | "mq" | "rmq";
  readonly records: readonly BatchEntry[];
  /** An SQS FIFO queue (`.fifo` ARN, one message group): records run in order. @default false */
  readonly fifo?: boolean;
  /** The Lambda context to pass (a fake one with 30 s remaining by default). */
  readonly context?: LambdaContext;
}

/** What `injectBatch` resolves to. */
export interface InjectBatchResult {
  /** The event sent. */
  readonly event: Record<string, unknown>;
  /** Each record's message id, in record order. */
  readonly messageIds: readonly string[];
  /** The indexes of the records reported failed (SQS `batchItemFailures`; SNS and MQ: the error's). */
  readonly failed: readonly number[];
  /** What the handler resolved to (SQS: `{ batchItemFailures }`). */
  readonly result: unknown;
  /** What the handler threw (SNS and MQ: a BatchFailureError naming the failed records). */
  readonly error: unknown;
}

/** A batch handler: what `batchHandler(api, options)` returns. */
export type AnyBatchHandler = (event: unknown, context?: LambdaContext) => Promise<unknown>;

const REGION = "us-east-1";
const ACCOUNT = "123456789012";

/** The text a record carries. */
function textOf(entry: BatchEntry): string {
  if ("message" in entry) {
    return typeof entry.message === "string" ? entry.message : JSON.stringify(entry.message);
  }
  const [path = "/", query] = (entry.path ?? "/").split("?", 2);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(entry.headers ?? {}))
    headers[name.toLowerCase()] = value;
  let body: string | null = null;
  if (typeof entry.body === "string") body = entry.body;
  else if (entry.body !== undefined && entry.body !== null) {
    body = JSON.stringify(entry.body);
    headers["content-type"] ??= "application/json";
  }
  // An HTTP API payload 2.0 request, as a producer would enqueue one.
  return JSON.stringify({
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: query ?? "",
    headers,
    requestContext: {
      http: { method: (entry.method ?? "GET").toUpperCase(), path, sourceIp: "127.0.0.1" },
      requestId: globalThis.crypto.randomUUID(),
    },
    ...(body === null ? {} : { body }),
    isBase64Encoded: false,
  });
}

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** The event of `batch`, shaped as the real samples are, and the message ids of its records. */
function eventOf(batch: InjectBatch): { event: Record<string, unknown>; ids: string[] } {
  const ids = batch.records.map(() => globalThis.crypto.randomUUID());
  const now = Date.now();
  const texts = batch.records.map(textOf);
  switch (batch.source) {
    case "sqs": {
      const queue = batch.fifo ? "queue.fifo" : "queue";
      const Records = texts.map((body, i) => ({
        messageId: ids[i],
        receiptHandle: `handle-${i}`,
        body,
        attributes: {
          ApproximateReceiveCount: "1",
          SentTimestamp: String(now),
          SenderId: ACCOUNT,
          ApproximateFirstReceiveTimestamp: String(now),
          ...(batch.fifo
            ? {
                SequenceNumber: String(10_000 + i),
                MessageGroupId: "group",
                MessageDeduplicationId: ids[i],
              }
            : {}),
        },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:${queue}`,
        awsRegion: REGION,
      }));
      return { event: { Records }, ids };
    }
    case "sns": {
      const topic = `arn:aws:sns:${REGION}:${ACCOUNT}:topic`;
      const Records = texts.map((Message, i) => ({
        EventVersion: "1.0",
        EventSubscriptionArn: `${topic}:${ids[i]}`,
        EventSource: "aws:sns",
        Sns: {
          Type: "Notification",
          MessageId: ids[i],
          TopicArn: topic,
          Subject: null,
          Message,
          Timestamp: new Date(now).toISOString(),
          SignatureVersion: "1",
          Signature: "EXAMPLE",
          SigningCertUrl: "EXAMPLE",
          UnsubscribeUrl: "EXAMPLE",
          MessageAttributes: {},
        },
      }));
      return { event: { Records }, ids };
    }
    case "mq": {
      const messages = texts.map((text, i) => ({
        messageID: `ID:${ids[i]}`,
        messageType: "jms/text-message",
        timestamp: now,
        deliveryMode: 1,
        correlationID: "",
        replyTo: "null",
        destination: { physicalName: "queue" },
        redelivered: false,
        type: "",
        expiration: 0,
        priority: 0,
        data: base64(text),
        brokerInTime: now,
        brokerOutTime: now,
        properties: {},
      }));
      return {
        event: {
          eventSource: "aws:mq",
          eventSourceArn: `arn:aws:mq:${REGION}:${ACCOUNT}:broker:broker:b-0`,
          messages,
        },
        ids: messages.map((m) => m.messageID),
      };
    }
    case "rmq": {
      const messages = texts.map((text, i) => ({
        basicProperties: {
          contentType: "application/json",
          contentEncoding: null,
          headers: {},
          deliveryMode: 1,
          priority: 0,
          correlationId: null,
          replyTo: null,
          expiration: null,
          messageId: ids[i],
          timestamp: null,
          type: null,
          userId: null,
          appId: null,
          clusterId: null,
          bodySize: Buffer.byteLength(text),
        },
        redelivered: false,
        data: base64(text),
      }));
      return {
        event: {
          eventSource: "aws:rmq",
          eventSourceArn: `arn:aws:mq:${REGION}:${ACCOUNT}:broker:broker:b-0`,
          rmqMessagesByQueue: { "queue::/": messages },
        },
        ids,
      };
    }
    default:
      throw new TypeError(
        `injectBatch: source must be "sqs", "sns", "mq" or "rmq", got ${JSON.stringify(String(batch.source))}`,
      );
  }
}

/** The indexes of the failed records, read from an SQS result or a BatchFailureError. */
function failedOf(ids: readonly string[], result: unknown, error: unknown): number[] {
  const failures = (result as { batchItemFailures?: { itemIdentifier: string }[] } | undefined)
    ?.batchItemFailures;
  if (Array.isArray(failures)) return failures.map((f) => ids.indexOf(f.itemIdentifier));
  const listed = (error as { failures?: { index: number }[] } | undefined)?.failures;
  return Array.isArray(listed) ? listed.map((f) => f.index) : [];
}

/**
 * Sends an SQS, SNS or Amazon MQ event of several records through a batch handler and reads
 * which records failed: how you test a queue's function without AWS. Each record carries a
 * request (`method`, `path`, `headers`, `body`, enqueued as an HTTP API payload 2.0 event) or
 * an ordinary `message` (for `batchHandler(api, { toRequest })`). Never rejects for a failed
 * batch: SNS and MQ's BatchFailureError is in `error`.
 * @example
 * import { batchHandler } from "aio-lambda-api/batch";
 * import { injectBatch } from "aio-lambda-api/testing";
 * const out = await injectBatch(batchHandler(api), {
 *   source: "sqs",
 *   records: [{ method: "POST", path: "/orders", body: { id: 1 } }],
 * });
 * assert.deepEqual(out.failed, []);
 */
export async function injectBatch(
  handler: AnyBatchHandler,
  batch: InjectBatch,
): Promise<InjectBatchResult> {
  if (typeof handler !== "function") {
    throw new TypeError(
      "injectBatch: the first argument must be a handler made by batchHandler(api)",
    );
  }
  const { event, ids } = eventOf(batch);
  let result: unknown;
  let error: unknown;
  try {
    result = await handler(event, batch.context ?? fakeContext());
  } catch (thrown) {
    error = thrown;
  }
  return { event, messageIds: ids, failed: failedOf(ids, result, error), result, error };
}
