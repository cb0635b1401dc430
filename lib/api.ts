// createApi(): an immutable builder; every method returns a new frozen Api over a new route map.

import type { Logger } from "@aws-lambda-powertools/logger";
import type * as v from "valibot";
import { createAccessLog, type LogRecord } from "./access-log.js";
import { planComposition } from "./chain.js";
import {
  type AddedBy,
  type ErrorClass,
  type Hooks,
  type Middleware,
  type MiddlewareInput,
  type MiddlewareRecord,
  middlewareRecord,
  type Next,
  routeChain,
  type UseAdded,
  type WithAdded,
  withAnswerHook,
  withErrorHook,
} from "./compose.js";
import {
  createFetch,
  createHandler,
  createStreamingHandler,
  type FetchHandler,
  type Handler,
} from "./dispatch.js";
import { type InjectRequest, type InjectResult, inject } from "./inject.js";
import { planInput } from "./input.js";
import { mountRoutes } from "./mount.js";
import type { Compiled } from "./pipeline.js";
import type { FormLimits } from "./form.js";
import type { DocsOptions, DocsServer } from "./openapi/docs.js";
import { makeProvider, type ProvideOptions, type Provider } from "./provide.js";
import type { Request } from "./request.js";
import type { Response, ResponseState } from "./response.js";
import { parseTemplate, type RouteRecord } from "./route.js";
import { createRouter } from "./router.js";
import { planSerializer } from "./serialize.js";
import { settings } from "./settings.js";
import type { StreamingHandler } from "./response-stream.js";
import type { StreamingResponse } from "./stream.js";
import type { AnySchema, MaybePromise, OutputOr, PathParams, Simplify } from "./types.js";
import { isStatus } from "./util/status.js";

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
  /** Your Powertools Logger (service name, sampling, level are yours). */
  logger?: Logger;
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
   * How many records of an SQS standard queue, SNS or Amazon MQ batch run at once (a positive
   * integer, or Infinity). FIFO queues always run one record at a time, in order. See docs/batches.md.
   * @default Infinity (every record of the batch at once)
   */
  batchConcurrency?: number;
  /**
   * The largest request body `api.fetch` reads, in bytes; a larger one is answered 413 before
   * the pipeline. Lambda events need no limit here: the service caps them (6 MB).
   * @default 10485760 (10 MiB, API Gateway's payload limit)
   */
  maxBodyBytes?: number;
  /**
   * Limits on multipart/form-data bodies: parts, field and file sizes; past one the answer is
   * 413 naming it. See docs/sources.md.
   * @default { maxParts: 1000, maxFieldBytes: 1048576, maxFileBytes: 10485760 }
   */
  forms?: FormLimits;
}

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
  } & Ctx
>;

/** Anything that answers as a whole. */
export type AnyResponse = Response<unknown> | globalThis.Response | StreamingResponse;

/** What a route function may return: with a `response` schema, that schema's input or a Response. */
export type RouteReturn<O> = O extends { response: infer S extends AnySchema }
  ? MaybePromise<v.InferInput<S> | AnyResponse>
  : unknown;

/** The function of a route: its input also holds what its `use` middleware add. */
export type RouteFunction<Path extends string, O, Ctx> = (
  input: RouteInput<Path, O, WithAdded<Ctx, UseAdded<O>>>,
) => RouteReturn<O>;

/** Registers a route for one method. */
export type RouteMethod<Ctx extends object> = <
  const Path extends string,
  O extends RouteOptions<Ctx> = {},
>(
  path: Path,
  fn: RouteFunction<Path, O, Ctx>,
  options?: O,
) => Api<Ctx>;

