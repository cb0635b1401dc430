// One JSON access-log line a request through Powertools Logger, and getLogger() for the current record.

import { AsyncLocalStorage } from "node:async_hooks";
import type { LambdaContext, RecordOrigin, Request } from "./request.js";
import { errorReason } from "./util/describe.js";

/** The current request's access-log record: add JSON-serializable fields to it. */
export type LogRecord = Record<string, unknown>;

/** The log levels the access log writes at. */
export type AccessLevel = "info" | "warn" | "error" | "critical";

let store: AsyncLocalStorage<LogRecord> | undefined;

/** The store that carries the record through a request's async work (made on first use). */
export function recordStore(): AsyncLocalStorage<LogRecord> {
  store ??= new AsyncLocalStorage<LogRecord>();
  return store;
}

/**
 * The current request's access-log record, from any code running for that request (the route,
 * and every promise, timer or callback it started). Outside a request it returns a new throwaway
 * record each call, so nothing written there leaks into a request's line.
 * @example
 * getLogger().user_id = user.id;
 */
export function getLogger(): LogRecord {
  return store?.getStore() ?? {};
}

/** The fields the library writes; anything else in a record was added by user code. */
const OWN = new Set([
  "method",
  "path",
  "route",
  "status_code",
  "execution_time",
  "id",
  "server_id",
  "user_agent",
  "event_source",
  "message_id",
]);

/**
 * Keys Powertools owns in every line: a record field with one of these names would be dropped
 * by Powertools with a warning printed as a second line, so it is dropped here and named in
 * `log_reserved` instead (one line a request, always).
 */
const RESERVED = new Set(["level", "message", "sampling_rate", "service", "timestamp"]);

const DROP: unique symbol = Symbol("drop");

/** A value that fits in the line, or the replacement text of one that does not. */
function checked(record: LogRecord, key: string): { value: unknown; bad: boolean } {
  try {
    const value = record[key];
    JSON.stringify(value);
    return { value, bad: false };
  } catch (error) {
    return { value: `[unserializable: ${errorReason(error)}]`, bad: true };
  }
}

/**
 * The record as it can be written: values that cannot be written as JSON (cycles, BigInt, a
 * throwing `toJSON` or getter) are replaced by a short text and their keys listed under
 * `log_unserializable`; Powertools' reserved keys are dropped and listed under `log_reserved`.
 * Returns `record` itself when nothing needed fixing (the common case), else a fixed copy.
 */
export function sanitizeRecord(record: LogRecord): LogRecord {
  let fixes: Map<string, unknown> | undefined;
  let bad: string[] | undefined;
  let reserved: string[] | undefined;
  for (const key in record) {
    if (OWN.has(key)) continue;
    if (RESERVED.has(key)) {
      (fixes ??= new Map()).set(key, DROP);
      (reserved ??= []).push(key);
      continue;
    }
    const result = checked(record, key);
    if (result.bad) {
      (fixes ??= new Map()).set(key, result.value);
      (bad ??= []).push(key);
    }
  }
  if (!fixes) return record;
  const out: LogRecord = {};
  for (const key in record) {
    const fix = fixes.get(key);
    if (fix === DROP) continue;
    out[key] = fixes.has(key) ? fix : checked(record, key).value;
  }
  if (bad) out.log_unserializable = bad;
  if (reserved) out.log_reserved = reserved;
  return out;
}

/** The level an answer is logged at: info below 400, warn for 4xx, error for 5xx. */
export function levelOf(status: number): AccessLevel {
  return status >= 500 ? "error" : status >= 400 ? "warn" : "info";
}

/**
 * What the access log calls on a Powertools Logger: any Logger 2.x fits. Typed by these members
 * rather than by the Logger class, whose private fields make two installed copies (the app's and
 * this library's) incompatible types.
 */
