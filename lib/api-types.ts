// The public types of an Api: createApi's options and the Api itself (route types in types.ts).

import type { AccessLogger } from "./access-log.js";
import type { AddedBy, MiddlewareInput, Next, ReservedKey, WithAdded } from "./use.js";
import type { Handler } from "./dispatch.js";
import type { ErrorClass } from "./hooks.js";
import type { MultipartParser } from "./form.js";
import type { ProvideOptions } from "./provide.js";
import type { RouteRecord } from "./route.js";
import type { MountedRoutes, RouteMethod, Simplify } from "./types.js";

export type {
  RouteOptions,
  RouteInput,
  AnyResponse,
  RouteReturn,
  RouteFunction,
  RouteEntry,
  MountedRoutes,
  DefineItWithDefineMiddleware,
  InlineUse,
  RouteMethod,
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