/** An immutable API: every method returns a new Api; `handler` serves Lambda events. */
export interface Api<Ctx extends object = {}> {
  /** The frozen route map. */
  readonly routes: readonly RouteRecord[];
  /** The Lambda handler: `export const handler = api.handler`. */
  readonly handler: Handler;
  /**
   * The Lambda handler for response streaming (Function URLs with `RESPONSE_STREAM`, API
   * Gateway REST response streaming): wrapped with the runtime's `awslambda.streamifyResponse`,
   * it writes the HTTP prelude, then a StreamingResponse chunk by chunk (any other answer in one
   * chunk). Under `handler`, a StreamingResponse is collected into one result. See docs/sources.md.
   * @example
   * export const handler = api.streamingHandler;
   */
  readonly streamingHandler: StreamingHandler;
  /**
   * The web-standard entry point: a web Request through the same pipeline (routing, validation,
   * errors, access log, without a Lambda context) to a web Response. Bound: pass it as is.
   * @example
   * Bun.serve({ fetch: api.fetch });
   * Deno.serve(api.fetch);
   * export default { fetch: api.fetch }; // Cloudflare Workers
   */
  readonly fetch: FetchHandler;
  readonly get: RouteMethod<Ctx>;
  readonly head: RouteMethod<Ctx>;
  readonly post: RouteMethod<Ctx>;
  readonly put: RouteMethod<Ctx>;
  readonly patch: RouteMethod<Ctx>;
  readonly delete: RouteMethod<Ctx>;
  readonly options: RouteMethod<Ctx>;
  /**
   * Provides a resource (DB pool, SDK client) to the routes registered after this call, by
   * name, typed: created once per execution environment on first use, retried when creation
   * failed (that request answers 503), disposed on SIGTERM, best effort.
   */
  provide<const Name extends string, T>(
    name: Name,
    factory: () => T | Promise<T>,
    options?: ProvideOptions<Awaited<T>>,
  ): Api<Simplify<Omit<Ctx, Name> & { [K in Name]: Awaited<T> }>>;
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
  ): Api<WithAdded<Ctx, AddedBy<R>>>;
  /**
   * Adds the routes of `api` under `prefix`, with their own middleware, hooks and providers, and
   * inside the middleware this Api registered before the call.
   * @throws TypeError when a route clashes with one already registered (naming both).
   * @example
   * createApi().use(cors({ origin: "https://app.example.com" })).mount("/v1", items);
   */
  mount<Other extends object>(prefix: string, api: Api<Other>): Api<Ctx>;
  /**
   * Answers errors of class `type` (subclasses too) with what `hook` returns (a plain value is
   * answered 500 unless `response.status` says otherwise; a Response or an HTTPException sets its
   * own). Hooks are checked in registration order, for every route, for errors that would
   * otherwise be uncaught; an error thrown by a hook falls back to the default handling.
   * @example
   * api.onError(NotFoundError, (error) => { throw new HTTPException(404, error.message); });
   */
  onError<E>(type: ErrorClass<E>, hook: (error: E, input: MiddlewareInput) => unknown): Api<Ctx>;
  /**
   * Answers requests no route matched; a plain value is answered 404.
   * @example
   * api.notFound(({ request }) => ({ detail: `Nothing at ${request.path}` }));
   */
  notFound(fn: (input: MiddlewareInput) => unknown): Api<Ctx>;
  /**
   * Answers requests whose path has routes but not for their method; a plain value is answered
   * 405, and `Allow` is added when the answer lacks one. (OPTIONS keeps its 204.)
   */
  methodNotAllowed(fn: (input: MiddlewareInput) => unknown): Api<Ctx>;
  /** Runs a synthetic request through the whole pipeline: how you test an Api without AWS. */
  inject(request: InjectRequest): Promise<InjectResult>;
  /**
   * Serves the OpenAPI 3.1 document of this Api's routes (those registered after this call
   * too) and an interactive explorer: two GET routes, `specPath` and `path`. The code behind
   * them (lib/openapi) loads on their first request; see docs/openapi.md.
   * @example
   * export const api = createApi().get("/", () => "hi").docs({ title: "Items", version: "1.0.0" });
   */
  docs(options: DocsOptions): Api<Ctx>;
}

interface State {
  readonly options: ApiOptions;
  readonly routes: readonly RouteRecord[];
  readonly providers: readonly Provider[];
  readonly docs?: DocsOptions;
  /** `api.use` middleware so far: they wrap the routes registered next. */
  readonly middleware?: readonly MiddlewareRecord[];
  /** Those registered before any route: they also run when no route matched. */
  readonly global?: readonly MiddlewareRecord[];
  readonly hooks?: Hooks;
}

