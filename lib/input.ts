// The route argument: each part validated by its valibot schema, or a 400 / 415 / 422 reply.

import * as v from "valibot";
import type { LogRecord } from "./access-log.js";
import { checkClaims } from "./auth.js";
import type { LambdaRequest } from "./request.js";
import { shapeValues } from "./util/headers.js";
import type { ResponseState } from "./response.js";
import type { Deadline } from "./timeout.js";
import type { InputPlan } from "./input-plan.js";
import type { AnySchema } from "./types.js";

/** One entry of a 422 answer's `detail`, in FastAPI's shape. */
export interface ValidationIssue {
  /** Where: `"body"`, `"query"`, `"path"` or `"header"`, then object keys and array indexes. */
  loc: (string | number)[];
  /** valibot's message, so valibot's own message config localizes it. */
  msg: string;
  /** valibot's issue type: `"min_length"`, `"email"`, `"object"`, `"to_number"`… */
  type: string;
}

const UNSET: unique symbol = Symbol("unset");

/**
 * The object a route function receives. `body`, `cookies` and `signal` are getters on the
 * prototype, so a request pays for them only when the route reads them (and no per-request
 * property definitions: they made a V8 dictionary object); a validated part is assigned over them.
 */
export class RouteArgument {
  query: unknown;
  params: unknown;
  headers: unknown;
  readonly request: LambdaRequest;
  readonly response: ResponseState;
  readonly log: LogRecord;
  readonly #deadline: Deadline;
  #body: unknown = UNSET;

  constructor(request: LambdaRequest, response: ResponseState, log: LogRecord, deadline: Deadline) {
    this.query = request.query;
    this.params = request.params;
    this.headers = request.headers;
    this.request = request;
    this.response = response;
    this.log = log;
    this.#deadline = deadline;
  }

  /** The validated body, else the body read by content type (`request.readBody()`) on first read. */
  get body(): unknown {
    if (this.#body === UNSET) this.#body = this.request.readBody();
    return this.#body;
  }

  set body(value: unknown) {
    this.#body = value;
  }

  get cookies(): Readonly<Record<string, string>> {
    return this.request.cookies;
  }

  /** Aborted when the route's deadline passes. */
  get signal(): AbortSignal {
    return this.#deadline.signal;
  }
}

type Part = "body" | "query" | "path" | "header";

/** valibot issues → FastAPI-shaped entries; `loc` starts with the part. */
export function toIssues(part: Part, issues: readonly v.BaseIssue<unknown>[]): ValidationIssue[] {
  return issues.map((issue) => ({
    loc: [
      part,
      ...(issue.path ?? []).map((item) =>
        typeof item.key === "string" || typeof item.key === "number" ? item.key : String(item.key),
      ),
    ],
    msg: issue.message,
    type: issue.type,
  }));
}

/** The validated parts of a route's input, or every issue found across all parts. */
export type Validated =
  | {
      ok: true;
      body?: unknown;
      query?: unknown;
      params?: unknown;
      headers?: unknown;
      claims?: unknown;
    }
  | { ok: false; issues: ValidationIssue[] };

type Key = "body" | "query" | "params" | "headers";

/** One validation in progress: kept as plain fields, so the all-sync path allocates little. */
interface Run {
  readonly result: Record<string, unknown>;
  issues: ValidationIssue[] | undefined;
  pending: Promise<void>[] | undefined;
}

const ORDER: readonly string[] = ["body", "query", "path", "header"];

function settle(run: Run, key: Key, part: Part, outcome: v.SafeParseResult<AnySchema>): void {
  if (outcome.success) run.result[key] = outcome.output;
  else (run.issues ??= []).push(...toIssues(part, outcome.issues));
}

function check(run: Run, key: Key, part: Part, schema: AnySchema, value: unknown): void {
  if (schema.async) {
    const done = v.safeParseAsync(schema, value).then((outcome) => settle(run, key, part, outcome));
    (run.pending ??= []).push(done);
  } else {
    settle(run, key, part, v.safeParse(schema, value));
  }
}

function finish(run: Run): Validated {
  return run.issues ? { ok: false, issues: run.issues } : (run.result as Validated);
}

/**
 * Validates every part that has a schema and reports all failing parts together, in the order
 * body, query, path, header. Synchronous when every schema is; a promise when one is async.
 * The body schema checks what `request.readBody` gives it: parsed JSON, form fields (every value
 * for its array keys), or `undefined` when there is no body (a required schema then answers 422).
 * A `claims` schema is checked first, so a caller who may not call the route learns nothing of
 * its other parts.
 * @throws HTTPException 400 for a malformed body, 413 for a multipart body past a limit, 415 for
 * a body that is neither JSON nor a form; 401 without authorizer claims, 403 when they fail.
 */
export function validate(plan: InputPlan, request: LambdaRequest): Validated | Promise<Validated> {
  if (!plan.claims) return validateParts(plan, request, { ok: true });
  const claims = checkClaims(plan.claims, request.auth);
  if (plan.claims.async) {
    return (claims as Promise<unknown>).then((output) =>
      validateParts(plan, request, { ok: true, claims: output }),
    );
  }
  return validateParts(plan, request, { ok: true, claims });
}

function validateParts(
  plan: InputPlan,
  request: LambdaRequest,
  result: Record<string, unknown>,
): Validated | Promise<Validated> {
  const run: Run = { result, issues: undefined, pending: undefined };
  if (plan.body) check(run, "body", "body", plan.body, request.readBody(plan.bodyArrays));
  if (plan.query) {
    check(run, "query", "query", plan.query, shapeValues(request.queryAll, plan.queryArrays));
  }
  if (plan.params) check(run, "params", "path", plan.params, request.params);
  if (plan.headers) check(run, "headers", "header", plan.headers, request.headers);
  if (!run.pending) return finish(run);
  return Promise.all(run.pending).then(() => {
    // Async parts settle in any order; the answer lists parts in a stable order.
    run.issues?.sort(
      (a, b) => ORDER.indexOf(a.loc[0] as string) - ORDER.indexOf(b.loc[0] as string),
    );
    return finish(run);
  });
}
