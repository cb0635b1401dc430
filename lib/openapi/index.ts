// aio-lambda-api/openapi: the OpenAPI 3.1 document of an Api, from the schemas that validate it.

import type { RouteRecord } from "../route.js";
import { buildDocument, type OpenApiDocument, type OpenApiOptions } from "./document.js";

export type { DocsOptions } from "./docs.js";
export type {
  MediaTypeObject,
  OpenApiDocument,
  OpenApiOptions,
  OperationObject,
  ResponseObject,
  ServerObject,
  TagObject,
} from "./document.js";
export { DEFAULT_ASSETS, type DocsUi, SCALAR_VERSION, SWAGGER_UI_VERSION } from "./html.js";
export { deriveOperationId } from "./operation-id.js";
export type { ParameterObject } from "./parameters.js";
export type { JsonSchema } from "./schemas.js";
export type { SecurityRequirement, SecuritySchemeObject } from "./security.js";
export { withDocs } from "./with-docs.js";
import { DOCS } from "./with-docs.js";

/** Anything with a route map: an `Api`. */
export interface ApiLike {
  readonly routes: readonly RouteRecord[];
}

/**
 * The OpenAPI 3.1 document of an Api: every route that is not `hidden`, with its parameters,
 * JSON body and responses described by the same valibot schemas that validate and serialize
 * them; schemas named with `v.title()` (or the `schemas` option) once under `components`.
 * A new document each call: keep it if you need it twice.
 * @throws TypeError when two routes declare one operationId (naming both), `title` or
 * `version` is missing, or (with `strict`) a schema has no JSON Schema form.
 * @example
 * import { openapi } from "aio-lambda-api/openapi";
 * const document = openapi(api, { title: "Items", version: "1.0.0" });
 */
export function openapi(api: ApiLike, options: OpenApiOptions): OpenApiDocument {
  return buildDocument(api.routes, options);
}

/**
 * The routes `withDocs()` added to an Api, if it was: the page's path and the
 * document's. The dev server uses it to print where the docs are.
 */
export function docsPaths(api: unknown): { page: string; document: string } | undefined {
  const routes = (api as Partial<ApiLike> | null | undefined)?.routes;
  if (!Array.isArray(routes)) return undefined;
  const find = (kind: string) =>
    (routes as readonly RouteRecord[]).find(
      (route) => (route.options as Record<symbol, unknown>)?.[DOCS] === kind,
    )?.parsed.template;
  const page = find("page");
  const document = find("document");
  return page !== undefined && document !== undefined ? { page, document } : undefined;
}
