// Types that infer what user code sees from path templates, schemas and middleware: the route's options, input, function and return.

import type * as v from "valibot";
import type { LogRecord } from "./access-log.js";
import type { Api } from "./api-types.js";
import type { Request } from "./request.js";
import type { Response, ResponseState } from "./response.js";
import type { StreamingResponse } from "./streaming/response.js";
import type { Middleware, UseAdded, WithAdded } from "./use.js";

/** Any valibot schema, sync or async. */
export type AnySchema =
  | v.GenericSchema<unknown, unknown, v.BaseIssue<unknown>>
  | v.GenericSchemaAsync<unknown, unknown, v.BaseIssue<unknown>>;

/** A value or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

type Segments<P extends string> = P extends `${infer Head}/${infer Tail}`
  ? Head | Segments<Tail>
  : P;
type ParamName<S extends string> = S extends `{${infer Name}+}`
  ? Name
  : S extends `{${infer Name}}`
    ? Name
    : never;

/**
 * The path parameters of a template: `PathParams<"/items/{id}/{rest+}">` is
 * `{ id: string; rest: string }`. A template known only as `string` gives a string record.
 */
export type PathParams<P extends string> = string extends P
  ? Record<string, string>
  : { [K in ParamName<Segments<P>>]: string };

/** The keys a type names, index signatures left out; each member of a union on its own. */
type NamedKeys<T> = T extends object
  ? keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] }
  : never;

/**
 * The keys a `params` schema's input names that the template has no parameter for: `never` when
 * every key is a parameter, or when the template is known only as `string`. Index signatures
 * (a record, a loose object's rest) name no key; a loose object's entries are checked.
 */
type UnknownParams<P extends string, S> = string extends P
  ? never
  : S extends AnySchema
    ? Exclude<NamedKeys<v.InferInput<S>>, ParamName<Segments<P>>>
    : never;

/**
 * Route options checked against their path template: a `params` schema that names a key the
 * template lacks makes its `params` property a type error that names the key.
 */
export type CheckedParams<P extends string, O> = O extends { params: infer S }
  ? [UnknownParams<P, S>] extends [never]
    ? unknown
    : { params: { "is not a parameter of the path template": UnknownParams<P, S> } }
  : unknown;

/** Flattens an intersection for readable hovers. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The output type of a schema option, or a fallback when the option is absent. */
export type OutputOr<S, Fallback> = S extends AnySchema ? v.InferOutput<S> : Fallback;

/** Options of one route. Schemas type the route function's input; see docs/validation.md. */
export interface RouteOptions<Ctx extends object = {}> {
  /**
   * Middleware for this route only, inside the Api's (docs/composition.md). Define them with
   * `defineMiddleware` so their additions type the route input.
   */
  use?: readonly Middleware<Ctx>[];
  /** The success status. @default 200 (204 when the route returns nothing) */
  status?: number;
  /** Schema of the JSON (or form) body. */
  body?: AnySchema;
  /** Schema of the query; a key whose schema is an array receives every value. */
  query?: AnySchema;
  /** Schema of the path parameters (strings before validation). */
  params?: AnySchema;
  /** Schema of the headers (lowercase names). */
  headers?: AnySchema;
  /**
   * Schema of the authorizer's claims (a JWT's claims, or a Lambda authorizer's context), checked
   * before the other parts: the route input's `claims` is its output. No claims in the event
   * answers 401, claims that fail it 403. See docs/auth.md.
   */
  claims?: AnySchema;
  /** Schema of the return value: compiled by fast-json-stringify; undeclared keys never leave. */
  response?: AnySchema;
  /** This route's timeout in ms. @default the Api's timeoutMs */
  timeoutMs?: number;
  /**
   * `"json"` serializes with JSON.stringify even with a response schema (for schemas JSON
   * Schema cannot express).
   * @default "compiled"
   */
  serializer?: "compiled" | "json";
  /** OpenAPI metadata. */
  summary?: string;
  description?: string;
  tags?: readonly string[];
  operationId?: string;
  deprecated?: boolean;
  hidden?: boolean;
  /**
   * The error statuses the route answers on purpose (with `HTTPException`), for OpenAPI:
   * `{ 404: "Item not found" }` documents a 404 with that description and `{"detail": ...}`.
   */
  errors?: Readonly<Record<number, string>>;
  /**
   * OpenAPI security requirements, naming `securitySchemes` given to `withDocs`:
   * `[{ bearerAuth: [] }]`; `[]` marks a public route. A route with `claims` and no `security`
   * requires the document's bearer, OAuth 2 and OpenID Connect schemes.
   */
  security?: readonly Readonly<Record<string, readonly string[]>>[];
}

