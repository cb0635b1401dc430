// Settings read once from the environment, checked, and frozen.

import { quote } from "./util/describe.js";

/** The settings aio-lambda-api reads from the environment. */
export interface Settings {
  /**
   * Default route timeout, in seconds (`FUNCTION_TIMEOUT`).
   * @default 30
   */
  readonly functionTimeout: number;
  /**
   * Connection timeout of AWS SDK clients, in seconds (`CONNECTION_TIMEOUT`).
   * @default 5
   */
  readonly connectionTimeout: number;
  /**
   * Read (request) timeout of AWS SDK clients, in seconds (`READ_TIMEOUT`).
   * @default 15
   */
  readonly readTimeout: number;
  /**
   * Maximum sockets of the AWS SDK keep-alive agent (`AWS_MAX_SOCKETS`).
   * @default 100
   */
  readonly awsMaxSockets: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;
const WHOLE = /^\d+$/;

/**
 * A positive decimal number from `env[name]`, or `fallback` when the variable is not set. An
 * empty value, a sign, an exponent or a hex form is refused rather than guessed at.
 */
function positiveNumber(env: Env, name: string, fallback: number, integer: boolean): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const text = raw.trim();
  const value = Number(text);
  if (!(integer ? WHOLE : DECIMAL).test(text) || !Number.isFinite(value) || value <= 0) {
    const expected = integer ? "a positive whole number" : "a positive number of seconds";
    throw new RangeError(`${name} must be ${expected}, got ${quote(raw)}`);
  }
  return value;
}

/**
 * Reads and checks settings from an environment (by default `process.env`).
 * @throws RangeError naming the variable when a value is invalid.
 * @example
 * readSettings({ FUNCTION_TIMEOUT: "10" }).functionTimeout; // 10
 */
export function readSettings(env: Env = process.env): Settings {
  return Object.freeze({
    functionTimeout: positiveNumber(env, "FUNCTION_TIMEOUT", 30, false),
    connectionTimeout: positiveNumber(env, "CONNECTION_TIMEOUT", 5, false),
    readTimeout: positiveNumber(env, "READ_TIMEOUT", 15, false),
    awsMaxSockets: positiveNumber(env, "AWS_MAX_SOCKETS", 100, true),
  });
}

let current: Settings | undefined;

/**
 * The process's settings, read from `process.env` on first use and then kept.
 * An invalid value throws at that first use (at start, in practice: `createApi` reads them).
 */
export function settings(): Settings {
  current ??= readSettings();
  return current;
}