export interface AccessLogger {
  /** Adds the Lambda context keys (function name, request id, cold start) to later lines. */
  addContext(context: LambdaContext): void;
  /** Writes a line at INFO (answers below 400). */
  info(message: string, attributes: LogRecord): void;
  /** Writes a line at WARN (4xx answers). */
  warn(message: string, attributes: LogRecord): void;
  /** Writes a line at ERROR (5xx answers). */
  error(message: string, attributes: LogRecord): void;
  /** Writes a line at CRITICAL (uncaught exceptions). */
  critical(message: string, attributes: LogRecord): void;
}

/** Writes access-log lines through a Powertools Logger. */
export interface AccessLog {
  write(record: LogRecord, level: AccessLevel, context: LambdaContext | undefined): void;
}

let defaultLogger: Promise<AccessLogger> | undefined;

/** The logger used when the user passes none: service name from POWERTOOLS_SERVICE_NAME. */
async function loadDefault(): Promise<AccessLogger> {
  defaultLogger ??= import("@aws-lambda-powertools/logger").then(
    ({ Logger }) =>
      new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME || "aio-lambda-api" }),
  );
  return defaultLogger;
}

/** The access log over a user's Powertools Logger, or a default one made on first use. */
export function createAccessLog(
  logger: AccessLogger | undefined,
): AccessLog & { ready(): Promise<void> | undefined } {
  let current = logger;
  let lastContext: LambdaContext | undefined;
  return {
    ready() {
      if (current) return undefined;
      return loadDefault().then((made) => {
        current = made;
      });
    },
    write(record, level, context) {
      const target = current;
      if (!target) return;
      if (context && context !== lastContext && typeof context.functionName === "string") {
        lastContext = context;
        target.addContext(context);
      }
      const message = `${String(record.method)} ${String(record.path)} ${String(record.status_code)}`;
      try {
        target[level](message, sanitizeRecord(record));
      } catch (error) {
        // A logger that throws (a user's formatter, say) must not break the answer nor lose
        // the request: a minimal line goes to stderr, which Lambda sends to CloudWatch too.
        process.stderr.write(
          `${JSON.stringify({
            level: "ERROR",
            message: `access log line could not be written: ${errorReason(error)}`,
            method: String(record.method),
            path: String(record.path),
            status_code: Number(record.status_code),
            id: String(record.id),
          })}\n`,
        );
      }
    },
  };
}

let streamName: string | undefined | null = null;

/** The execution environment's id: its log stream name (read once from the environment). */
export function serverId(context: LambdaContext | undefined): string | undefined {
  if (context?.logStreamName) return context.logStreamName;
  // process.env reads are slow, and AWS_LAMBDA_LOG_STREAM_NAME never changes in a process.
  if (streamName === null) streamName = process.env.AWS_LAMBDA_LOG_STREAM_NAME;
  return streamName;
}

/** The record of one request, with the fields known before the route runs. */
export function requestRecord(
  request: Pick<Request, "method" | "path" | "id" | "headers">,
  origin: RecordOrigin | undefined,
  context: LambdaContext | undefined,
): LogRecord {
  const record: LogRecord = {
    method: request.method,
    path: request.path,
    id: request.id,
    server_id: serverId(context),
    user_agent: request.headers["user-agent"],
  };
  if (origin) {
    record.event_source = origin.source;
    record.message_id = origin.messageId;
  }
  return record;
}

/**
 * Logs a batch record whose body is not an HTTP request (not JSON, or JSON of another shape):
 * one access-log line at error, `status_code` 400, the reason in `error_detail`. The record
 * counts as failed, so it is retried and then reaches the dead-letter queue, never dropped.
 */
export function logRejectedRecord(
  accessLog: AccessLog | undefined,
  origin: RecordOrigin,
  reason: string,
  context: LambdaContext | undefined,
): void {
  if (!accessLog) return;
  const record: LogRecord = {
    method: "-",
    path: "-",
    id: context?.awsRequestId,
    server_id: serverId(context),
    event_source: origin.source,
    message_id: origin.messageId,
    status_code: 400,
    execution_time: 0,
    error_detail: reason,
  };
  accessLog.write(record, "error", context);
}
