// createApi(): an immutable builder; every method returns a new frozen Api over a new route map.

import { createAccessLog } from "./access-log.js";
import { type MiddlewareRecord, middlewareRecord, RESERVED, routeChain } from "./compose.js";
import { createFetch, createHandler, createStreamingHandler, lazyStart } from "./dispatch.js";
import { inject } from "./inject.js";
import { checkParams, planInput } from "./input.js";
import { type Hooks, withAnswerHook, withErrorHook } from "./hooks.js";
import { mountRoutes } from "./mount.js";
import { type Compiled, compileApp } from "./pipeline.js";
import type { DocsOptions, DocsServer } from "./openapi/docs.js";
import { makeProvider, type ProvideOptions, type Provider } from "./provide.js";
import { checkClash, parseTemplate, type RouteRecord } from "./route.js";
import { planSerializer } from "./serialize.js";
import { settings } from "./settings.js";
import { describeValue, quote } from "./util/describe.js";
import { isStatus } from "./util/status.js";

export type {
  ApiOptions,
  RouteOptions,
  RouteInput,
  AnyResponse,
  RouteReturn,
  RouteFunction,
  RouteMethod,
  Api,
} from "./api-types.js";
import type { ApiOptions, RouteOptions, RouteMethod, Api } from "./api-types.js";

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
    throw new TypeError(`${name}: the route function must be a function, got ${describeValue(fn)}`);
  if (options.status !== undefined && !isStatus(options.status)) {
    throw new RangeError(
      `${name}: status must be an integer from 100 to 599, got ${describeValue(options.status)}`,
    );
  }
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) {
    throw new RangeError(
      `${name}: timeoutMs must be a positive number, got ${describeValue(options.timeoutMs)}`,
    );
  }
  for (const [code, text] of Object.entries(options.errors ?? {})) {
    if (!(isStatus(Number(code)) && Number(code) >= 400) || typeof text !== "string") {
      throw new RangeError(
        `${name}: errors must map statuses from 400 to 599 to descriptions, got ${quote(code)}: ${describeValue(text)}`,
      );
    }
  }
  checkClash(state.routes, method, parsed, name);
  checkParams(name, parsed.paramNames, options.params);
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
  const accessLog = options.accessLog !== false ? createAccessLog(options.logger) : undefined;
  return compileApp({
    routes: state.routes,
    global: state.global,
    hooks: state.hooks,
    basePath:
      options.basePath && options.basePath !== "/"
        ? options.basePath.replace(/\/$/, "")
        : undefined,
    timeoutMs: options.timeoutMs ?? settings().functionTimeout * 1000,
    marginMs: options.timeoutMarginMs ?? 500,
    uncaught: options.uncaughtErrors ?? "throw",
    accessLog,
    batchConcurrency: options.batchConcurrency,
    ready: () => accessLog?.ready(),
  });
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
  const start = lazyStart(() => compile(served));
  const handler = createHandler(start);
  const streamingHandler = createStreamingHandler(handler, start);
  const fetch = createFetch(start, state.options.maxBodyBytes ?? 10 * 1024 * 1024);
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
      if (typeof name !== "string" || name === "" || RESERVED.has(name)) {
        throw new TypeError(
          `provide: the name must be a non-empty string that is not a route input key, got ${describeValue(name)}`,
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
    throw new TypeError(`basePath must start with "/", got ${describeValue(options.basePath)}`);
  }
  for (const [key, value] of Object.entries(options.forms ?? {})) {
    if (!["maxParts", "maxFieldBytes", "maxFileBytes"].includes(key)) {
      throw new TypeError(
        `forms.${key} is not a limit; expected maxParts, maxFieldBytes or maxFileBytes`,
      );
    }
    if (!(Number.isInteger(value) && value > 0)) {
      throw new RangeError(
        `forms.${key} must be a positive whole number, got ${describeValue(value)}`,
      );
    }
  }
  // A NaN or negative timeout would cut every async route after about 1 ms.
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) {
    throw new RangeError(
      `timeoutMs must be a positive number of ms, got ${describeValue(options.timeoutMs)}`,
    );
  }
  const margin = options.timeoutMarginMs;
  if (margin !== undefined && !(margin >= 0 && Number.isFinite(margin))) {
    throw new RangeError(
      `timeoutMarginMs must be a number of ms >= 0, got ${describeValue(margin)}`,
    );
  }
  const maxBody = options.maxBodyBytes;
  if (maxBody !== undefined && !(Number.isInteger(maxBody) && maxBody >= 0)) {
    throw new RangeError(
      `maxBodyBytes must be a whole number of bytes, got ${describeValue(maxBody)}`,
    );
  }
  const limit = options.batchConcurrency;
  if (limit !== undefined && !(Number.isInteger(limit) ? limit > 0 : limit === Infinity)) {
    throw new RangeError(
      `batchConcurrency must be a positive integer or Infinity, got ${describeValue(limit)}`,
    );
  }
  return makeApi({
    options: Object.freeze({ ...options }),
    routes: Object.freeze([]),
    providers: Object.freeze([]),
  });
}
