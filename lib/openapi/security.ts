// Security schemes and each operation's security requirement: declared once, required per route or derived from `claims`.

import type { RouteRecord } from "../route.js";
import { quote } from "../util/describe.js";

/** A security requirement: scheme names, each with the scopes it needs (`[]` for none). */
export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

/** Extension keys (`x-amazon-apigateway-authtype`…), as OpenAPI allows on a scheme. */
type Extensions = { readonly [key: `x-${string}`]: unknown };

/**
 * An OpenAPI Security Scheme Object: a bearer token (`{ type: "http", scheme: "bearer",
 * bearerFormat: "JWT" }`), an API key (`{ type: "apiKey", name: "x-api-key", in: "header" }`),
 * OAuth 2 or OpenID Connect. IAM (SigV4) is an `apiKey` on `Authorization` marked
 * `"x-amazon-apigateway-authtype": "awsSigv4"`, as API Gateway exports it.
 */
export type SecuritySchemeObject = Extensions &
  (
    | {
        readonly type: "http";
        readonly scheme: string;
        readonly bearerFormat?: string;
        readonly description?: string;
      }
    | {
        readonly type: "apiKey";
        readonly name: string;
        readonly in: "header" | "query" | "cookie";
        readonly description?: string;
      }
    | {
        readonly type: "oauth2";
        readonly flows: Readonly<Record<string, unknown>>;
        readonly description?: string;
      }
    | {
        readonly type: "openIdConnect";
        readonly openIdConnectUrl: string;
        readonly description?: string;
      }
  );

/** The schemes a JWT is sent with: what a route's `claims` requires when it names none. */
const tokenSchemes = (schemes: Readonly<Record<string, SecuritySchemeObject>>) =>
  Object.entries(schemes)
    .filter(([, scheme]) =>
      scheme.type === "http"
        ? /^bearer$/i.test(scheme.scheme)
        : scheme.type === "oauth2" || scheme.type === "openIdConnect",
    )
    .map(([name]): SecurityRequirement => ({ [name]: [] }));

/**
 * Checks that a requirement names declared schemes only.
 * @param where What names them, which starts the message: a route's name, or the document.
 * @throws TypeError naming the scheme and those declared.
 */
export function checkNames(
  where: string,
  security: readonly SecurityRequirement[],
  schemes: Readonly<Record<string, SecuritySchemeObject>>,
): void {
  for (const requirement of security) {
    for (const name of Object.keys(requirement)) {
      if (!(name in schemes)) {
        const known = Object.keys(schemes).map((n) => quote(n));
        throw new TypeError(
          `openapi: ${where} names security scheme ${quote(name)}, which is not declared (securitySchemes has ${known.join(", ") || "none"})`,
        );
      }
    }
  }
}

/**
 * The security requirement of a route's operation: its `security` option (`[]`: public), else,
 * for a route with `claims`, the document's token schemes (bearer, OAuth 2, OpenID Connect) as
 * alternatives; undefined to inherit the document's.
 * @throws TypeError naming the route when its `security` names an undeclared scheme.
 */
export function securityOf(
  route: RouteRecord,
  schemes: Readonly<Record<string, SecuritySchemeObject>>,
): SecurityRequirement[] | undefined {
  const security = route.options.security as readonly SecurityRequirement[] | undefined;
  if (Array.isArray(security)) {
    checkNames(route.name, security, schemes);
    return [...security];
  }
  const tokens = route.input.claims ? tokenSchemes(schemes) : [];
  return tokens.length > 0 ? tokens : undefined;
}
