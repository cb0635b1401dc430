// Path template → route record: segments, parameter names, and the build-time checks.

import type { MiddlewareRecord } from "./use.js";
import type { ErrorHook } from "./hooks.js";
import type { InputPlan } from "./input-plan.js";
import type { Provider } from "./provide.js";
import type { SerializerPlan } from "./serialize.js";
import { describeValue } from "./util/describe.js";

/** One segment of a parsed path template. */
export type TemplateSegment =
  | { readonly kind: "static"; readonly value: string }
  | { readonly kind: "param"; readonly name: string }
  | { readonly kind: "greedy"; readonly name: string };

/** A parsed path template. */
export interface ParsedTemplate {
  /** The template as registered, one trailing slash removed. */
  readonly template: string;
  readonly segments: readonly TemplateSegment[];
  /** Parameter names in path order. */
  readonly paramNames: readonly string[];
  /** The template with parameter names erased: two routes with one shape clash. */
  readonly shape: string;
}

const NAME = /^[A-Za-z0-9_.-]+$/;
/** How other frameworks name a parameter after `:` or `*`: the name the message suggests. */
const FOREIGN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*/;

/** Where a query string or fragment starts (a `?` or `#` outside braces), or -1. */
function queryStart(template: string): number {
  let depth = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === "{") depth++;
    else if (c === "}") depth--;
    else if ((c === "?" || c === "#") && depth <= 0) return i;
  }
  return -1;
}

/**
 * Whether a segment is another framework's parameter syntax: Express, Fastify, Hono and
 * itty-router write `:id` and `*`. A `:` further into a segment is plain text API Gateway accepts
 * (Google-style custom methods: `/v1/items:batchGet`), so only a leading one counts.
 */
const isForeign = (part: string) => part.startsWith(":") || part.startsWith("*");

/** The API Gateway form of a template written in another framework's syntax, for the message. */
function apiGatewayForm(parts: readonly string[]): string {
  const written = parts.map((part, index) => {
    if (!isForeign(part)) return part;
    const name = FOREIGN_NAME.exec(part.slice(1))?.[0] ?? (part.startsWith(":") ? "name" : "proxy");
    return part.startsWith("*") && index === parts.length - 1 ? `{${name}+}` : `{${name}}`;
  });
  return `/${written.join("/")}`;
}

/**
 * Parses an API Gateway path template (`/items/{id}`, `/files/{path+}`).
 * @throws TypeError naming the template when it is invalid: not starting with `/`, an empty
 * segment or `{}`, a greedy `{x+}` that is not last, a name used twice, braces inside a segment
 * or unbalanced, another framework's syntax (`:id`, `*`), a query string or a fragment.
 */