/** What every route function receives, typed by its path template and schemas. */
export type RouteInput<Path extends string, O, Ctx = {}> = Simplify<
  {
    /** The body: validated by the `body` schema, else parsed by content type (JSON when absent). */
    body: O extends { body: infer S } ? OutputOr<S, unknown> : unknown;
    query: O extends { query: infer S }
      ? OutputOr<S, Readonly<Record<string, string>>>
      : Readonly<Record<string, string>>;
    params: O extends { params: infer S } ? OutputOr<S, PathParams<Path>> : PathParams<Path>;
    headers: O extends { headers: infer S }
      ? OutputOr<S, Readonly<Record<string, string>>>
      : Readonly<Record<string, string>>;
    cookies: Readonly<Record<string, string>>;
    request: Request;
    response: ResponseState;
    /** The access-log record of this request (same as getLogger()). */
    log: LogRecord;
    /** Aborted when the route's timeout is reached. */
    signal: AbortSignal;
  } & (O extends { claims: infer S extends AnySchema } ? { claims: v.InferOutput<S> } : {}) &
    Ctx
>;

/** Anything that answers as a whole. */
export type AnyResponse = Response<unknown> | globalThis.Response | StreamingResponse;

/** What a route function may return: with a `response` schema, that schema's input or a Response. */
export type RouteReturn<O> = O extends { response: infer S extends AnySchema }
  ? MaybePromise<v.InferInput<S> | AnyResponse>
  : unknown;

/** The function of a route: its input also holds what its `use` middleware add. */
export type RouteFunction<Path extends string, O, Ctx, R = RouteReturn<O>> = (
  input: RouteInput<Path, O, WithAdded<Ctx, UseAdded<O>>>,
) => R;

/**
 * What the type of an Api records of one route, for `call` of aio-lambda-api/testing: its path
 * template, options, context and return type. Types only: nothing holds it at run time.
 */
export interface RouteEntry<Path extends string = string, O = unknown, Ctx = unknown, R = unknown> {
  readonly path: Path;
  readonly options: O;
  readonly context: Ctx;
  readonly returns: R;
}

/** A path template as route keys spell it: one trailing slash removed. */
type Template<Path extends string> = Path extends `${infer Head}/`
  ? Head extends ""
    ? "/"
    : Head
  : Path;

/** The keys `mount(prefix, api)` gives the routes of `api`: their paths under `prefix`. */
export type MountedRoutes<Prefix extends string, Routes> = {
  [K in keyof Routes as K extends `${infer M} ${infer Path}`
    ? `${M} ${JoinedPath<Prefix extends `${infer Head}/` ? Head : Prefix, Path>}`
    : never]: Routes[K];
};

type JoinedPath<Head extends string, Path extends string> = Path extends "/"
  ? Head extends ""
    ? "/"
    : Head
  : `${Head}${Path}`;

/**
 * What a middleware written inline in a route's `use` must also be, so the call is a type error
 * that names `defineMiddleware` (no function is).
 */
export interface DefineItWithDefineMiddleware {
  readonly "an inline middleware hides the route's option types: pass defineMiddleware(fn)": true;
}

/**
 * A middleware written inline in `use: [...]` is typed only after the options were inferred, so
 * they infer nothing (`O` is `{}`, schemas and additions lost): then `use` asks for
 * `defineMiddleware`, in an error that names it, the inline function's input still typed, the
 * other options checked as plain `RouteOptions`.
 */
export type InlineUse<Ctx extends object, O> = [keyof O] extends [never]
  ? Omit<RouteOptions<Ctx>, "use"> & {
      use?: readonly (Middleware<Ctx> & DefineItWithDefineMiddleware)[];
    }
  : unknown;

/**
 * Registers a route for one method (`M`, as route keys spell it); the Api's type records it
 * under its key for `call` of aio-lambda-api/testing.
 */
export type RouteMethod<
  Ctx extends object,
  Needs extends object = {},
  Routes extends object = {},
  M extends string = string,
> = <
  const Path extends string,
  O extends RouteOptions<Ctx> = {},
  R extends RouteReturn<O> = RouteReturn<O>,
>(
  path: Path,
  fn: RouteFunction<Path, O, Ctx, R>,
  options?: O & NoInfer<CheckedParams<Path, O>> & NoInfer<InlineUse<Ctx, O>>,
) => Api<Ctx, Needs, Routes & { [K in `${M} ${Template<Path>}`]: RouteEntry<Path, O, Ctx, R> }>;
