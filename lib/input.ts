// The route argument: each part validated by its valibot schema, or a 400 / 415 / 422 reply.

import * as v from "valibot";
import { HTTPException } from "./errors.js";
import type { LambdaRequest } from "./request.js";
import type { AnySchema } from "./types.js";
import { isFormType, isJsonType } from "./util/body.js";
import { parseQueryString } from "./util/headers.js";

/** One entry of a 422 answer's `detail`, in FastAPI's shape. */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** The schemas a route declares for its inputs. */
export interface InputSchemas {
  readonly body: AnySchema | undefined;
  readonly query: AnySchema | undefined;
  readonly params: AnySchema | undefined;
  readonly headers: AnySchema | undefined;
}

/** What a route's schemas need, worked out once at build time. */
export interface InputPlan extends InputSchemas {
  /** Query keys whose schema is an array: they receive every value. */
  readonly queryArrays: ReadonlySet<string>;
  /** Body keys (of a form body) whose schema is an array. */
  readonly bodyArrays: ReadonlySet<string>;
}

type Wrapped = { type?: string; wrapped?: unknown; entries?: Record<string, unknown> };

function arrayKeys(schema: AnySchema | undefined): Set<string> {
  const keys = new Set<string>();
  let root = schema as Wrapped | undefined;
  while (root?.wrapped) root = root.wrapped as Wrapped;
  const entries = root?.entries;
  if (!entries) return keys;
  for (const key in entries) {
    let entry = entries[key] as Wrapped | undefined;
    while (entry?.wrapped) entry = entry.wrapped as Wrapped;
    if (entry?.type === "array" || entry?.type === "tuple") keys.add(key);
  }
  return keys;
}

/** Plans a route's inputs. */
export function planInput(schemas: InputSchemas): InputPlan {
  return { ...schemas, queryArrays: arrayKeys(schemas.query), bodyArrays: arrayKeys(schemas.body) };
}

/** Shapes `name → values` for a schema: array keys get every value, the rest the last one. */
export function shapeValues(
  all: Readonly<Record<string, readonly string[]>>,
  arrays: ReadonlySet<string>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in all) {
    const values = all[name]!;
    out[name] = arrays.has(name) ? [...values] : values[values.length - 1]!;
  }
  return out;
}

/** The body a route without a body schema sees: JSON, form fields, text or bytes by content type. */
export function looseBody(request: LambdaRequest): unknown {
  if (!request.hasBody) return undefined;
  const type = request.contentType;
  if (type === undefined || isJsonType(type)) return request.json();
  if (type === "application/x-www-form-urlencoded")
    return shapeValues(parseQueryString(request.text()), new Set());
  if (type.startsWith("text/")) return request.text();
  return request.bytes();
}

function bodyValue(plan: InputPlan, request: LambdaRequest): unknown {
  if (!request.hasBody) return undefined;
  const type = request.contentType;
  if (type === undefined || isJsonType(type)) return request.json();
  if (type === "application/x-www-form-urlencoded") {
    return shapeValues(parseQueryString(request.text()), plan.bodyArrays);
  }
  throw new HTTPException(
    415,
    isFormType(type)
      ? `Content type ${type} is not supported yet; send JSON or application/x-www-form-urlencoded`
      : `Content type ${JSON.stringify(type.slice(0, 100))} is not supported; send JSON`,
  );
}

type Part = "body" | "query" | "path" | "header";
type Outcome = { ok: true; value: unknown } | { ok: false; issues: ValidationIssue[] };

function toIssues(part: Part, issues: readonly v.BaseIssue<unknown>[]): ValidationIssue[] {
  return issues.map((issue) => ({
    loc: [part, ...(issue.path ?? []).map((item) => item.key as string | number)],
    msg: issue.message,
    type: issue.type,
  }));
}

function check(part: Part, schema: AnySchema, value: unknown): Outcome | Promise<Outcome> {
  const done = (result: v.SafeParseResult<AnySchema>): Outcome =>
    result.success
      ? { ok: true, value: result.output }
      : { ok: false, issues: toIssues(part, result.issues) };
  if (schema.async) return v.safeParseAsync(schema, value).then(done);
  return done(v.safeParse(schema as v.GenericSchema, value));
}

/** The validated parts of a route's input, or every issue found across all parts. */
export type Validated =
  | { ok: true; body?: unknown; query?: unknown; params?: unknown; headers?: unknown }
  | { ok: false; issues: ValidationIssue[] };

/**
 * Validates every part that has a schema and reports all failing parts together.
 * @throws HTTPException 400 for a malformed body, 415 for a body of an unsupported type.
 */
export async function validate(plan: InputPlan, request: LambdaRequest): Promise<Validated> {
  const names: ("body" | "query" | "params" | "headers")[] = [];
  const pending: (Outcome | Promise<Outcome>)[] = [];
  if (plan.body) {
    names.push("body");
    pending.push(check("body", plan.body, bodyValue(plan, request)));
  }
  if (plan.query) {
    names.push("query");
    pending.push(check("query", plan.query, shapeValues(request.queryAll, plan.queryArrays)));
  }
  if (plan.params) {
    names.push("params");
    pending.push(check("path", plan.params, request.params));
  }
  if (plan.headers) {
    names.push("headers");
    pending.push(check("header", plan.headers, request.headers));
  }
  const outcomes = await Promise.all(pending);
  const result: Record<string, unknown> = { ok: true };
  const issues: ValidationIssue[] = [];
  outcomes.forEach((outcome, i) => {
    if (outcome.ok) result[names[i]!] = outcome.value;
    else issues.push(...outcome.issues);
  });
  return issues.length > 0 ? { ok: false, issues } : (result as Validated);
}
