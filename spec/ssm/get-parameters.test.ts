// getParameters through the real client: batches of 10, cache reuse, missing names, errors.

import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { SSMClient } from "@aws-sdk/client-ssm";
import * as v from "valibot";
import { createSsm, isParameterError, type Ssm } from "../../lib/ssm/index.js";
import { type SsmServer, ssmClientFor, startSsmServer } from "../helpers/ssm-server.js";

const names = Array.from({ length: 23 }, (_, i) => `/app/key-${String(i).padStart(2, "0")}`);

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error, `expected an Error, got ${String(error)}`);
    return error;
  }
  assert.fail("the call was expected to fail");
}

describe("getParameters", () => {
  let server: SsmServer;
  let client: SSMClient;
  let ssm: Ssm;

  before(async () => {
    server = await startSsmServer();
    client = ssmClientFor(server);
  });
  after(async () => {
    client.destroy();
    await server.close();
  });
  beforeEach(() => {
    server.parameters.clear();
    for (const name of names) server.parameters.set(name, { value: `value of ${name}` });
    server.parameters.set("/app/hosts", { value: "a,b", type: "StringList" });
    server.parameters.set("/app/port", { value: "8080" });
    server.parameters.set("/app/password", { value: "hunter2", type: "SecureString" });
    server.requests.length = 0;
    server.fault = undefined;
    ssm = createSsm({ client });
  });

  it("asks for 23 names in GetParameters calls of 10, 10 and 3", async () => {
    const values = await ssm.getParameters(names);
    assert.deepEqual(Object.keys(values).sort(), names);
    assert.equal(values["/app/key-07"], "value of /app/key-07");
    assert.deepEqual(server.operations(), ["GetParameters", "GetParameters", "GetParameters"]);
    const sizes = server.requests.map((request) => (request.body.Names as string[]).length);
    assert.deepEqual(sizes, [10, 10, 3]);
    assert.deepEqual(
      server.requests.flatMap((request) => request.body.Names as string[]),
      names,
    );
  });

  it("does not ask for cached names, and asks for each name once", async () => {
    await ssm.getParameter("/app/key-00");
    server.requests.length = 0;
    const values = await ssm.getParameters(["/app/key-00", "/app/key-01", "/app/key-01"]);
    assert.deepEqual(values, {
      "/app/key-00": "value of /app/key-00",
      "/app/key-01": "value of /app/key-01",
    });
    assert.deepEqual(server.requests, [
      { operation: "GetParameters", body: { Names: ["/app/key-01"], WithDecryption: true } },
    ]);
  });

  it("fills the cache for getParameter", async () => {
    await ssm.getParameters(["/app/key-00", "/app/key-01"]);
    assert.equal(await ssm.getParameter("/app/key-01"), "value of /app/key-01");
    assert.equal(server.requests.length, 1);
  });

  it("shares a call under way with getParameter", async () => {
    server.delayMs = 20;
    try {
      const [one, many] = await Promise.all([
        ssm.getParameter("/app/key-03"),
        ssm.getParameters(["/app/key-03", "/app/key-04"]),
      ]);
      assert.equal(one, "value of /app/key-03");
      assert.equal(many["/app/key-03"], "value of /app/key-03");
      assert.deepEqual(server.operations(), ["GetParameter", "GetParameters"]);
      assert.deepEqual(server.requests[1]?.body.Names, ["/app/key-04"]);
    } finally {
      server.delayMs = 0;
    }
  });

  it("applies list, schema and decrypt to every name", async () => {
    const ports = await ssm.getParameters(["/app/port"], { schema: v.number() });
    assert.deepEqual(ports, { "/app/port": 8080 });
    const lists = await ssm.getParameters(["/app/hosts"], { list: true });
    assert.deepEqual(lists, { "/app/hosts": ["a", "b"] });
    const encrypted = await ssm.getParameters(["/app/password"], { decrypt: false });
    assert.notEqual(encrypted["/app/password"], "hunter2");
    assert.equal(server.requests.at(-1)?.body.WithDecryption, false);
  });

  it("throws a ParameterError naming every missing name, with the values found", async () => {
    const asked = ["/app/key-00", "/app/nope-1", ...names.slice(1, 12), "/app/nope-2"];
    const error = await failure(ssm.getParameters(asked));
    assert.ok(isParameterError(error));
    assert.equal(error.reason, "not-found");
    assert.deepEqual(error.names, ["/app/nope-1", "/app/nope-2"]);
    assert.equal(
      error.message,
      'SSM parameters "/app/nope-1", "/app/nope-2" were not found; expected existing parameter names',
    );
    assert.equal(Object.keys(error.found).length, 12);
    assert.equal(error.found["/app/key-11"], "value of /app/key-11");
    assert.equal(server.requests.length, 2);
  });

  it("names five missing names and counts the rest", async () => {
    const missing = Array.from({ length: 7 }, (_, i) => `/gone/${i}`);
    const error = await failure(ssm.getParameters(missing));
    assert.match(
      error.message,
      /^SSM parameters "\/gone\/0", .*"\/gone\/4" and 2 more were not found/,
    );
  });

  it("leaves missing names out with allowMissing", async () => {
    const values = await ssm.getParameters(["/app/key-00", "/app/nope"], { allowMissing: true });
    assert.deepEqual(values, { "/app/key-00": "value of /app/key-00" });
  });

  it("passes a 500 on as the SDK threw it", async () => {
    server.fault = { status: 500, type: "InternalServerError" };
    const error = await failure(ssm.getParameters(["/app/key-00", "/app/nope"]));
    assert.equal(error.name, "InternalServerError");
  });

  it("answers an empty list without calling SSM", async () => {
    assert.deepEqual(await ssm.getParameters([]), {});
    assert.equal(server.requests.length, 0);
  });

  it("refuses a name that is not a non-empty string", async () => {
    await assert.rejects(ssm.getParameters(["/app/key-00", ""]), {
      name: "TypeError",
      message: 'SSM parameter name must be a non-empty string, got ""',
    });
    assert.equal(server.requests.length, 0);
  });
});
