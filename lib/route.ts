// Path template → route record: segments, parameter names, and the build-time checks.

import type { MiddlewareRecord } from "./compose.js";
import type { ErrorHook } from "./hooks.js";
import type { InputPlan } from "./input.js";
import type { Provider } from "./provide.js";
import type { SerializerPlan } from "./serialize.js";

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

/**
 * Parses an API Gateway path template (`/items/{id}`, `/files/{path+}`).
 * @throws TypeError naming the template when it is invalid: not starting with `/`, an empty
 * `{}`, a greedy `{x+}` that is not last, a name used twice, or braces inside a segment.
 */
export function parseTemplate(template: string): ParsedTemplate {
  if (typeof template !== "string" || !template.startsWith("/")) {
    throw new TypeError(`Path template must start with "/", got ${JSON.stringify(template)}`);
  }
  if (template.includes("//")) {
    throw new TypeError(
      `Invalid path template ${JSON.stringify(template)}: empty segment (two slashes in a row)`,
    );
  }
  const trimmed = template.length > 1 && template.endsWith("/") ? template.slice(0, -1) : template;
  const parts = trimmed === "/" ? [] : trimmed.slice(1).split("/");
  const segments: TemplateSegment[] = [];
  const paramNames: string[] = [];
  parts.forEach((part, index) => {
    const fail = (why: string): never => {
      throw new TypeError(`Invalid path template ${JSON.stringify(template)}: ${why}`);
    };
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
      fail(`segment ${JSON.stringify(part)} mixes text and braces; a parameter is a whole segment`);
    } else {
      segments.push({ kind: "static", value: part });
    }
  });
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