export function parseTemplate(template: string): ParsedTemplate {
  if (typeof template !== "string" || !template.startsWith("/")) {
    throw new TypeError(`Path template must start with "/", got ${describeValue(template)}`);
  }
  const fail = (why: string): never => {
    throw new TypeError(`Invalid path template ${JSON.stringify(template)}: ${why}`);
  };
  const cut = queryStart(template);
  const path = cut === -1 ? template : template.slice(0, cut);
  if (path.includes("//")) fail("empty segment (two slashes in a row)");
  const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  const parts = trimmed === "/" ? [] : trimmed.slice(1).split("/");
  const segments: TemplateSegment[] = [];
  const paramNames: string[] = [];
  parts.forEach((part, index) => {
    if (part.startsWith("{") && part.endsWith("}") && !/[{}]/.test(part.slice(1, -1))) {
      const greedy = part.endsWith("+}");
      const name = part.slice(1, greedy ? -2 : -1);
      if (name === "") fail(`empty parameter name in segment ${JSON.stringify(part)}`);
      if (!NAME.test(name))
        fail(
          `parameter name ${JSON.stringify(name)} has characters other than letters, digits, "_", "-" and "."`,
        );
      if (name === "__proto__" || name === "constructor" || name === "prototype") {
        fail(`parameter name ${JSON.stringify(name)} is reserved`);
      }
      if (paramNames.includes(name)) fail(`parameter {${name}} appears twice`);
      if (greedy && index !== parts.length - 1)
        fail(`greedy parameter {${name}+} must be the last segment`);
      paramNames.push(name);
      segments.push(greedy ? { kind: "greedy", name } : { kind: "param", name });
    } else if (part.includes("{") || part.includes("}")) {
      const opened = part.split("{").length - part.split("}").length;
      if (opened > 0) fail(`unclosed brace in segment ${JSON.stringify(part)}`);
      if (opened < 0)
        fail(`closing brace without an opening one in segment ${JSON.stringify(part)}`);
      fail(`segment ${JSON.stringify(part)} mixes text and braces; a parameter is a whole segment`);
    } else if (isForeign(part)) {
      const what = part.startsWith(":") ? "parameter" : "wildcard";
      fail(
        `${JSON.stringify(part)} is another framework's ${what} syntax; API Gateway's is ${JSON.stringify(apiGatewayForm(parts))}`,
      );
    } else {
      segments.push({ kind: "static", value: part });
    }
  });
  if (cut !== -1) {
    fail(
      template[cut] === "?"
        ? `a query string is not part of a path template; register ${JSON.stringify(trimmed)} and declare the query with the query option`
        : `a fragment is not part of a path template (clients never send it); register ${JSON.stringify(trimmed)}`,
    );
  }
  const shape = `/${segments
    .map((s) => (s.kind === "static" ? s.value : s.kind === "param" ? "{}" : "{+}"))
    .join("/")}`;
  return Object.freeze({
    template: trimmed,
    segments: Object.freeze(segments),
    paramNames: Object.freeze(paramNames),
    shape,
  });
}

/**
 * Joins a mount prefix and a template: `joinPath("/v1", "/items")` is `/v1/items`.
 */
export function joinPath(prefix: string, template: string): string {
  const head = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  return template === "/" ? head || "/" : `${head}${template}`;
}

/**
 * Refuses a route that clashes with one of `routes`: the same method and path shape, so no
 * request could tell them apart (`/items/{id}` and `/items/{key}` clash).
 * @param name how the message names the new route: `GET /items/{id}`, or a mounted route with
 * where it comes from
 * @throws TypeError `GET /items/{id} is already registered` for the same template, else
 * `GET /items/{key} clashes with GET /items/{id}, already registered`.
 */
export function checkClash(
  routes: readonly RouteRecord[],
  method: string,
  parsed: ParsedTemplate,
  name: string,
): void {
  const clash = routes.find((r) => r.method === method && r.parsed.shape === parsed.shape);
  if (!clash) return;
  throw new TypeError(
    clash.parsed.template === parsed.template
      ? `${name} is already registered`
      : `${name} clashes with ${clash.name}, already registered`,
  );
}

/** A registered route: frozen plain data the pipeline consumes. */
export interface RouteRecord {
  readonly method: string;
  readonly parsed: ParsedTemplate;
  /** `GET /items/{id}`: how errors and logs name the route. */
  readonly name: string;
  readonly fn: (input: never) => unknown;
  /** The declared success status, if any. */
  readonly status: number | undefined;
  readonly timeoutMs: number | undefined;
  readonly input: InputPlan;
  /** Whether the route validates anything (skips validation work entirely when not). */
  readonly validates: boolean;
  readonly serializer: SerializerPlan;
  readonly providers: readonly Provider[];
  /** The route's options as registered, for inspection and OpenAPI. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Its middleware chain, outermost first (lib/compose.ts); absent when it has none. */
  readonly use?: readonly MiddlewareRecord[];
  /** `onError` hooks of the Api it was mounted from, checked before the serving Api's. */
  readonly errorHooks?: readonly ErrorHook[];
}
