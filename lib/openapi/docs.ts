// What `withDocs` serves: the JSON document, made on its first request, and the explorer page.

import { Response } from "../response.js";
import type { RouteRecord } from "../route.js";
import { buildDocument, type OpenApiOptions } from "./document.js";
import { DEFAULT_ASSETS, type DocsUi, docsPage } from "./html.js";

/** Options of `withDocs`: the document's options, and where and how the explorer is served. */
export interface DocsOptions extends OpenApiOptions {
  /**
   * The route of the explorer page.
   * @default "/docs"
   */
  path?: string;
  /**
   * The route of the JSON document.
   * @default "/openapi.json"
   */
  specPath?: string;
  /**
   * The explorer: Swagger UI or Scalar.
   * @default "swagger"
   */
  ui?: DocsUi;
  /**
   * The folder URL the explorer's files load from, for self-hosting them: Swagger UI needs
   * `swagger-ui.css` and `swagger-ui-bundle.js` there (from `swagger-ui-dist`), Scalar
   * `standalone.js` (from `@scalar/api-reference/dist/browser`). A path starting with `/` is
   * taken as a route of this API (it gets the page's stage or base-path prefix).
   * @default the jsDelivr CDN, at the release the library was tested with
   */
  assetsUrl?: string;
}

/** The two answers of the docs routes. */
export interface DocsServer {
  /** The document as `application/json`; built on the first call, then reused. */
  document(): Response;
  /** The explorer page as `text/html`. */
  page(): Response;
}

/**
 * The server relative to the document's URL, so "Try it out" calls the API under the same
 * stage or base path the document was fetched from: `/openapi.json` → `.`, `/v1/spec.json` → `..`.
 */
function relativeServer(specPath: string): string {
  const depth = specPath.split("/").filter(Boolean).length - 1;
  return depth <= 0 ? "." : Array.from({ length: depth }, () => "..").join("/");
}

/**
 * Serves the docs of `routes`.
 * @throws (from `document()`) what `openapi()` throws: a duplicate operationId, say.
 */
export function docsServer(routes: readonly RouteRecord[], options: DocsOptions): DocsServer {
  const specPath = options.specPath ?? "/openapi.json";
  const ui = options.ui ?? "swagger";
  let text: string | undefined;
  let html: string | undefined;
  return {
    document() {
      text ??= JSON.stringify(
        buildDocument(routes, {
          ...options,
          servers: options.servers ?? [
            { url: relativeServer(specPath), description: "The API serving this document" },
          ],
        }),
      );
      return new Response(text, { mediaType: "application/json" });
    },
    page() {
      html ??= docsPage({
        ui,
        title: options.title,
        path: options.path ?? "/docs",
        specPath,
        assetsUrl: options.assetsUrl ?? DEFAULT_ASSETS[ui],
        hasServers: options.servers !== undefined,
        selfHosted: options.assetsUrl !== undefined,
      });
      return new Response(html, { mediaType: "text/html; charset=utf-8" });
    },
  };
}
