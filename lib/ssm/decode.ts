// A cached parameter value → what the caller asked for: the string, a list, or a schema's output.

import { type BaseIssue, getDotPath, safeParseAsync } from "valibot";
import { ParameterError } from "./errors.js";
import type { ValueOptions } from "./options.js";

/** A parameter as fetched from SSM. */
export interface Fetched {
  readonly value: string;
  /** `String`, `StringList` or `SecureString`. */
  readonly type: string;
  /** When it was fetched, in ms of the helper's clock. */
  readonly fetchedAt: number;
}

// Issues are summarized by place and expectation only: `received` would show the value.
function summary(issues: readonly BaseIssue<unknown>[]): string {
  const parts = issues.slice(0, 3).map((issue) => {
    const at = getDotPath(issue) ?? "(root)";
    return issue.expected === null
      ? `${at}: ${issue.kind} ${issue.type} failed`
      : `${at}: expected ${issue.expected}`;
  });
  return issues.length > 3
    ? `${parts.join("; ")}; and ${issues.length - 3} more`
    : parts.join("; ");
}

/**
 * Turns a fetched value into the caller's result. A new array or object every call, so no
 * caller can change what another one gets.
 */
export async function decode(
  name: string,
  fetched: Fetched,
  options: ValueOptions | undefined,
): Promise<unknown> {
  const list = options?.list === true ? fetched.value.split(",") : undefined;
  const schema = options?.schema;
  if (schema === undefined) return list ?? fetched.value;
  let input: unknown = list;
  if (list === undefined) {
    try {
      input = JSON.parse(fetched.value);
    } catch {
      // The SyntaxError is not kept as the cause: V8 quotes the text, which may be a secret.
      throw new ParameterError(
        `SSM parameter ${JSON.stringify(name)} is not valid JSON; expected JSON for its schema`,
        {
          reason: "not-json",
          names: [name],
        },
      );
    }
  }
  const result = await safeParseAsync(schema, input);
  if (!result.success) {
    throw new ParameterError(
      `SSM parameter ${JSON.stringify(name)} does not match its schema: ${summary(result.issues)}`,
      { reason: "schema", names: [name], issues: result.issues },
    );
  }
  return result.output;
}
