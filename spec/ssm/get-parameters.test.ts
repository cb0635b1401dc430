// getParameters through the real client: batches of 10, cache reuse, missing names, errors.

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import * as v from "valibot";
import { createSsm, isParameterError, type Ssm } from "../../lib/ssm/index.js";
import { useSsmServer } from "../helpers/ssm-server.js";

const names = Array.from({ length: 23 }, (_, i) => `/app/key-${String(i).padStart(2, "0")}`);

describe("getParameters", () => {
  const double = useSsmServer({
    ...Object.fromEntries(names.map((name) => [name, { value: `value of ${name}` }])),
    "/app/hosts": { value: "a,b", type: "StringList" },
    "/app/port": { value: "8080" },
    "/app/password": { value: "hunter2", type: "SecureString" },
  });
  let ssm: Ssm;

  beforeEach(() => {
    ssm = createSsm({ client: double.client });
  });

  it("asks for 23 names in GetParameters calls of 10, 10 and 3", async () => {
    const values = await ssm.getParameters(names);
    assert.deepEqual(Object.keys(values).sort(), names);
    assert.equal(values["/app/key-07"], "value of /app/key-07");
    assert.deepEqual(double.server.operations(), [
      "GetParameters",
      "GetParameters",
      "GetParameters",
    ]);
    const sizes = double.server.requests.map((request) => (request.body.Names as string[]).length);
    assert.deepEqual(sizes, [10, 10, 3]);
    assert.deepEqual(
      double.server.requests.flatMap((request) => request.body.Names as string[]),
      names,
    );
  });

  it("does not ask for cached names, and asks for each name once", async () => {
    await ssm.getParameter("/app/key-00");
    double.server.requests.length = 0;
    const values = await ssm.getParameters(["/app/key-00", "/app/key-01", "/app/key-01"]);
    assert.deepEqual(values, {
      "/app/key-00": "value of /app/key-00",
      "/app/key-01": "value of /app/key-01",
    });
    assert.deepEqual(double.server.requests, [
      { operation: "GetParameters", body: { Names: ["/app/key-01"], WithDecryption: true } },
    ]);
  });

  it("fills the cache for getParameter", async () => {
    await ssm.getParameters(["/app/key-00", "/app/key-01"]);
    assert.equal(await ssm.getParameter("/app/key-01"), "value of /app/key-01");
    assert.equal(double.server.requests.length, 1);
  });

  it("shares a call under way with getParameter", async () => {
    double.server.delayMs = 20;
    try {
      const [one, many] = await Promise.all([
        ssm.getParameter("/app/key-03"),
        ssm.getParameters(["/app/key-03", "/app/key-04"]),
      ]);
      assert.equal(one, "value of /app/key-03");
      assert.equal(many["/app/key-03"], "value of /app/key-03");
      assert.deepEqual(double.server.operations(), ["GetParameter", "GetParameters"]);
      assert.deepEqual(double.server.requests[1]?.body.Names, ["/app/key-04"]);
    } finally {
      double.server.delayMs = 0;
    }
  });

  it("applies list, schema and decrypt to every name", async () => {
    const ports = await ssm.getParameters(["/app/port"], { schema: v.number() });
    assert.deepEqual(ports, { "/app/port": 8080 });
    const lists = await ssm.getParameters(["/app/hosts"], { list: true });
    assert.deepEqual(lists, { "/app/hosts": ["a", "b"] });
    const encrypted = await ssm.getParameters(["/app/password"], { decrypt: false });
    assert.notEqual(encrypted["/app/password"], "hunter2");
    assert.equal(double.server.requests.at(-1)?.body.WithDecryption, false);
  });

  it("throws a ParameterError naming every missing name, with the values found", async () => {
    const asked = ["/app/key-00", "/app/nope-1", ...names.slice(1, 12), "/app/nope-2"];
    await assert.rejects(ssm.getParameters(asked), (error) => {
      assert.ok(error instanceof Error, String(error));
      assert.ok(isParameterError(error));
      assert.equal(error.reason, "not-found");
      assert.deepEqual(error.names, ["/app/nope-1", "/app/nope-2"]);
      assert.equal(
        error.message,
        'SSM parameters "/app/nope-1", "/app/nope-2" were not found; expected existing parameter names',
      );
      assert.equal(Object.keys(error.found).length, 12);
      assert.equal(error.found["/app/key-11"], "value of /app/key-11");
      return true;
    });
    assert.equal(double.server.requests.length, 2);
  });

  it("names five missing names and counts the rest", async () => {
    const missing = Array.from({ length: 7 }, (_, i) => `/gone/${i}`);
    await assert.rejects(ssm.getParameters(missing), (error) => {
      assert.ok(error instanceof Error, String(error));
      assert.match(
        error.message,
        /^SSM parameters "\/gone\/0", .*"\/gone\/4" and 2 more were not found/,
      );
      return true;
    });
  });

  it("leaves missing names out with allowMissing", async () => {
    const values = await ssm.getParameters(["/app/key-00", "/app/nope"], { allowMissing: true });
    assert.deepEqual(values, { "/app/key-00": "value of /app/key-00" });
  });

  it("passes a 500 on as the SDK threw it", async () => {
    double.server.fault = { status: 500, type: "InternalServerError" };
    await assert.rejects(ssm.getParameters(["/app/key-00", "/app/nope"]), (error) => {
      assert.ok(error instanceof Error, String(error));
      assert.equal(error.name, "InternalServerError");
      return true;
    });
  });

  it("answers an empty list without calling SSM", async () => {
    assert.deepEqual(await ssm.getParameters([]), {});
    assert.equal(double.server.requests.length, 0);
  });

  it("refuses a name that is not a non-empty string", async () => {
    await assert.rejects(ssm.getParameters(["/app/key-00", ""]), {
      name: "TypeError",
      message: 'SSM parameter name must be a non-empty string, got ""',
    });
    assert.equal(double.server.requests.length, 0);
  });
});
