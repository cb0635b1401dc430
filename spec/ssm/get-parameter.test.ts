// getParameter against the SSM double through the real client: values, types, decryption, errors.

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import * as v from "valibot";
import { createSsm, isParameterError, ParameterError, type Ssm } from "../../lib/ssm/index.js";
import { awsServerFault } from "../../lib/util/aws-fault.js";
import { useSsmServer } from "../helpers/ssm-server.js";

const Db = v.object({ host: v.string(), port: v.number() });

describe("getParameter", () => {
  const double = useSsmServer({
    "/app/name": { value: "demo" },
    "/app/hosts": { value: "a.example,b.example,c.example", type: "StringList" },
    "/app/password": { value: "hunter2", type: "SecureString" },
    "/app/db": { value: '{"host":"db.internal","port":5432}' },
    "/app/db-secret": { value: '{"host":"db.internal","port":"hunter2"}', type: "SecureString" },
    "/app/not-json": { value: "hunter2 is not json" },
    "/app/csv": { value: "x,y" },
  });
  let ssm: Ssm;

  beforeEach(() => {
    ssm = createSsm({ client: double.client });
  });

  it("returns a String's value with one GetParameter call", async () => {
    assert.equal(await ssm.getParameter("/app/name"), "demo");
    assert.deepEqual(double.server.requests, [
      { operation: "GetParameter", body: { Name: "/app/name", WithDecryption: true } },
    ]);
  });

  it("returns a StringList as SSM stores it without list, as string[] with list", async () => {
    assert.equal(await ssm.getParameter("/app/hosts"), "a.example,b.example,c.example");
    assert.deepEqual(await ssm.getParameter("/app/hosts", { list: true }), [
      "a.example",
      "b.example",
      "c.example",
    ]);
  });

  it("splits a String too when asked for a list", async () => {
    assert.deepEqual(await ssm.getParameter("/app/csv", { list: true }), ["x", "y"]);
  });

  it("asks SSM to decrypt by default and sends WithDecryption false when told", async () => {
    assert.equal(await ssm.getParameter("/app/password"), "hunter2");
    const encrypted = await ssm.getParameter("/app/password", { decrypt: false });
    assert.notEqual(encrypted, "hunter2");
    assert.deepEqual(
      double.server.requests.map((request) => request.body.WithDecryption),
      [true, false],
    );
  });

  it("parses JSON and returns the schema's output", async () => {
    const db = await ssm.getParameter("/app/db", { schema: Db });
    assert.deepEqual(db, { host: "db.internal", port: 5432 });
  });

  it("checks a list with a schema when both are given", async () => {
    const hosts = await ssm.getParameter("/app/hosts", {
      list: true,
      schema: v.pipe(v.array(v.string()), v.length(3)),
    });
    assert.deepEqual(hosts, ["a.example", "b.example", "c.example"]);
  });

  it("throws a ParameterError naming the place and expectation, never the value", async () => {
    await assert.rejects(ssm.getParameter("/app/db-secret", { schema: Db }), (error) => {
      assert.ok(error instanceof ParameterError);
      assert.equal(error.reason, "schema");
      assert.deepEqual(error.names, ["/app/db-secret"]);
      assert.equal(
        error.message,
        'SSM parameter "/app/db-secret" does not match its schema: port: expected number',
      );
      assert.equal(error.issues.length, 1);
      assert.doesNotMatch(error.message, /hunter2/);
      return true;
    });
  });

  it("throws a ParameterError for a value that is not JSON, without the value or its parse error", async () => {
    await assert.rejects(ssm.getParameter("/app/not-json", { schema: Db }), (error) => {
      assert.ok(error instanceof Error, String(error));
      assert.ok(isParameterError(error));
      assert.equal(error.reason, "not-json");
      assert.equal(
        error.message,
        'SSM parameter "/app/not-json" is not valid JSON; expected JSON for its schema',
      );
      assert.equal(error.cause, undefined);
      return true;
    });
  });

  it("throws a ParameterError for a name SSM does not have, the SDK error as cause", async () => {
    await assert.rejects(ssm.getParameter("/app/missing"), (error) => {
      assert.ok(error instanceof Error, String(error));
      assert.ok(isParameterError(error));
      assert.equal(error.name, "ParameterError");
      assert.equal(error.reason, "not-found");
      assert.deepEqual(error.names, ["/app/missing"]);
      assert.equal(
        error.message,
        'SSM parameter "/app/missing" was not found; expected an existing parameter name',
      );
      assert.equal((error.cause as Error).name, "ParameterNotFound");
      assert.equal(awsServerFault(error), undefined);
      return true;
    });
  });

  it("passes a 500 on as the SDK threw it, so it maps to 503", async () => {
    double.server.fault = { status: 500, type: "InternalServerError", message: "boom" };
    await assert.rejects(ssm.getParameter("/app/name"), (error) => {
      assert.ok(error instanceof Error, String(error));
      assert.equal(error.name, "InternalServerError");
      assert.equal(awsServerFault(error)?.status, 500);
      return true;
    });
  });

  it("passes AccessDeniedException on as the SDK threw it, a client fault", async () => {
    double.server.fault = { status: 400, type: "AccessDeniedException", message: "not allowed" };
    await assert.rejects(ssm.getParameter("/app/name"), (error) => {
      assert.ok(error instanceof Error, String(error));
      assert.equal(error.name, "AccessDeniedException");
      assert.equal(awsServerFault(error), undefined);
      return true;
    });
  });

  const badNames: ReadonlyArray<readonly [unknown, string]> = [
    ["", 'SSM parameter name must be a non-empty string, got ""'],
    [42, "SSM parameter name must be a non-empty string, got 42"],
  ];
  for (const [name, message] of badNames) {
    it(`refuses the name ${JSON.stringify(name)} before calling SSM`, async () => {
      await assert.rejects(ssm.getParameter(name as string), { name: "TypeError", message });
      assert.equal(double.server.requests.length, 0);
    });
  }

  const badOptions: ReadonlyArray<readonly [string, object, string]> = [
    ["maxAge: -1", { maxAge: -1 }, "maxAge must be a number of seconds >= 0, got -1"],
    ["maxAge: NaN", { maxAge: Number.NaN }, "maxAge must be a number of seconds >= 0, got NaN"],
    [
      "staleIfError: -5",
      { staleIfError: -5 },
      "staleIfError must be a number of seconds >= 0, got -5",
    ],
  ];
  for (const [label, options, message] of badOptions) {
    it(`refuses ${label}`, async () => {
      await assert.rejects(ssm.getParameter("/app/name", options), { name: "RangeError", message });
    });
  }
});
