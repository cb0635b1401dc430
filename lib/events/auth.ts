// Reads what an authorizer put in an event's requestContext as a RequestAuth, on first read of `request.auth`.

import type { IamAuth, RequestAuth } from "../auth.js";
import { type Json, obj, str } from "../util/json.js";

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/** Keys API Gateway adds to a REST authorizer object that are not the authorizer's context. */
const NOT_CONTEXT = new Set([
  "principalId",
  "integrationLatency",
  "integrationStatus",
  "claims",
  "scopes",
]);

function scopesOf(scopes: unknown, claims: Json): readonly string[] {
  if (Array.isArray(scopes)) return scopes.filter((s): s is string => typeof s === "string");
  const scope = str(claims.scope);
  return scope ? scope.split(" ").filter(Boolean) : [];
}

function iam(
  fields: Json,
  callerId: unknown,
  userId: unknown,
  identityId: unknown,
  poolId: unknown,
): IamAuth {
  return {
    kind: "iam",
    userArn: str(fields.userArn),
    accountId: str(fields.accountId),
    accessKey: str(fields.accessKey),
    callerId: str(callerId),
    userId: str(userId),
    principalOrgId: str(fields.principalOrgId),
    cognitoIdentityId: str(identityId),
    cognitoIdentityPoolId: str(poolId),
  };
}

/**
 * Payload 1.0 (REST, HTTP API 1.0): `authorizer.claims` is a Cognito (or HTTP API JWT) token
 * (apigw-rest/powertools-ts-real-cognito-authorizer.json); other keys are a Lambda authorizer's
 * principal and context (apigw-rest/powertools-ts-real-lambda-authorizer.json); else a SigV4
 * caller's `identity` (apigw-rest/powertools-ts-real-iam-auth.json). HTTP API 1.0 sends
 * `{ claims: null, scopes: null }` without an authorizer (apigw-rest/powertools-py-http-api-payload-v1.json).
 */
export function restAuth(context: Json | undefined): RequestAuth | undefined {
  const authorizer = obj(context?.authorizer);
  if (authorizer) {
    const claims = obj(authorizer.claims);
    if (claims) return { kind: "jwt", claims, scopes: scopesOf(authorizer.scopes, claims) };
    const lambda: Json = {};
    let found = authorizer.principalId !== undefined;
    for (const key in authorizer) {
      if (NOT_CONTEXT.has(key)) continue;
      lambda[key] = authorizer[key];
      found = true;
    }
    if (found) return { kind: "lambda", context: lambda, principalId: str(authorizer.principalId) };
  }
  const identity = obj(context?.identity);
  if (identity && (str(identity.userArn) || str(identity.accessKey))) {
    return iam(
      identity,
      identity.caller,
      identity.user,
      identity.cognitoIdentityId,
      identity.cognitoIdentityPoolId,
    );
  }
  return undefined;
}

/**
 * Payload 2.0 (HTTP API, Function URL): `authorizer.jwt` (apigw-http/go-v2-jwt-authorizer.json),
 * `authorizer.lambda`, null when a simple-response authorizer returned no context
 * (apigw-http/powertools-ts-real-lambda-authorizer-null.json), or `authorizer.iam`
 * (function-url/powertools-py-iam.json).
 */
export function httpApiAuth(context: Json | undefined): RequestAuth | undefined {
  const authorizer = obj(context?.authorizer);
  if (!authorizer) return undefined;
  const jwt = obj(authorizer.jwt);
  if (jwt) {
    const claims = obj(jwt.claims) ?? EMPTY;
    return { kind: "jwt", claims, scopes: scopesOf(jwt.scopes, claims) };
  }
  if ("lambda" in authorizer) {
    return { kind: "lambda", context: obj(authorizer.lambda) ?? EMPTY, principalId: undefined };
  }
  const caller = obj(authorizer.iam);
  if (!caller) return undefined;
  const cognito = obj(caller.cognitoIdentity);
  return iam(caller, caller.callerId, caller.userId, cognito?.identityId, cognito?.identityPoolId);
}
