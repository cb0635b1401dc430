// ParameterError: a parameter that does not exist or whose value is not what the caller asked for.

import type { BaseIssue } from "valibot";
import { defineBrand } from "../util/brand.js";
import { quote, REASON_MAX } from "../util/describe.js";

const parameterErrorBrand = defineBrand<ParameterError>("ParameterError");

/** Why a `ParameterError` was thrown. */
export type ParameterErrorReason = "not-found" | "not-json" | "schema";

/** The details a `ParameterError` carries. */
export interface ParameterErrorDetails {
  /** Why it failed. */
  readonly reason: ParameterErrorReason;
  /** The parameters concerned: the missing ones for `"not-found"`, else the one that failed. */
  readonly names: readonly string[];
  /** The schema's issues, for `"schema"`. They hold the value: do not log them for secrets. */
  readonly issues?: readonly BaseIssue<unknown>[];
  /** For `getParameters`: the values that were found, by name. */
  readonly found?: Readonly<Record<string, unknown>>;
  /** The SDK error behind it (`ParameterNotFound`), when there was one. */
  readonly cause?: unknown;
}

/**
 * A parameter that does not exist in SSM, or whose value is not JSON or does not match the
 * schema it was read with. Messages never show values (they may be secrets). Errors of AWS
 * itself (access denied, throttling, 5xx) are not wrapped: they reach the caller as the
 * SDK threw them, so a server fault still answers 503.
 * @example
 * try {
 *   await getParameters(["/app/a", "/app/b"]);
 * } catch (error) {
 *   if (isParameterError(error) && error.reason === "not-found") console.log(error.names, error.found);
 * }
 */
export class ParameterError extends Error {
  override readonly name = "ParameterError";
  /** Why it failed. */
  readonly reason: ParameterErrorReason;
  /** The parameters concerned: the missing ones for `"not-found"`, else the one that failed. */
  readonly names: readonly string[];
  /** The schema's issues, for `"schema"`. */
  readonly issues: readonly BaseIssue<unknown>[];
  /** For `getParameters`: the values that were found, by name. */
  readonly found: Readonly<Record<string, unknown>>;

  static {
    parameterErrorBrand.mark(ParameterError);
  }

  /**
   * @param message what failed, naming the parameters.
   * @param details reason, names and what else is known.
   */
  constructor(message: string, details: ParameterErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.reason = details.reason;
    this.names = Object.freeze([...details.names]);
    this.issues = Object.freeze([...(details.issues ?? [])]);
    this.found = Object.freeze({ ...details.found });
  }
}

/**
 * Tells whether a value is a `ParameterError`, also one from another copy of the library.
 * @example
 * if (isParameterError(error)) console.log(error.reason, error.names);
 */
export const isParameterError: (value: unknown) => value is ParameterError = parameterErrorBrand.is;

function quoted(names: readonly string[]): string {
  // Names are kept whole (SSM allows 2048 characters): a cut one could name another parameter.
  const shown = names.slice(0, 5).map((name) => quote(name, REASON_MAX));
  return names.length > 5 ? `${shown.join(", ")} and ${names.length - 5} more` : shown.join(", ");
}

/** The error for parameters SSM does not have. */
export function notFound(
  names: readonly string[],
  found?: Readonly<Record<string, unknown>>,
  cause?: unknown,
): ParameterError {
  const message =
    names.length === 1
      ? `SSM parameter ${quoted(names)} was not found; expected an existing parameter name`
      : `SSM parameters ${quoted(names)} were not found; expected existing parameter names`;
  return new ParameterError(message, { reason: "not-found", names, found, cause });
}
