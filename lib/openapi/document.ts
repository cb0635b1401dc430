// The route map → an OpenAPI 3.1 document: paths, operations, parameters, bodies, responses.

import type { RouteRecord } from "../route.js";
import type { AnySchema } from "../types.js";
import { describeValue } from "../util/describe.js";
import { reasonPhrase } from "../util/status.js";
import { bodyContent } from "./body.js";
import { HTTP_ERROR, HTTP_VALIDATION_ERROR, VALIDATION_ERROR } from "./error-schemas.js";
import { operationIds } from "./operation-id.js";
import { type ParameterObject, parametersOf } from "./parameters.js";
import { componentRef, rewriteRefs } from "./refs.js";
import { createRegistry, type JsonSchema, type SchemaRegistry } from "./schemas.js";
import {
  checkNames,
  type SecurityRequirement,
  type SecuritySchemeObject,
  securityOf,
} from "./security.js";

/** An OpenAPI Server Object. */
export interface ServerObject {
  /** The base URL; relative URLs resolve against the document's own URL. */
  url: string;
  description?: string;
  variables?: Record<string, { default: string; enum?: string[]; description?: string }>;
}

/** An OpenAPI Tag Object: a tag's description for the explorer. */
export interface TagObject {
  name: string;
  description?: string;
}

/** Options of `openapi()`: the document's `info`, its servers and schema naming. */
export interface OpenApiOptions {
  /** The API's title (`info.title`). */
  title: string;
  /** The API's version (`info.version`), not OpenAPI's. */
  version: string;
  /** `info.description`; Markdown. */
  description?: string;
  /**
   * Where the API is served. Absent: none in the document (explorers use its origin); `withDocs`
   * writes one relative to the document's URL instead, which keeps stage and base-path prefixes.
   */
  servers?: readonly ServerObject[];
  /** Descriptions of the tags routes use, in the order explorers list them. */
  tags?: readonly TagObject[];
  /**
   * Schemas to write under `components/schemas` by these names, whether titled or not.
   * Schemas titled with `v.title()` or `v.metadata({ title })` are named by their title anyway.
   */
  schemas?: Readonly<Record<string, AnySchema>>;
  /**
   * Throw when a schema or action has no JSON Schema form (`v.custom`, `v.check`…) instead of
   * documenting the schema without it.
   * @default false
   */
  strict?: boolean;
  /**
   * The security schemes routes name in their `security` option, written under
   * `components/securitySchemes` (Swagger UI shows its Authorize button for them):
   * `{ bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } }`. See docs/openapi.md.
   */
  securitySchemes?: Readonly<Record<string, SecuritySchemeObject>>;
  /** The requirement of every route without one of its own: `[{ bearerAuth: [] }]`. */
  security?: readonly SecurityRequirement[];
}

/** An OpenAPI Media Type Object. */
export interface MediaTypeObject {
  schema?: JsonSchema;
}

/** An OpenAPI Response Object. */
export interface ResponseObject {
  description: string;
  content?: Record<string, MediaTypeObject>;
}

/** An OpenAPI Operation Object, as this generator writes it. */
export interface OperationObject {
  tags?: string[];
  summary?: string;
  description?: string;
  operationId: string;
  deprecated?: boolean;
  parameters?: ParameterObject[];
  security?: SecurityRequirement[];
  requestBody?: { required: boolean; content: Record<string, MediaTypeObject> };
  responses: Record<string, ResponseObject>;
}

/** An OpenAPI 3.1 document. */
export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description?: string };
  servers?: ServerObject[];
  tags?: TagObject[];
  paths: Record<string, Record<string, OperationObject>>;
  components?: {
    schemas: Record<string, JsonSchema>;
    securitySchemes?: Record<string, SecuritySchemeObject>;
  };
  security?: SecurityRequirement[];
}

const JSON_TYPE = "application/json";

/** The OpenAPI path of a template: `/files/{path+}` is `/files/{path}`. */
function openApiPath(route: RouteRecord): string {
  const parts = route.parsed.segments.map((s) => (s.kind === "static" ? s.value : `{${s.name}}`));
  return `/${parts.join("/")}`;
}

const BODY_OPTIONAL = new Set(["optional", "exact_optional", "nullish", "undefinedable"]);

function jsonContent(schema: JsonSchema): Record<string, MediaTypeObject> {
  return { [JSON_TYPE]: { schema } };
}

interface Uses {
  validation: boolean;
  httpError: boolean;
}

function responsesOf(
  route: RouteRecord,
  registry: SchemaRegistry,
  uses: Uses,
): Record<string, ResponseObject> {
  const status = route.status ?? 200;
  const schema = route.options.response as AnySchema | undefined;
  // What a route returns is not known before it runs: without a response schema, the status
  // is documented and the body is not.
  const noBody = route.method === "HEAD" || status === 204 || status === 304 || status < 200;
  const success: ResponseObject = {
    description:
      status >= 200 && status < 300 && status !== 204
        ? "Successful Response"
        : reasonPhrase(status),
  };
  if (schema && !noBody) {
    success.content = jsonContent(registry.convert(schema, `${route.name} response`));
  }
  const responses: Record<string, ResponseObject> = { [String(status)]: success };
  // `claims` answers 401/403, never 422.
  const { body, query, params, headers } = route.input;
  const validates = Boolean(body || query || params || headers);
  if (validates) {
    uses.validation = true;
    responses["422"] = {
      description: "Validation Error",
      content: jsonContent({ $ref: componentRef("HTTPValidationError") }),
    };
  }
  const errors = {
    // A route with `claims` answers these itself (lib/auth.ts).
    ...(route.input.claims ? { 401: "Unauthorized", 403: "Forbidden" } : {}),
    ...(route.options.errors as Readonly<Record<number, string>> | undefined),
  } as Readonly<Record<string, string>>;
  for (const [code, description] of Object.entries(errors)) {
    uses.httpError = true;
    const error = { $ref: componentRef("HTTPError") };
    const both = code === "422" && validates;
    responses[code] = {
      description,
      content: jsonContent(
        both ? { anyOf: [{ $ref: componentRef("HTTPValidationError") }, error] } : error,
      ),
    };
  }
  return responses;
}

