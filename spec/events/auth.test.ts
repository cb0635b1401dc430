// The authorizer readers against the real fixtures: every event that carries an authorizer, and some that do not.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RequestAuth } from "../../lib/auth.js";
import { httpApiAuth, restAuth } from "../../lib/events/auth.js";
import { createApi, type Request } from "../../lib/index.js";
import { fakeContext, type FixtureKind, fixture, type Json } from "../helpers/fixtures.js";

const contextOf = (kind: FixtureKind, name: string) =>
  fixture(kind, name).requestContext as Json | undefined;

const iamNone = {
  userArn: undefined,
  accountId: undefined,
  accessKey: undefined,
  callerId: undefined,
  userId: undefined,
  principalOrgId: undefined,
  cognitoIdentityId: undefined,
  cognitoIdentityPoolId: undefined,
};

const cognito = fixture("apigw-rest", "powertools-ts-real-cognito-authorizer");
const cognitoClaims = ((cognito.requestContext as Json).authorizer as Json).claims as Json;

describe("restAuth", () => {
  const rows: [string, RequestAuth | undefined][] = [
    [
      "powertools-ts-real-cognito-authorizer",
      {
        kind: "jwt",
        claims: cognitoClaims,
        scopes: [],
      },
    ],
    ["powertools-ts-real-lambda-authorizer", { kind: "lambda", context: {}, principalId: "user" }],
    [
      "powertools-py-minimal-authorizer-only",
      { kind: "lambda", context: { user_id: "fake_username" }, principalId: "fake" },
    ],
    [
      "go-proxy-authorizer-context-mtls",
      { kind: "lambda", context: { clientId: 1, clientName: "Exata" }, principalId: "admin" },
    ],
    [
      "powertools-ts-real-iam-auth",
      {
        kind: "iam",
        ...iamNone,
        userArn: "arn:aws:sts::123456789012:assumed-role/Admin/aamorosi",
        accountId: "123456789012",
        accessKey: "ABCAXZWZ5ZDPIFV7JHWH",
        callerId: "ABCAXZWZ5ZDPNIH6C6ODK:aamorosi",
        userId: "ABCAXZWZ5ZDPNIH6C6ODK:aamorosi",
      },
    ],
    ["powertools-ts-real-no-auth", undefined],
    ["powertools-py-http-api-payload-v1", undefined],
  ];
  for (const [name, expected] of rows) {
    it(`reads ${expected?.kind ?? "nothing"} from apigw-rest/${name}.json`, () => {
      assert.deepEqual(restAuth(contextOf("apigw-rest", name)), expected);
    });
  }

  it("splits a Cognito access token's scope claim into scopes", () => {
    const context = { authorizer: { claims: { sub: "u1", scope: "items/read  items/write" } } };
    assert.deepEqual(restAuth(context), {
      kind: "jwt",
      claims: context.authorizer.claims,
      scopes: ["items/read", "items/write"],
    });
  });

  it("reads nothing from a direct invocation without requestContext", () => {
    assert.equal(restAuth(undefined), undefined);
  });
});

describe("httpApiAuth", () => {
  const rows: [FixtureKind, string, RequestAuth | undefined][] = [
    [
      "apigw-http",
      "go-v2-jwt-authorizer",
      { kind: "jwt", claims: { claim1: "value1", claim2: "value2" }, scopes: ["scope1", "scope2"] },
    ],
    [
      "apigw-http",
      "powertools-py-v2-jwt-and-lambda-authorizer",
      { kind: "jwt", claims: { claim1: "value1" }, scopes: ["scope1", "scope2"] },
    ],
    [
      "apigw-http",
      "go-v2-lambda-authorizer",
      { kind: "lambda", context: { key: "value" }, principalId: undefined },
    ],
    [
      "apigw-http",
      "powertools-ts-real-lambda-authorizer-null",
      { kind: "lambda", context: {}, principalId: undefined },
    ],
    [
      "apigw-http",
      "go-v2-iam-authorizer",
      {
        kind: "iam",
        userArn: "arn:aws:iam::1234567890:user/Admin",
        accountId: "1234567890",
        accessKey: "ARIA2ZJZYVUEREEIHAKY",
        callerId: "AROA7ZJZYVRE7C3DUXHH6:CognitoIdentityCredentials",
        userId: "AROA2ZJZYVRE7Y3TUXHH6",
        principalOrgId: "AwsOrgId",
        cognitoIdentityId: "us-east-1:3f291106-8703-466b-8f2b-3ecee1ca56ce",
        cognitoIdentityPoolId: "us-east-1:4f291106-8703-466b-8f2b-3ecee1ca56ce",
      },
    ],
    [
      "function-url",
      "powertools-py-iam-org",
      {
        kind: "iam",
        ...iamNone,
        userArn: "arn:aws:iam::AAAAAAAAAAAAAAAAAA:user/user",
        accountId: "123457890",
        accessKey: "AAAAAAAAAAAAAAAAAA",
        callerId: "AAAAAAAAAAAAAAAAAA",
        userId: "AAAAAAAAAAAAAAAAAA",
        principalOrgId: "o-xxxxxxxxxxxx",
      },
    ],
    ["apigw-http", "go-v2-no-authorizer", undefined],
    ["function-url", "powertools-py-auth-none-browser", undefined],
  ];
  for (const [kind, name, expected] of rows) {
    it(`reads ${expected?.kind ?? "nothing"} from ${kind}/${name}.json`, () => {
      assert.deepEqual(httpApiAuth(contextOf(kind, name)), expected);
    });
  }

  it("gives the real JWT authorizer's null scopes as none", () => {
    const auth = httpApiAuth(contextOf("apigw-http", "powertools-ts-real-jwt-authorizer"));
    assert.equal(auth?.kind, "jwt");
    assert.deepEqual(auth?.kind === "jwt" && auth.scopes, []);
    assert.equal(auth?.kind === "jwt" && auth.claims["cognito:username"], "aamorosi");
  });
});

describe("request.auth", () => {
  const authOf = async (kind: FixtureKind, name: string) => {
    let seen: Request | undefined;
    const event = fixture(kind, name);
    // Middleware registered before any route sees every request, matched or not.
    const app = createApi({ accessLog: false }).use(({ request }, next) => {
      seen = request;
      return next();
    });
    await app.handler(event, fakeContext());
    return seen?.auth;
  };

  const rows: [FixtureKind, string, RequestAuth["kind"] | undefined][] = [
    ["apigw-rest", "powertools-ts-real-cognito-authorizer", "jwt"],
    ["apigw-rest", "powertools-ts-real-lambda-authorizer", "lambda"],
    ["apigw-rest", "powertools-ts-real-iam-auth", "iam"],
    ["apigw-http", "powertools-ts-real-jwt-authorizer", "jwt"],
    ["apigw-http", "go-v2-lambda-authorizer", "lambda"],
    ["apigw-http", "powertools-ts-real-iam-auth", "iam"],
    ["function-url", "powertools-py-iam", "iam"],
    ["apigw-rest", "powertools-ts-real-no-auth", undefined],
    ["alb", "powertools-py-single-value", undefined],
  ];
  for (const [kind, name, expected] of rows) {
    it(`is ${expected ?? "undefined"} for ${kind}/${name}.json`, async () => {
      assert.equal((await authOf(kind, name))?.kind, expected);
    });
  }
});
