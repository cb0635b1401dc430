// One JSON access-log line a request through Powertools Logger, and getLogger() for the current record.

import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { LambdaContext } from "./request.js";

/** The current request's access-log record: add JSON-serializable fields to it. */
export type LogRecord = Record<string, unknown>;

/** The log levels the access log writes at. */
export type AccessLevel = "info" | "warn" | "error" | "critical";

let store: AsyncLocalStorage<LogRecord> | undefined;
const detached: LogRecord = {};

/** The store that carries the record through a request's async work (made on first use). */
export function recordStore(): AsyncLocalStorage<LogRecord> {
  store ??= new AsyncLocalStorage<LogRecord>();
  return store;
}

/**
 * The current request's access-log record, from any code running for that request. Outside a
 * request it returns a detached record whose fields go nowhere.
 * @example
 * getLogger().user_id = user.id;
 */
export function getLogger(): LogRecord {
  return store?.getStore() ?? detached;
}

/** The fields the library writes; anything else in a record was added by user code. */
const OWN = new Set([
  "method",
  "path",
  "status_code",
  "execution_time",
  "id",
  "server_id",
  "user_agent",
  "error_detail",
  "event_source",
  "message_id",
]);

/**
 * Replaces values that cannot be written as JSON (cycles, BigInt, throwing getters) so that the
 * line is never lost; the replaced keys are listed under `log_unserializable`.
 */
export function sanitizeRecord(record: LogRecord): void {
  let bad: string[] | undefined;
  for (const key in record) {
    if (OWN.has(key) && key !== "error_detail") continue;
    try {
      JSON.stringify(record[key]);
    } catch (error) {
      record[key] =
        `[unserializable: ${error instanceof Error ? error.message.slice(0, 120) : "error"}]`;
      (bad ??= []).push(key);
    }
  }
  if (bad) record.log_unserializable = bad;
}

/** The level an answer is logged at: info below 400, warn for 4xx, error for 5xx. */
export function levelOf(status: number): AccessLevel {
  return status >= 500 ? "error" : status >= 400 ? "warn" : "info";
}

/** Writes access-log lines through a Powertools Logger. */
export interface AccessLog {
  write(record: LogRecord, level: AccessLevel, context: LambdaContext | undefined): void;
}

let defaultLogger: Promise<Logger> | undefined;

/** The logger used when the user passes none: service name from POWERTOOLS_SERVICE_NAME. */
async function loadDefault(): Promise<Logger> {
  defaultLogger ??= import("@aws-lambda-powertools/logger").then(
    ({ Logger }) =>
      new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "aio-lambda-api" }),
  );
  return defaultLogger;
}

/** The access log over a user's Powertools Logger, or a default one made on first use. */
export function createAccessLog(
  logger: Logger | undefined,
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
        target.addContext(context as Parameters<Logger["addContext"]>[0]);
      }
      sanitizeRecord(record);
      const message = `${String(record.method)} ${String(record.path)} ${String(record.status_code)}`;
      target[level](message, record);
    },
  };
}
