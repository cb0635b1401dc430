// The public types of an Api: createApi's options, route options, the route input and the Api itself.

import type * as v from "valibot";
import type { AccessLogger, LogRecord } from "./access-log.js";
import type {
  AddedBy,
  Middleware,
  MiddlewareInput,
  Next,
  ReservedKey,
  UseAdded,
  WithAdded,
} from "./use.js";
import type { Handler } from "./dispatch.js";
import type { ErrorClass } from "./hooks.js";
import type { MultipartParser } from "./form.js";
import type { ProvideOptions } from "./provide.js";
import type { Request } from "./request.js";
import type { Response, ResponseState } from "./response.js";
import type { RouteRecord } from "./route.js";
import type { StreamingResponse } from "./streaming/response.js";
import type {
  AnySchema,
  CheckedParams,
  MaybePromise,
  OutputOr,
  PathParams,
  Simplify,
} from "./types.js";

/** Options of `createApi`. */
export interface ApiOptions {
  /** A path prefix stripped before matching (a custom-domain base path mapping, say). */
  basePath?: string;
  /**
   * Default route timeout in ms.
   * @default FUNCTION_TIMEOUT seconds (30)
   */
  timeoutMs?: number;
  /**
   * How long before Lambda's own deadline a route is cut, so the 504 and its log line go out.
   * @default 500
   */
  timeoutMarginMs?: number;
  /**
   * Your Powertools Logger (service name, sampling, level are yours): a `Logger` of
   * `@aws-lambda-powertools/logger` 2.x, whichever version your app installs.
   */
  logger?: AccessLogger;
  /**
   * Write one access-log line per request.
   * @default true
   */
  accessLog?: boolean;
  /**
   * What an uncaught error in a route does for an HTTP event: `"throw"` rethrows it after
   * logging, so Lambda reports errorType/errorMessage/stackTrace and the gateway shows a bare
   * 5xx; `"respond"` answers `500 {"detail":"Internal Server Error"}`.
   * @default "throw"
   */
  uncaughtErrors?: "throw" | "respond";
  /**
   * The multipart/form-data parser: `multipart(limits?)` from aio-lambda-api/forms. Without it,
   * a multipart body sent to a route with a body schema is answered 415, and other routes see
   * its bytes. See docs/sources.md.
   */
  multipart?: MultipartParser;
}

/**
 * The option a sub-API typed `createApi<Context>()` takes: the names of `Context` it expects from
 * the Api it is mounted in. Types are gone at run time, so these names are what `mount` checks.
 */
export type ExpectsOption<Ctx> = [keyof Ctx] extends [never]
  ? { expects?: readonly never[] }
  : {
      /**
       * The names of `Context` (resources provided or middleware additions) this Api expects
       * from the Api it is mounted in: `mount` throws when the parent neither provides one nor
       * has middleware that could add it, and a request where none did fails with a 500 that
       * names it. List them all: a name left out is checked by the compiler only.
       */
      expects: readonly [keyof Ctx & string, ...(keyof Ctx & string)[]];
    };

/** The names of `Other` that `Ctx` lacks or gives with another type, each with the type expected. */
type Unmet<Ctx, Other> = {
  [K in keyof Other as K extends keyof Ctx ? (Ctx[K] extends Other[K] ? never : K) : K]: Other[K];
};

/**
 * What `mount` accepts beside the Api: nothing more when this Api, at this point of its chain,
 * gives everything the mounted Api expects; otherwise a property naming what is missing, so the
 * call is a type error that says which names and types.
 */
export type MountCheck<Ctx, Other> = [keyof Unmet<Ctx, Other>] extends [never]
  ? unknown
  : { "expects what is not provided before the mount": Simplify<Unmet<Ctx, Other>> };

/** A name `provide` accepts: a route input key is a type error that says why. */
export type ProvideName<Name extends string> = Name extends ReservedKey
  ? `"${Name}" is a route input key: provide it under another name`
  : Name;

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

/**
 * An immutable API: every method returns a new Api; `handler` serves Lambda events. `Ctx` is what
 * its routes receive beside their input; `Needs`, what it expects from the Api it is mounted in
 * (`createApi<Needs>({ expects })`, `{}` for others); `Routes`, its routes by key
 * (`"GET /items/{id}"`), recorded by the methods that register them, types only.
 */
export interface Api<
  Ctx extends object = {},
  Needs extends object = {},
  Routes extends object = {},
