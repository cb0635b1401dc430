// How messages and log lines show values and errors: quoted, cut short, and never throwing.

/**
 * How many characters of a value a message shows before `…`: enough to recognize a path, a
 * header name or a setting, short enough that a hostile value cannot flood the message.
 */
export const VALUE_MAX = 60;

/**
 * How many characters of a reason (an error's message inside another message) or an id a
 * message keeps: enough for an AWS SDK message or an Amazon MQ message id to stay whole.
 */
export const REASON_MAX = 200;

/** `text` cut to `max` characters, `…` marking the cut. */
export function cut(text: string, max: number = VALUE_MAX): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * `text` as a JSON string literal, cut to `max` characters first.
 * @example
 * quote("x".repeat(100)); // "xxx…x…" (60 x, then …)
 */
export function quote(text: string, max: number = VALUE_MAX): string {
  return JSON.stringify(cut(text, max));
}

/**
 * What a value is, never what it holds (for event and record fields, which may be private):
 * `null`, `undefined`, `an array`, `an object`, `a string`, `a number`, `a function`…
 */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" ? "an object" : `a ${type}`;
}

/**
 * A value as an error message shows it (`got ${describeValue(value)}`): a string quoted and cut
 * at {@link VALUE_MAX}, a number, boolean, bigint, `null` or `undefined` as written, anything
 * else by its kind (`an array`, `an object`, `a function`, `a symbol`).
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
    case "boolean":
    case "undefined":
      return String(value);
    case "bigint":
      return `${value}n`;
    default:
      return kindOf(value);
  }
}

/** A thrown value that is not an Error, as text: its JSON, else its string form. */
function nonError(value: unknown): string {
  try {
    const json: string | undefined = JSON.stringify(value);
    if (json !== undefined) return `non-Error value: ${json}`;
  } catch {
    // A cycle, a BigInt or a throwing toJSON: its string form may still print.
  }
  try {
    return `non-Error value: ${String(value)}`;
  } catch {
    // A value whose toJSON and toString both throw must not make the describer throw in turn:
    // the request would lose its log line, and its answer with it.
    return `non-Error value that cannot be printed (typeof ${typeof value})`;
  }
}

/** Options of {@link describeError}. */
export interface DescribeErrorOptions {
  /**
   * Whether an Error is shown by its stack (else by `Name: message`).
   * @default true
   */
  readonly stack?: boolean;
}

/**
 * The log text of an error (the access log's `error_detail`): its stack, else `Name: message`;
 * for a thrown value that is not an Error, `thrown non-Error value: ` and its JSON (or string
 * form). Never throws, whatever getter or `toJSON` the value has.
 * @example
 * describeError(new TypeError("boom"), { stack: false }); // "TypeError: boom"
 * describeError("x"); // 'thrown non-Error value: "x"'
 */
export function describeError(error: unknown, options: DescribeErrorOptions = {}): string {
  if (!(error instanceof Error)) return `thrown ${nonError(error)}`;
  try {
    const stack = options.stack === false ? undefined : error.stack;
    if (typeof stack === "string" && stack !== "") return stack;
  } catch {
    // A throwing stack getter: name and message may still read.
  }
  try {
    return `${error.name}: ${error.message}`;
  } catch {
    return "thrown Error whose name or message cannot be read";
  }
}

/** Options of {@link errorReason}. */
export interface ErrorReasonOptions {
  /**
   * Whether the error's name leads (`TypeError: boom`), for an error nothing else names.
   * @default false
   */
  readonly name?: boolean;
}

/**
 * One line saying why, for an error's message inside another message: the first line of its
 * message (with `name`, `Name: message`), or `non-Error value: ` and the thrown value's JSON,
 * cut at {@link REASON_MAX}. Never throws.
 * @example
 * `access log line could not be written: ${errorReason(error)}`
 */
export function errorReason(error: unknown, options: ErrorReasonOptions = {}): string {
  let text: string;
  try {
    if (!(error instanceof Error)) text = nonError(error);
    else text = options.name ? `${error.name}: ${error.message}` : String(error.message);
  } catch {
    text = "an error whose message cannot be read";
  }
  const end = text.indexOf("\n");
  return cut(end === -1 ? text : text.slice(0, end), REASON_MAX);
}
