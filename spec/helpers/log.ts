// Log capture for tests: a real Powertools Logger whose lines land in an array instead of stdout.
//
// How it works, and why this way: Powertools' Logger prints through a `Console` it creates over
// `process.stdout` and `process.stderr` (its private `console` field), calling the protected `printLog(level, item)`
// for every line it decides to print. `captureLogs()` subclasses Logger and overrides `printLog`
// to do exactly what the base class does (`prepareForPrint()`, then `JSON.stringify` with the
// logger's own replacer) and push the text into an array. So a captured line is byte for byte the
// line Lambda would receive, after Powertools' level filter, reserved-key handling and replacer,
// and nothing reaches the terminal. The subclass is declared inside `captureLogs()` so the sink
// exists before `super()` runs: Logger's constructor may already print buffered warnings.
//
// The other ways, and why not: a custom `logFormatter` only sees attributes, not the final
// JSON text; swapping `process.stdout.write` also catches the test runner's own output, and
// Powertools prints WARN and above to stderr, not stdout. For the library's DEFAULT logger (no
// `logger` option) there is no other way in: use `captureOutput(fn)` below, which swaps both
// streams for the duration of `fn` and keeps only JSON lines, or spawn a child process.

import { type LogItem, Logger } from "@aws-lambda-powertools/logger";
import type { ConstructorOptions } from "@aws-lambda-powertools/logger/types";

/** One parsed access-log (or any Powertools) line. */
export type LogLine = Record<string, unknown>;

/** What `captureLogs()` returns. */
export interface CapturedLogs {
  /** Pass this as `createApi({ logger })`. */
  readonly logger: Logger;
  /** The raw JSON lines, as they would reach stdout (without the newline). */
  readonly lines: string[];
  /** Every line parsed. */
  records(): LogLine[];
  /** The only line; throws (failing the test) unless exactly one line was written. */
  one(): LogLine;
  /** Forgets every captured line. */
  clear(): void;
}

/**
 * Makes a Powertools Logger that writes into an array.
 * @param options Logger options (service name, log level...); defaults to service `test`, level INFO.
 * @example
 * const logs = captureLogs();
 * const api = createApi({ logger: logs.logger }).get("/", () => "ok");
 * await inject(api, { path: "/" });
 * assert.equal(logs.one().status_code, 200);
 */
export function captureLogs(options: ConstructorOptions = {}): CapturedLogs {
  const lines: string[] = [];

  class CaptureLogger extends Logger {
    protected override printLog(_logLevel: number, log: LogItem): void {
      log.prepareForPrint();
      lines.push(JSON.stringify(log.getAttributes(), this.getJsonReplacer()));
    }

    protected override createLogger(childOptions?: ConstructorOptions): Logger {
      return new CaptureLogger(childOptions);
    }
  }

  const logger = new CaptureLogger({ serviceName: "test", logLevel: "INFO", ...options });
  const records = () => lines.map((line) => JSON.parse(line) as LogLine);
  return {
    logger,
    lines,
    records,
    one() {
      if (lines.length !== 1) {
        throw new Error(`expected exactly one log line, got ${lines.length}:\n${lines.join("\n")}`);
      }
      return records()[0]!;
    },
    clear() {
      lines.length = 0;
    },
  };
}

/**
 * Runs `fn` while collecting the JSON lines written to `process.stdout` and `process.stderr`,
 * and restores both even when `fn` throws. For the library's default logger, which prints
 * through a Console over the process's streams: INFO (and DEBUG) on stdout, WARN, ERROR and
 * CRITICAL on stderr (`console.warn`/`console.error`). Only string chunks that start with `{`
 * are taken: the test runner reports through stdout at any moment, and its output (TAP text,
 * serialized buffers) passes through untouched.
 * @returns the JSON text lines, in the order they were written.
 */
export async function captureOutput(fn: () => unknown): Promise<string[]> {
  const taken: string[] = [];
  const restore = [process.stdout, process.stderr].map((stream) => {
    const original = stream.write;
    const passThrough = original.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === "string" && chunk.startsWith("{")) {
        taken.push(chunk);
        return true;
      }
      return passThrough(chunk, ...rest);
    }) as typeof stream.write;
    return () => {
      stream.write = original;
    };
  });
  try {
    await fn();
  } finally {
    for (const undo of restore) undo();
  }
  return taken
    .join("")
    .split("\n")
    .filter((line) => line !== "");
}
