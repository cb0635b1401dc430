// createApi(): an immutable builder; every method returns a new frozen Api over a new route map.

import { createAccessLog } from "./access-log.js";
import { type MiddlewareRecord, middlewareRecord, RESERVED, routeChain } from "./use.js";
import { createHandler, lazyStart, type Start } from "./dispatch.js";
import { checkParams, planInput } from "./input-plan.js";
import { type Hooks, withAnswerHook, withErrorHook } from "./hooks.js";
import { describeValue, quote } from "./util/describe.js";
import { mountRoutes } from "./mount.js";
import { checkExpects, mountAround, withParentProviders } from "./sub-api.js";
import { type Compiled, compileApp } from "./app.js";
import { makeProvider, type ProvideOptions, type Provider } from "./provide.js";
import { checkClash, parseTemplate, type RouteRecord } from "./route.js";
import { planSerializer } from "./serialize.js";
import { settings } from "./settings.js";
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
  ExpectsOption,
  MountCheck,
} from "./api-types.js";
import type { ApiOptions, RouteOptions, RouteMethod, Api, ExpectsOption } from "./api-types.js";

/** What an Api is made of; a new one for every change. */
export interface State {
  readonly options: ApiOptions;
  readonly routes: readonly RouteRecord[];
  readonly providers: readonly Provider[];
  /**
   * Adds routes that describe all the others (aio-lambda-api/openapi's `withDocs`), applied when
   * an Api is made, so routes registered later are described too.
   */
  readonly describe?: (state: State) => State;
  /** `api.use` middleware so far: they wrap the routes registered next. */
  readonly middleware?: readonly MiddlewareRecord[];
  /** Those registered before any route: they also run when no route matched. */
  readonly global?: readonly MiddlewareRecord[];
  readonly hooks?: Hooks;
  /** `createApi({ expects })`: the names this Api expects from the Api it is mounted in. */
  readonly expects?: readonly string[];
}

/** Checks and records one route (exported for the routes other subpaths add). */
export function buildRoute(
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
    claims: options.claims,
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
    validates: Boolean(
      options.body || options.query || options.params || options.headers || options.claims,
    ),
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
    multipart: options.multipart,
    ready: () => accessLog?.ready(),
  });
}

/** Each Api's state and start, for `mount` and the entry points of other subpaths. */
const states = new WeakMap<object, { readonly state: State; readonly start: Start }>();

function internalsOf(api: unknown, where: string): { state: State; start: Start } {
  const found = typeof api === "object" && api !== null ? states.get(api) : undefined;
  if (!found) {
    throw new TypeError(`${where}: expected an Api made by createApi(), got ${describeValue(api)}`);
  }
  return found;
}

/**
 * The start of an Api's serving state, shared by `api.handler` and the entry points other
 * subpaths make of it (streaming, fetch, batches, tests): one compile, one logger.
 * @throws TypeError naming `where` when `api` was not made by createApi().
 */
export function startOf(api: unknown, where: string): Start {
  return internalsOf(api, where).start;
}

/**
 * A new Api made from another's state: how aio-lambda-api/openapi adds the docs routes.
 * @throws TypeError naming `where` when `api` was not made by createApi().
 */
export function extendApi<Ctx extends object, Needs extends object = {}>(
  api: Api<Ctx, Needs>,
  where: string,
  change: (state: State) => State,
): Api<Ctx, Needs> {
  return makeApi(change(internalsOf(api, where).state));
}

function makeApi<Ctx extends object, Needs extends object = {}>(state: State): Api<Ctx, Needs> {
  const served = state.describe ? state.describe(state) : state;
  const start = lazyStart(() => compile(served));
  const handler = createHandler(start);
  const route = (method: string) =>
    ((path: string, fn: unknown, options?: RouteOptions) =>
      makeApi({
        ...state,
        routes: Object.freeze([...state.routes, buildRoute(state, method, path, fn, options)]),
      })) as RouteMethod<Ctx, Needs>;
  const api: Api<Ctx, Needs> = {
    routes: served.routes,
    handler,
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
      const child = states.get(other)?.state;
      if (!child) {
        throw new TypeError("mount: the second argument must be an Api made by createApi()");
      }
      const around = mountAround(prefix, state, child.expects);
      const source = {
        routes: withParentProviders(child.routes, state.providers),
        errorHooks: child.hooks?.errors,
        timeoutMs: child.options.timeoutMs,
      };
      const added = mountRoutes(prefix, source, around, state.routes);
      return makeApi({ ...state, routes: Object.freeze([...state.routes, ...added]) });
    },
    onError: (type, hook) => makeApi({ ...state, hooks: withErrorHook(state.hooks, type, hook) }),
    notFound: (fn) => makeApi({ ...state, hooks: withAnswerHook(state.hooks, "notFound", fn) }),
    methodNotAllowed: (fn) =>
      makeApi({ ...state, hooks: withAnswerHook(state.hooks, "methodNotAllowed", fn) }),
  };
  states.set(api, { state, start });
  return Object.freeze(api);
}

/**
 * Creates an empty Api. Reads the settings from the environment now, so an invalid
 * FUNCTION_TIMEOUT fails at start. A sub-API states what it expects from the Api it is mounted
 * in as `Context`, and its names as `expects` (see docs/composition.md).
 * @example
 * export const api = createApi().get("/", () => ({ Hello: "World" }));
 * export const handler = api.handler;
 * @example
 * export const items = createApi<{ db: Db; user: User }>({ expects: ["db", "user"] });
 */
export function createApi<Ctx extends object = {}>(
  ...args: [keyof Ctx] extends [never]
    ? [options?: ApiOptions & ExpectsOption<NoInfer<Ctx>>]
    : [options: ApiOptions & ExpectsOption<NoInfer<Ctx>>]
): Api<Ctx, Ctx> {
  settings();
  const options: ApiOptions & { expects?: unknown } = args[0] ?? {};
  const expects = checkExpects(options.expects);
  if (options.basePath !== undefined && !options.basePath.startsWith("/")) {
    throw new TypeError(`basePath must start with "/", got ${describeValue(options.basePath)}`);
  }
  if (options.multipart !== undefined && typeof options.multipart !== "function") {
    throw new TypeError(
      `multipart must be the parser multipart() from "aio-lambda-api/forms" makes, got ${describeValue(options.multipart)}`,
    );
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
  return makeApi({
    options: Object.freeze({ ...options }),
    routes: Object.freeze([]),
    providers: Object.freeze([]),
    ...(expects ? { expects } : {}),
  });
}