> {
  /** The frozen route map. */
  readonly routes: readonly RouteRecord[];
  /**
   * The Lambda handler for HTTP events (API Gateway REST and HTTP APIs, Function URLs, ALB, VPC
   * Lattice, direct invocations): `export const handler = api.handler`. Queues, response
   * streaming and web `fetch` have entry points of their own: `batchHandler(api)` from
   * aio-lambda-api/batch, `streamingHandler(api)` from aio-lambda-api/streaming,
   * `fetchHandler(api)` from aio-lambda-api/fetch.
   */
  readonly handler: Handler;
  readonly get: RouteMethod<Ctx, Needs, Routes, "GET">;
  readonly head: RouteMethod<Ctx, Needs, Routes, "HEAD">;
  readonly post: RouteMethod<Ctx, Needs, Routes, "POST">;
  readonly put: RouteMethod<Ctx, Needs, Routes, "PUT">;
  readonly patch: RouteMethod<Ctx, Needs, Routes, "PATCH">;
  readonly delete: RouteMethod<Ctx, Needs, Routes, "DELETE">;
  readonly options: RouteMethod<Ctx, Needs, Routes, "OPTIONS">;
  /**
   * Provides a resource (DB pool, SDK client) to the routes registered after this call, by
   * name, typed: created once per execution environment on first use, retried when creation
   * failed (that request answers 503), disposed on SIGTERM, best effort.
   */
  provide<const Name extends string, T>(
    name: ProvideName<Name>,
    factory: () => T | Promise<T>,
    options?: ProvideOptions<Awaited<T>>,
  ): Api<Simplify<Omit<Ctx, Name> & { [K in Name]: Awaited<T> }>, Needs, Routes>;
  /**
   * Wraps the routes registered after this call in `middleware`; registered before any route, it
   * also runs for requests no route matched (404, 405, OPTIONS). The first registered runs
   * outermost. What it passes to `next(additions)` types the input of the routes after it.
   * See docs/composition.md.
   * @example
   * createApi()
   *   .get("/health", () => "ok")
   *   .use(async ({ headers }, next) => next({ user: await verify(headers.authorization) }))
   *   .get("/me", ({ user }) => user);
   */
  use<R>(
    middleware: (input: MiddlewareInput<Ctx>, next: Next) => R,
  ): Api<WithAdded<Ctx, AddedBy<R>>, Needs, Routes>;
  /**
   * Adds the routes of `api` under `prefix`, with their own middleware, hooks and providers, and
   * inside the middleware this Api registered before the call; they see the resources it
   * provided before the call. An Api made with `createApi<Context>({ expects })` mounts only
   * where `Context` is given: a type error otherwise (see docs/composition.md).
   * @throws TypeError when a route clashes with one already registered (naming both), or when
   * the mounted Api expects a name this one neither provides nor has middleware to add.
   * @example
   * createApi().use(cors({ origin: "https://app.example.com" })).mount("/v1", items);
   */
  mount<
    const Prefix extends string,
    Other extends object,
    OtherNeeds extends object,
    OtherRoutes extends object,
  >(
    prefix: Prefix,
    api: Api<Other, OtherNeeds, OtherRoutes> & MountCheck<Ctx, OtherNeeds>,
  ): Api<Ctx, Needs, Routes & MountedRoutes<Prefix, OtherRoutes>>;
  /**
   * Answers errors of class `type` (subclasses too) with what `hook` returns (a plain value is
   * answered 500 unless `response.status` says otherwise; a Response or an HTTPException sets its
   * own). Hooks are checked in registration order, for every route, for errors that would
   * otherwise be uncaught; an error thrown by a hook falls back to the default handling.
   * @example
   * api.onError(NotFoundError, (error) => { throw new HTTPException(404, error.message); });
   */
  onError<E>(
    type: ErrorClass<E>,
    hook: (error: E, input: MiddlewareInput<Partial<Needs>>) => unknown,
  ): Api<Ctx, Needs, Routes>;
  /**
   * Answers requests no route matched; a plain value is answered 404.
   * @example
   * api.notFound(({ request }) => ({ detail: `Nothing at ${request.path}` }));
   */
  notFound(fn: (input: MiddlewareInput) => unknown): Api<Ctx, Needs, Routes>;
  /**
   * Answers requests whose path has routes but not for their method; a plain value is answered
   * 405, and `Allow` is added when the answer lacks one. (OPTIONS keeps its 204.)
   */
  methodNotAllowed(fn: (input: MiddlewareInput) => unknown): Api<Ctx, Needs, Routes>;
}