function operationOf(
  route: RouteRecord,
  operationId: string,
  registry: SchemaRegistry,
  uses: Uses,
  schemes: Readonly<Record<string, SecuritySchemeObject>>,
): OperationObject {
  const { options } = route;
  const tags = Array.isArray(options.tags) && options.tags.length > 0 ? [...options.tags] : [];
  // Keys in the order the OpenAPI specification lists them, for readable documents.
  const operation = {
    ...(tags.length > 0 ? { tags } : {}),
    ...(typeof options.summary === "string" ? { summary: options.summary } : {}),
    ...(typeof options.description === "string" ? { description: options.description } : {}),
    operationId,
    ...(options.deprecated === true ? { deprecated: true } : {}),
  } as OperationObject;
  const parameters = parametersOf(route, registry);
  if (parameters.length > 0) operation.parameters = parameters;
  const body = route.input.body;
  if (body) {
    operation.requestBody = {
      required: !BODY_OPTIONAL.has((body as { type?: string }).type ?? ""),
      content: bodyContent(body, registry.convert(body, `${route.name} body`)),
    };
  }
  const security = securityOf(route, schemes);
  if (security) operation.security = security;
  operation.responses = responsesOf(route, registry, uses);
  return operation;
}

function checkOptions(options: OpenApiOptions): void {
  for (const key of ["title", "version"] as const) {
    const value: unknown = options?.[key];
    if (typeof value !== "string" || value === "") {
      throw new TypeError(
        `openapi: ${key} must be a non-empty string, got ${describeValue(value)}`,
      );
    }
  }
  if (options.servers !== undefined && !Array.isArray(options.servers)) {
    throw new TypeError(
      `openapi: servers must be an array of { url }, got ${describeValue(options.servers)}`,
    );
  }
}

/**
 * Builds the OpenAPI 3.1 document of a list of routes; hidden routes are left out.
 * @throws TypeError when two routes declare one operationId, two routes share an OpenAPI path
 * and method, or (with `strict`) a schema has no JSON Schema form.
 */
export function buildDocument(
  routes: readonly RouteRecord[],
  options: OpenApiOptions,
): OpenApiDocument {
  checkOptions(options);
  const schemes = options.securitySchemes ?? {};
  if (options.security) checkNames("the document's security", options.security, schemes);
  const visible = routes.filter((route) => route.options.hidden !== true);
  const schemas: AnySchema[] = [];
  for (const route of visible) {
    const { params, query, headers, body } = route.input;
    const response = route.options.response as AnySchema | undefined;
    for (const schema of [params, query, headers, body, response]) if (schema) schemas.push(schema);
  }
  const registry = createRegistry(schemas, { named: options.schemas, strict: options.strict });
  const ids = operationIds(visible);
  const uses: Uses = { validation: false, httpError: false };
  const paths: OpenApiDocument["paths"] = {};
  const owners = new Map<string, RouteRecord>();
  visible.forEach((route, index) => {
    const path = openApiPath(route);
    const method = route.method.toLowerCase();
    const owner = owners.get(`${method} ${path}`);
    if (owner) {
      throw new TypeError(
        `${owner.name} and ${route.name} are both ${route.method} ${path} in OpenAPI; rename the parameter of one`,
      );
    }
    owners.set(`${method} ${path}`, route);
    paths[path] ??= {};
    paths[path][method] = operationOf(route, ids[index]!, registry, uses, schemes);
  });
  const { schemas: named, aliases } = registry.components();
  rewriteRefs(paths, aliases);
  const components: Record<string, JsonSchema> = { ...named };
  if (uses.validation) {
    components.ValidationError = VALIDATION_ERROR;
    components.HTTPValidationError = HTTP_VALIDATION_ERROR;
  }
  if (uses.httpError) components.HTTPError = HTTP_ERROR;
  const info: OpenApiDocument["info"] = { title: options.title, version: options.version };
  if (options.description !== undefined) info.description = options.description;
  const names = Object.keys(components).sort();
  const document: OpenApiDocument = {
    openapi: "3.1.0",
    info,
    ...(options.servers ? { servers: [...options.servers] } : {}),
    ...(options.tags ? { tags: [...options.tags] } : {}),
    paths,
  };
  const hasSchemes = Object.keys(schemes).length > 0;
  if (names.length > 0 || hasSchemes) {
    document.components = {
      schemas: Object.fromEntries(names.map((n) => [n, components[n]!])),
      ...(hasSchemes ? { securitySchemes: schemes } : {}),
    };
  }
  if (options.security) document.security = [...options.security];
  // A copy as plain JSON data: nothing shared with the constants here or with a later call.
  return JSON.parse(JSON.stringify(document)) as OpenApiDocument;
}
