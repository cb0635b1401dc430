// withDocs(api, options): the OpenAPI document and an interactive explorer served as two routes of the Api.

import { type State, buildRoute, extendApi } from "../api.js";
import type { Api, RouteOptions } from "../api-types.js";
import { type DocsOptions, type DocsServer, docsServer } from "./docs.js";

/** Marks the docs routes in their options, for `docsPaths` to find them. */
export const DOCS = Symbol.for("aio-lambda-api.docs");

/**
 * Adds the two docs routes to the state an Api is made of, so the document describes every
 * route of the Api that serves it, those registered after `withDocs` too.
 */
function describe(state: State, docs: DocsOptions): State {
  // The docs routes use no provided resource: with providers they would create them all.
  // Nor do they run the middleware of later routes (an auth check): only those of every path.
  const bare: State = { ...state, providers: Object.freeze([]), middleware: state.global };
  let server: DocsServer | undefined;
  const load = () => (server ??= docsServer(state.routes, docs));
  const marked = (kind: string) => ({ hidden: true, [DOCS]: kind }) as RouteOptions;
  const spec = buildRoute(
    bare,
    "GET",
    docs.specPath ?? "/openapi.json",
    () => load().document(),
    marked("document"),
  );
  const page = buildRoute(
    { ...bare, routes: [...state.routes, spec] },
    "GET",
    docs.path ?? "/docs",
    () => load().page(),
    marked("page"),
  );
  return { ...state, routes: Object.freeze([...state.routes, spec, page]) };
}

/**
 * A new Api that also serves the OpenAPI 3.1 document of its routes (those registered later
 * too) and an interactive explorer (Swagger UI or Scalar): two GET routes, `specPath` and
 * `path`, left out of the document themselves. The document is built on their first request.
 * @throws TypeError when `title` or `version` is not a string, or `ui` is neither "swagger"
 * nor "scalar".
 * @example
 * import { withDocs } from "aio-lambda-api/openapi";
 * export const api = withDocs(createApi().get("/", () => "hi"), { title: "Items", version: "1.0.0" });
 */
export function withDocs<Ctx extends object, Needs extends object, Routes extends object>(
  api: Api<Ctx, Needs, Routes>,
  options: DocsOptions,
): Api<Ctx, Needs, Routes> {
  if (typeof options?.title !== "string" || typeof options.version !== "string") {
    throw new TypeError(
      `withDocs: title and version must be strings, got ${JSON.stringify([options?.title, options?.version])}`,
    );
  }
  if (options.ui !== undefined && options.ui !== "swagger" && options.ui !== "scalar") {
    throw new TypeError(
      `withDocs: ui must be "swagger" or "scalar", got ${JSON.stringify(options.ui)}`,
    );
  }
  const docs: DocsOptions = Object.freeze({ ...options });
  return extendApi(api, "withDocs", (state) => ({
    ...state,
    describe: (served) => describe(served, docs),
  }));
}
