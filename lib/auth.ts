// What an authorizer said about a request, as `request.auth`, and the `claims` route option's check.

import * as v from "valibot";
import { HTTPException } from "./errors.js";
import type { AnySchema } from "./types.js";

/**
 * A JWT authorizer's token, checked by the gateway: an HTTP API JWT authorizer
 * (`requestContext.authorizer.jwt`) or a REST API Cognito user pool authorizer
 * (`requestContext.authorizer.claims`).
 */
export interface JwtAuth {
  readonly kind: "jwt";
  /** The token's claims as the gateway passes them (API Gateway sends most values as strings). */
  readonly claims: Readonly<Record<string, unknown>>;
  /** The access token's scopes: HTTP API's `scopes`, else the `scope` claim split on spaces. */
  readonly scopes: readonly string[];
}

/** A Lambda authorizer's answer: REST `requestContext.authorizer`, HTTP API `authorizer.lambda`. */
export interface LambdaAuth {
  readonly kind: "lambda";
  /** The context the authorizer returned (REST: every key but `principalId` and `integrationLatency`). */
  readonly context: Readonly<Record<string, unknown>>;
  /** The principal the authorizer returned (REST APIs only). */
  readonly principalId: string | undefined;
}

/**
 * The IAM caller of a request signed with SigV4 (`AWS_IAM` auth): REST
 * `requestContext.identity`, HTTP API and Function URL `requestContext.authorizer.iam`.
 */
export interface IamAuth {
  readonly kind: "iam";
  readonly userArn: string | undefined;
  readonly accountId: string | undefined;
  readonly accessKey: string | undefined;
  /** REST `identity.caller`, HTTP API `iam.callerId`. */
  readonly callerId: string | undefined;
  /** REST `identity.user`, HTTP API `iam.userId`. */
  readonly userId: string | undefined;
  readonly principalOrgId: string | undefined;
  /** The Cognito identity pool identity, when the credentials came from one. */
  readonly cognitoIdentityId: string | undefined;
  readonly cognitoIdentityPoolId: string | undefined;
}

/**
 * What the gateway's authorizer said about a request, by `kind`; undefined when the route has no
 * authorizer (or the source has none: ALB, VPC Lattice, direct invocations).
 */
export type RequestAuth = JwtAuth | LambdaAuth | IamAuth;

function settle(outcome: v.SafeParseResult<AnySchema>): unknown {
  if (outcome.success) return outcome.output;
  throw new HTTPException(403, "Forbidden", {
    errorDetail: {
      claims: outcome.issues.map((issue) => ({
        loc: ["claims", ...(issue.path ?? []).map((item) => String(item.key))],
        msg: issue.message,
        type: issue.type,
      })),
    },
  });
}

/**
 * Validates the authorizer's claims with a route's `claims` schema: a JWT's claims, or a Lambda
 * authorizer's context (IAM callers carry none). Synchronous unless the schema is async.
 * @returns The schema's output, for the route input's `claims`.
 * @throws HTTPException 401 when the request carries no claims; 403 when they fail the schema
 * (the issues go to the access log's `error_detail`, never to the client).
 */
export function checkClaims(
  schema: AnySchema,
  auth: RequestAuth | undefined,
): unknown | Promise<unknown> {
  const claims =
    auth?.kind === "jwt" ? auth.claims : auth?.kind === "lambda" ? auth.context : undefined;
  if (!claims) {
    throw new HTTPException(401, "Unauthorized", {
      errorDetail: `no authorizer claims (${auth ? `an ${auth.kind} caller` : "no authorizer"})`,
    });
  }
  if (schema.async) return v.safeParseAsync(schema, claims).then(settle);
  return settle(v.safeParse(schema, claims));
}
