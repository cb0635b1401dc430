// The route argument: each part validated by its valibot schema, or a 400 / 415 / 422 reply.

import * as v from "valibot";
import type { LogRecord } from "./access-log.js";
import { checkClaims } from "./auth.js";
import type { LambdaRequest } from "./request.js";
import { type ArrayKeys, shapeValues } from "./util/headers.js";
import type { ResponseState } from "./response.js";
import type { Deadline } from "./timeout.js";
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

/** The schemas a route declares for its inputs. */
export interface InputSchemas {
  readonly body: AnySchema | undefined;
  readonly query: AnySchema | undefined;
  readonly params: AnySchema | undefined;
  readonly headers: AnySchema | undefined;
  /** Schema of the authorizer's claims (`request.auth`): 401 without claims, 403 when they fail. */
  readonly claims?: AnySchema | undefined;
}

/** What a route's schemas need, worked out once at build time. */
export interface InputPlan extends InputSchemas {
  /** Query keys whose schema is an array: they receive every value. */
  readonly queryArrays: ArrayKeys;
  /** Body keys (of a form body: urlencoded or multipart) whose schema is an array. */
  readonly bodyArrays: ArrayKeys;
}

/** The parts of a valibot schema object this file reads to find array-typed keys. */
interface SchemaShape {
  readonly type?: string;
  readonly wrapped?: SchemaShape;
  readonly options?: readonly SchemaShape[];
  readonly entries?: Readonly<Record<string, SchemaShape>>;
  readonly rest?: SchemaShape;
  readonly value?: SchemaShape;
}

/** Unwraps `optional`, `nullable`, `nullish`, `fallback`… (`pipe` keeps its root's fields). */
function unwrap(schema: SchemaShape | undefined): SchemaShape | undefined {
  let root = schema;
  while (root?.wrapped) root = root.wrapped;
  return root;
}

function isArrayLike(schema: SchemaShape | undefined): boolean {
  const root = unwrap(schema);
  if (root?.type === "array" || root?.type === "tuple") return true;
  // `v.union([v.string(), v.array(v.string())])` takes either, so give it every value.
  return root?.type === "union" && (root.options ?? []).some(isArrayLike);
}

function collect(schema: SchemaShape | undefined, named: Map<string, boolean>): boolean {
  const root = unwrap(schema);
  if (!root) return false;
  let rest = false;
  if (root.type === "union" || root.type === "variant" || root.type === "intersect") {
    for (const option of root.options ?? []) rest = collect(option, named) || rest;
    return rest;
  }
  for (const key in root.entries ?? {}) {
    named.set(key, (named.get(key) ?? false) || isArrayLike(root.entries![key]));
  }
  if (root.type === "object_with_rest") rest = isArrayLike(root.rest);
  if (root.type === "record") rest = isArrayLike(root.value);
  return rest;
}

const NONE: ArrayKeys = { has: () => false };

/**
 * The keys of an object schema (unwrapped through `optional`, `pipe`, unions and intersections)
 * whose schema is an array; with `v.record(…, v.array(…))` or an array `rest`, every key but the
 * scalar ones.
 */
export function arrayKeys(schema: AnySchema | undefined): ArrayKeys {
  if (!schema) return NONE;
  const named = new Map<string, boolean>();
  const rest = collect(schema as SchemaShape, named);
  const arrays = new Set([...named].filter(([, isArray]) => isArray).map(([key]) => key));
  if (rest) return { has: (name) => arrays.has(name) || !named.has(name) };
  return arrays.size > 0 ? arrays : NONE;
}

/** Schema types that never accept the object of strings a path gives: every request would fail. */
const NOT_AN_OBJECT = new Set([
  "string",
  "number",
  "bigint",
  "boolean",
  "symbol",
  "date",
  "array",
  "tuple",
  "loose_tuple",
  "strict_tuple",
  "tuple_with_rest",
  "null",
  "undefined",
  "void",
  "never",
  "literal",
  "picklist",
  "enum",
  "nan",
  "blob",
  "file",
  "function",
  "promise",
  "set",
  "map",
  "instance",
]);

function neverAnObject(schema: SchemaShape | undefined): boolean {
  const root = unwrap(schema);
  if (!root?.type) return false;
  if (root.type === "union" || root.type === "variant") {
    return (root.options ?? []).every(neverAnObject);
  }
  if (root.type === "intersect") return (root.options ?? []).some(neverAnObject);
  return NOT_AN_OBJECT.has(root.type);
}

const quoteAll = (names: readonly string[]) => names.map((n) => JSON.stringify(n)).join(", ");

/**
 * Checks a route's `params` schema against its path template, at build time: a schema that names
 * a key the template has no parameter for, a strict object that lacks one of its parameters, or
 * a schema that never takes an object would answer every request 422. Records, loose objects and
 * schemas this cannot see into (custom, lazy) pass.
 * @param name The route's name, `GET /items/{id}`, which starts the message.
 * @throws TypeError naming the route, the keys and the template's parameters.
 */
export function checkParams(
  name: string,
  paramNames: readonly string[],
  schema: AnySchema | undefined,
): void {
  if (!schema) return;
  const shape = schema as SchemaShape;
  const root = unwrap(shape);
  if (neverAnObject(shape)) {
    throw new TypeError(
      `${name}: the params schema must take an object (path parameters are an object of strings), got a schema of type ${JSON.stringify(root?.type)}`,
    );
  }
  const named = new Map<string, boolean>();
  collect(shape, named);
  const unknown = [...named.keys()].filter((key) => !paramNames.includes(key));
  const has = paramNames.length > 0 ? `it has ${quoteAll(paramNames)}` : "it has none";
  if (unknown.length === 1) {
    throw new TypeError(
      `${name}: the params schema names ${quoteAll(unknown)}, which is not a parameter of the path template (${has})`,
    );
  }
  if (unknown.length > 1) {
    throw new TypeError(
      `${name}: the params schema names ${quoteAll(unknown)}, which are not parameters of the path template (${has})`,
    );
  }
  const missing = paramNames.filter((key) => !named.has(key));
  if (root?.type === "strict_object" && missing.length > 0) {
    throw new TypeError(
      `${name}: the params schema is a strict object that lacks ${quoteAll(missing)}, ${missing.length === 1 ? "a parameter" : "parameters"} of the path template, so every request would answer 422`,
    );
  }
}

/** Plans a route's inputs, once, at build time. */
export function planInput(schemas: InputSchemas): InputPlan {
  return {
    ...schemas,
    queryArrays: arrayKeys(schemas.query),
    bodyArrays: arrayKeys(schemas.body),
  };
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