function buildRoute(
  state: State,
  method: string,
  path: string,
  fn: unknown,
  options: RouteOptions = {},
): RouteRecord {
  const parsed = parseTemplate(path);
  const name = `${method} ${parsed.template}`;
  if (typeof fn !== "function")
    throw new TypeError(`${name}: the route function must be a function, got ${typeof fn}`);
  if (options.status !== undefined && !isStatus(options.status)) {
    throw new RangeError(
      `${name}: status must be an integer from 100 to 599, got ${String(options.status)}`,
    );
  }
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) {
    throw new RangeError(
      `${name}: timeoutMs must be a positive number, got ${String(options.timeoutMs)}`,
    );
  }
  for (const [code, text] of Object.entries(options.errors ?? {})) {
    if (!(isStatus(Number(code)) && Number(code) >= 400) || typeof text !== "string") {
      throw new RangeError(
        `${name}: errors must map statuses from 400 to 599 to descriptions, got ${JSON.stringify(code)}: ${JSON.stringify(text)}`,
      );
    }
  }
  const clash = state.routes.find((r) => r.method === method && r.parsed.shape === parsed.shape);
  if (clash) {
    const same = clash.parsed.template === parsed.template;
    throw new TypeError(
      same
        ? `${name} is already registered`
        : `${name} clashes with ${clash.name}, already registered`,
    );
  }
  const input = planInput({
    body: options.body,
    query: options.query,
    params: options.params,
    headers: options.headers,
    forms: state.options.forms,
  });
  const use = routeChain(name, state.middleware, options.use, state.providers);
  return Object.freeze({
    method,
    parsed,
    name,
    fn: fn as RouteRecord["fn"],
    status: options.status,
    timeoutMs: options.timeoutMs,
    input,
    validates: Boolean(options.body || options.query || options.params || options.headers),
    serializer: planSerializer(name, options.response, options.serializer === "json"),
    providers: state.providers,
    options: Object.freeze({ ...options }),
    use,
  });
}

function compile(state: State): Compiled {
  const { options } = state;
  const enabled = options.accessLog !== false;
  return {
    router: createRouter(state.routes),
    basePath:
      options.basePath && options.basePath !== "/"
        ? options.basePath.replace(/\/$/, "")
        : undefined,
    timeoutMs: options.timeoutMs ?? settings().functionTimeout * 1000,
    marginMs: options.timeoutMarginMs ?? 500,
    uncaught: options.uncaughtErrors ?? "throw",
    accessLog: enabled ? createAccessLog(options.logger) : undefined,
    batchConcurrency: options.batchConcurrency,
    composition: planComposition(state.routes, state.global, state.hooks),
  };
}

const DOCS = Symbol.for("aio-lambda-api.docs");

/**
 * Adds the two routes of `api.docs` to the state of one Api, so the document describes every
 * route of the Api that serves it. lib/openapi is reached only by `import()` (issue 9): an app
 * that never calls `docs()` never loads it.
 */
function withDocs(state: State, docs: DocsOptions): State {
  // The docs routes use no provided resource: with providers they would create them all.
  // Nor do they run the middleware of later routes (an auth check): only those of every path.
  const bare: State = { ...state, providers: Object.freeze([]), middleware: state.global };
  let server: Promise<DocsServer> | undefined;
  const load = () =>
    (server ??= import("./openapi/docs.js").then((m) => m.docsServer(state.routes, docs)));
  const marked = (kind: string) => ({ hidden: true, [DOCS]: kind }) as RouteOptions;
  const spec = buildRoute(
    bare,
    "GET",
    docs.specPath ?? "/openapi.json",
    () => load().then((s) => s.document()),
    marked("document"),
  );
  const page = buildRoute(
    { ...bare, routes: [...state.routes, spec] },
    "GET",
    docs.path ?? "/docs",
    () => load().then((s) => s.page()),
    marked("page"),
  );
  return { ...state, routes: Object.freeze([...state.routes, spec, page]) };
}

/** Each Api's state, for `mount` to read another Api's routes and hooks. */
const states = new WeakMap<object, State>();

