// The `claims` route option: 401 without authorizer claims, 403 when they fail the schema, the typed output otherwise.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { checkClaims } from "../lib/auth.js";
import { createApi, HTTPException } from "../lib/index.js";
import { fakeContext, type FixtureKind, fixture, type Json } from "./helpers/fixtures.js";
import { captureLogs } from "./helpers/log.js";

const Claims = v.object({ sub: v.string(), "cognito:username": v.string() });

/** Serves one fixture on a catch-all route of either method that takes `claims`, logging to `logs`. */
async function serve(
  kind: FixtureKind,
  name: string,
  schema: v.GenericSchema | v.GenericSchemaAsync = Claims,
  body?: v.GenericSchema,
) {
  const logs = captureLogs();
  let seen: unknown;
  const route = ({ claims }: { claims: unknown }) => {
    seen = claims;
    return { ok: true };
  };
  const api = createApi({ logger: logs.logger })
    .get("/{path+}", route, { claims: schema })
    .post("/{path+}", route, body ? { claims: schema, body } : { claims: schema })
    .get("/", route, { claims: schema });
  const event: Json = fixture(kind, name);
  const result = (await api.handler(event, fakeContext())) as { statusCode: number; body: string };
  return {
    status: result.statusCode,
    body: JSON.parse(result.body) as unknown,
    seen,
    log: logs.one(),
  };
}

describe("claims route option", () => {
  const passing: [FixtureKind, string][] = [
    ["apigw-http", "powertools-ts-real-jwt-authorizer"],
    ["apigw-rest", "powertools-ts-real-cognito-authorizer"],
  ];
  for (const [kind, name] of passing) {
    it(`gives the route the schema's output for ${kind}/${name}.json`, async () => {
      const served = await serve(kind, name);
      assert.equal(served.status, 200);
      assert.deepEqual(served.seen, {
        sub: "d2f50444-0041-7036-aea2-a955fca33d37",
        "cognito:username": "aamorosi",
      });
    });
  }

  const rows: [FixtureKind, string, number, string][] = [
    ["apigw-rest", "powertools-ts-real-no-auth", 401, "Unauthorized"],
    ["apigw-http", "go-v2-no-authorizer", 401, "Unauthorized"],
    ["apigw-http", "powertools-ts-real-iam-auth", 401, "Unauthorized"],
    ["function-url", "powertools-py-iam", 401, "Unauthorized"],
    ["alb", "powertools-py-single-value", 401, "Unauthorized"],
    ["apigw-http", "go-v2-jwt-authorizer", 403, "Forbidden"],
    ["apigw-http", "go-v2-lambda-authorizer", 403, "Forbidden"],
    ["apigw-rest", "powertools-ts-real-lambda-authorizer", 403, "Forbidden"],
  ];
  for (const [kind, name, status, detail] of rows) {
    it(`answers ${status} ${detail} for ${kind}/${name}.json`, async () => {
      const served = await serve(kind, name);
      assert.equal(served.status, status);
      assert.deepEqual(served.body, { detail });
      assert.equal(served.seen, undefined);
    });
  }

  it("logs the failing claims in error_detail, never sending them", async () => {
    const served = await serve("apigw-http", "go-v2-jwt-authorizer");
    const detail = served.log.error_detail as { claims: { loc: string[]; type: string }[] };
    assert.deepEqual(
      detail.claims.map((issue) => [issue.loc, issue.type]),
      [
        [["claims", "sub"], "object"],
        [["claims", "cognito:username"], "object"],
      ],
    );
    assert.equal(JSON.stringify(served.body).includes("sub"), false);
  });

  it("validates a Lambda authorizer's context as the claims", async () => {
    const served = await serve(
      "apigw-http",
      "go-v2-lambda-authorizer",
      v.object({ key: v.string() }),
    );
    assert.equal(served.status, 200);
    assert.deepEqual(served.seen, { key: "value" });
  });

  it("checks claims before the body, so a caller without them learns nothing of it", async () => {
    const body = v.object({ never: v.string() });
    const refused = await serve(
      "apigw-http",
      "powertools-py-v2-jwt-post",
      v.object({ nope: v.string() }),
      body,
    );
    assert.equal(refused.status, 403);
    const allowed = await serve(
      "apigw-http",
      "powertools-py-v2-jwt-post",
      v.object({ claim1: v.string() }),
      body,
    );
    assert.equal(allowed.status, 422);
  });

  it("takes an async schema", async () => {
    const schema = v.objectAsync({
      claim1: v.pipeAsync(
        v.string(),
        v.checkAsync(async (value) => value === "value1", "unknown claim1"),
      ),
    });
    const served = await serve("apigw-http", "go-v2-jwt-authorizer", schema);
    assert.equal(served.status, 200);
    assert.deepEqual(served.seen, { claim1: "value1" });
    const refused = await serve(
      "apigw-http",
      "powertools-py-v2-jwt-and-lambda-authorizer",
      v.objectAsync({ claim2: v.string() }),
    );
    assert.equal(refused.status, 403);
  });

  it("leaves claims out of the input of a route without the option", async () => {
    let keys: string[] = [];
    const api = createApi({ accessLog: false }).get("/{path+}", (input) => {
      keys = Object.keys(input);
      return null;
    });
    await api.handler(fixture("apigw-http", "go-v2-jwt-authorizer"), fakeContext());
    assert.equal(keys.includes("claims"), false);
  });
});

describe("checkClaims", () => {
  it("throws 401 naming the IAM caller in the log's detail", () => {
    const iam = {
      kind: "iam",
      userArn: "arn",
      accountId: undefined,
      accessKey: undefined,
      callerId: undefined,
      userId: undefined,
      principalOrgId: undefined,
      cognitoIdentityId: undefined,
      cognitoIdentityPoolId: undefined,
    } as const;
    assert.throws(
      () => checkClaims(Claims, iam),
      (error: unknown) =>
        error instanceof HTTPException &&
        error.status === 401 &&
        error.errorDetail === "no authorizer claims (an iam caller)",
    );
  });
});
