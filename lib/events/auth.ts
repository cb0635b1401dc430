// Reads what an authorizer put in an event's requestContext as a RequestAuth, on first read of `request.auth`.

import type { RequestAuth } from "../auth.js";
import { type Json, obj, str } from "../util/json.js";

/** A JWT's claims and scopes: HTTP API's `scopes`, else the `scope` claim split on spaces. */
function jwt(claims: Json, scopes: unknown): RequestAuth {
  const scope = str(claims.scope);
  return {
    kind: "jwt",
    claims,
    scopes: Array.isArray(scopes)
      ? scopes.filter((s) => typeof s === "string")
      : scope
        ? scope.split(" ").filter(Boolean)
        : [],
  };
}

/** An IAM caller: REST's `identity` names its caller and user `caller` and `user`, payload 2.0 `callerId` and `userId`. */
function iam(fields: Json, cognito: Json | undefined, rest: boolean): RequestAuth {
  return {
    kind: "iam",
    userArn: str(fields.userArn),
    accountId: str(fields.accountId),
    accessKey: str(fields.accessKey),
    callerId: str(rest ? fields.caller : fields.callerId),
    userId: str(rest ? fields.user : fields.userId),
    principalOrgId: str(fields.principalOrgId),
    cognitoIdentityId: str(rest ? fields.cognitoIdentityId : cognito?.identityId),
    cognitoIdentityPoolId: str(rest ? fields.cognitoIdentityPoolId : cognito?.identityPoolId),
  };
}

/**
 * Payload 1.0 (REST, HTTP API 1.0): `authorizer.claims` is a Cognito (or HTTP API JWT) token
 * (apigw-rest/powertools-ts-real-cognito-authorizer.json); other keys are a Lambda authorizer's
 * principal and context, beside the `integrationLatency` API Gateway adds
 * (apigw-rest/powertools-ts-real-lambda-authorizer.json); else a SigV4 caller's `identity`
 * (apigw-rest/powertools-ts-real-iam-auth.json). HTTP API 1.0 sends `{ claims: null, scopes: null }`
 * without an authorizer (apigw-rest/powertools-py-http-api-payload-v1.json).
 */
export function restAuth(context: Json | undefined): RequestAuth | undefined {
  const authorizer = obj(context?.authorizer);
  if (authorizer) {
    const { principalId, integrationLatency, integrationStatus, claims, scopes, ...rest } =
      authorizer;
    if (obj(claims)) return jwt(claims as Json, scopes);
    if (principalId !== undefined || Object.keys(rest).length > 0) {
      return { kind: "lambda", context: rest, principalId: str(principalId) };
    }
  }
  const identity = obj(context?.identity);
  return identity && (identity.userArn || identity.accessKey)
    ? iam(identity, undefined, true)
    : undefined;
}

/**
 * Payload 2.0 (HTTP API, Function URL): `authorizer.jwt` (apigw-http/go-v2-jwt-authorizer.json),
 * `authorizer.lambda`, null when a simple-response authorizer returned no context
 * (apigw-http/powertools-ts-real-lambda-authorizer-null.json), or `authorizer.iam`
 * (function-url/powertools-py-iam.json).
 */
export function httpApiAuth(context: Json | undefined): RequestAuth | undefined {
  const authorizer = obj(context?.authorizer);
  const token = obj(authorizer?.jwt);
  if (token) return jwt(obj(token.claims) ?? {}, token.scopes);
  if (authorizer && "lambda" in authorizer) {
    return { kind: "lambda", context: obj(authorizer.lambda) ?? {}, principalId: undefined };
  }
  const caller = obj(authorizer?.iam);
  return caller ? iam(caller, obj(caller.cognitoIdentity), false) : undefined;
}