function makeApi<Ctx extends object>(state: State): Api<Ctx> {
  const served = state.docs ? withDocs(state, state.docs) : state;
  const compiled = () => compile(served);
  let app: Compiled | undefined;
  const ready = () =>
    (app?.accessLog as { ready?: () => Promise<void> | undefined } | undefined)?.ready?.();
  const handler = createHandler(() => (app ??= compiled()), ready);
  const streamingHandler = createStreamingHandler(handler, () => (app ??= compiled()), ready);
  const fetch = createFetch(
    () => (app ??= compiled()),
    ready,
    state.options.maxBodyBytes ?? 10 * 1024 * 1024,
  );
  const route = (method: string) =>
    ((path: string, fn: unknown, options?: RouteOptions) =>
      makeApi({
        ...state,
        routes: Object.freeze([...state.routes, buildRoute(state, method, path, fn, options)]),
      })) as RouteMethod<Ctx>;
  const api: Api<Ctx> = {
    routes: served.routes,
    handler,
    streamingHandler,
    fetch,
    get: route("GET"),
    head: route("HEAD"),
    post: route("POST"),
    put: route("PUT"),
    patch: route("PATCH"),
    delete: route("DELETE"),
    options: route("OPTIONS"),
    provide(name, factory, options) {
      if (
        typeof name !== "string" ||
        name === "" ||
        [
          "body",
          "query",
          "params",
          "headers",
          "cookies",
          "request",
          "response",
          "log",
          "signal",
          "route",
          "allow",
        ].includes(name)
      ) {
        throw new TypeError(
          `provide: the name must be a non-empty string that is not a route input key, got ${JSON.stringify(name)}`,
        );
      }
      const provider = makeProvider(name, factory, options as ProvideOptions<unknown>);
      return makeApi({
        ...state,
        providers: Object.freeze([...state.providers.filter((p) => p.name !== name), provider]),
      });
    },
    use(fn) {
      const record = middlewareRecord(fn, state.providers, "api", "use");
      const middleware = Object.freeze([...(state.middleware ?? []), record]);
      const global = state.routes.length === 0 ? middleware : state.global;
      return makeApi({ ...state, middleware, global });
    },
    mount(prefix, other) {
      const child = states.get(other);
      if (!child) {
        throw new TypeError("mount: the second argument must be an Api made by createApi()");
      }
      const source = {
        routes: child.routes,
        errorHooks: child.hooks?.errors,
        timeoutMs: child.options.timeoutMs,
      };
      const added = mountRoutes(prefix, source, state.middleware, state.routes);
      return makeApi({ ...state, routes: Object.freeze([...state.routes, ...added]) });
    },
    onError: (type, hook) => makeApi({ ...state, hooks: withErrorHook(state.hooks, type, hook) }),
    notFound: (fn) => makeApi({ ...state, hooks: withAnswerHook(state.hooks, "notFound", fn) }),
    methodNotAllowed: (fn) =>
      makeApi({ ...state, hooks: withAnswerHook(state.hooks, "methodNotAllowed", fn) }),
    inject: (request) => inject(handler, request),
    docs(options) {
      if (typeof options?.title !== "string" || typeof options.version !== "string") {
        throw new TypeError(
          `docs: title and version must be strings, got ${JSON.stringify([options?.title, options?.version])}`,
        );
      }
      if (options.ui !== undefined && options.ui !== "swagger" && options.ui !== "scalar") {
        throw new TypeError(
          `docs: ui must be "swagger" or "scalar", got ${JSON.stringify(options.ui)}`,
        );
      }
      return makeApi({ ...state, docs: Object.freeze({ ...options }) });
    },
  };
  states.set(api, state);
  return Object.freeze(api);
}

/**
 * Creates an empty Api. Reads the settings from the environment now, so an invalid
 * FUNCTION_TIMEOUT fails at start.
 * @example
 * export const api = createApi().get("/", () => ({ Hello: "World" }));
 * export const handler = api.handler;
 */
export function createApi(options: ApiOptions = {}): Api {
  settings();
  if (options.basePath !== undefined && !options.basePath.startsWith("/")) {
    throw new TypeError(`basePath must start with "/", got ${JSON.stringify(options.basePath)}`);
  }
  for (const [key, value] of Object.entries(options.forms ?? {})) {
    if (!["maxParts", "maxFieldBytes", "maxFileBytes"].includes(key)) {
      throw new TypeError(
        `forms.${key} is not a limit; expected maxParts, maxFieldBytes or maxFileBytes`,
      );
    }
    if (!(Number.isInteger(value) && value > 0)) {
      throw new RangeError(`forms.${key} must be a positive whole number, got ${String(value)}`);
    }
  }
  const maxBody = options.maxBodyBytes;
  if (maxBody !== undefined && !(Number.isInteger(maxBody) && maxBody >= 0)) {
    throw new RangeError(`maxBodyBytes must be a whole number of bytes, got ${String(maxBody)}`);
  }
  const limit = options.batchConcurrency;
  if (limit !== undefined && !(Number.isInteger(limit) ? limit > 0 : limit === Infinity)) {
    throw new RangeError(
      `batchConcurrency must be a positive integer or Infinity, got ${String(limit)}`,
    );
  }
  return makeApi({
    options: Object.freeze({ ...options }),
    routes: Object.freeze([]),
    providers: Object.freeze([]),
  });
}
