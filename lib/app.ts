// An Api compiled for serving: its router over routes whose chains are composed once, and the answers when no route matched.

import type { AccessLog } from "./access-log.js";
import {
  type Chain,
  compose,
  type Exchange,
  type Handle,
  planChain,
  unmatchedHandle,
} from "./compose.js";
import type { MultipartParser } from "./form.js";
import type { ErrorHook, Hooks } from "./hooks.js";
import { callRoute } from "./pipeline.js";
import { detailReply, type Reply } from "./reply.js";
import type { RouteRecord } from "./route.js";
import { createRouter, type Match, type Router } from "./router.js";
import type { MiddlewareRecord } from "./use.js";

/** A route ready to serve: its record and the handle composed once from its chain. */
export interface ServedRoute extends RouteRecord {
  readonly handle: Handle;
}

/** An Api compiled for serving: its router, resolved options and composed handles. */
export interface Compiled {
  readonly router: Router<ServedRoute>;
  readonly basePath: string | undefined;
  /** Default route timeout in ms. */
  readonly timeoutMs: number;
  readonly marginMs: number;
  /** What an uncaught error in an HTTP event does: rethrow (Lambda reports it) or answer 500. */
  readonly uncaught: "throw" | "respond";
  readonly accessLog: AccessLog | undefined;
  /** Parses multipart bodies; undefined when the Api accepts none. */
  readonly multipart: MultipartParser | undefined;
  /** Readies the access log (loads the default Logger); undefined when there is nothing to wait for. */
  ready(): Promise<void> | undefined;
  /** The handle of a request no route took: a 404, a 405 or preflight, a bad path. */
  unmatched(match: Exclude<Match<ServedRoute>, { kind: "route" }>): Handle;
}

/** What `compileApp` needs of an Api: its routes, middleware and hooks, and the options served as they are. */
export interface AppPlan
  extends Pick<
    Compiled,
    "basePath" | "timeoutMs" | "marginMs" | "uncaught" | "accessLog" | "multipart" | "ready"
  > {
  readonly routes: readonly RouteRecord[];
  /** The middleware registered before any route: they also run when no route matched. */
  readonly global: readonly MiddlewareRecord[] | undefined;
  readonly hooks: Hooks | undefined;
}

/** The default answer when no route matched: 400 for a bad path, 405 or 204 (OPTIONS), else 404. */
function unmatchedReply(match: Exclude<Match<ServedRoute>, { kind: "route" }>) {
  return (x: Exchange): Reply => {
    switch (match.kind) {
      case "bad-path":
        x.record.error_detail = "Invalid percent-encoding in path";
        return detailReply(400, "Invalid percent-encoding in path");
      case "method":
        if (x.request.method === "OPTIONS") {
          return { status: 204, headers: { allow: match.allow.join(", ") }, body: undefined };
        }
        return detailReply(405, undefined, { allow: match.allow.join(", ") });
      default:
        return detailReply(404);
    }
  };
}

/** The Api middleware every one of `routes` runs, in order: what a 405 or preflight on their path runs. */
function sharedMiddleware(routes: readonly RouteRecord[]): readonly MiddlewareRecord[] {
  let common: readonly MiddlewareRecord[] | undefined;
  for (const route of routes) {
    const all = route.use ?? [];
    let n = 0;
    while (n < all.length && all[n]!.scope === "api" && (!common || common[n] === all[n])) n++;
    common = all.slice(0, common ? Math.min(n, common.length) : n);
  }
  return common ?? [];
}

/**
 * Compiles an Api for serving: every route's chain composed once around its call (a route with
 * neither middleware nor hooks is its call alone), and the handles of unmatched requests.
 */
export function compileApp(plan: AppPlan): Compiled {
  const apiHooks: readonly ErrorHook[] = plan.hooks?.errors ?? [];
  const served = plan.routes.map((route): ServedRoute => {
    const call: Handle = (x) => callRoute(route, x);
    const hooks = route.errorHooks ? [...route.errorHooks, ...apiHooks] : apiHooks;
    const handle =
      route.use || hooks.length > 0 ? compose(planChain(route.use ?? [], hooks), call) : call;
    return Object.freeze({ ...route, handle });
  });
  const router = createRouter(served);
  const globalChain: Chain = planChain(plan.global ?? [], apiHooks);
  const handles = new Map<string, Handle>();
  const make = (
    chain: Chain,
    match: Exclude<Match<ServedRoute>, { kind: "route" }>,
    hook?: (input: never) => unknown,
  ) => {
    const inner = unmatchedHandle({ reply: unmatchedReply(match), hook });
    return chain.steps.length > 0 || chain.hooks.length > 0 ? compose(chain, inner) : inner;
  };
  const notFound = make(globalChain, { kind: "none" }, plan.hooks?.notFound);
  const badPath = make(globalChain, { kind: "bad-path" });
  return {
    router,
    basePath: plan.basePath,
    timeoutMs: plan.timeoutMs,
    marginMs: plan.marginMs,
    uncaught: plan.uncaught,
    accessLog: plan.accessLog,
    multipart: plan.multipart,
    ready: plan.ready,
    unmatched(match) {
      if (match.kind === "none") return notFound;
      if (match.kind === "bad-path") return badPath;
      // A 405 or preflight runs the Api middleware its path's routes share (cors answers it).
      const key = `${match.routes.map((r) => r.name).join("\n")}\n${match.allow.join(",")}`;
      let handle = handles.get(key);
      if (!handle) {
        const shared = sharedMiddleware(match.routes);
        const chain = shared.length > 0 ? planChain(shared, apiHooks) : globalChain;
        handle = make(chain, match, plan.hooks?.methodNotAllowed);
        handles.set(key, handle);
      }
      return handle;
    },
  };
}
