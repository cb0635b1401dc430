// getParametersByPath through the real client: every page, recursion, decryption, caching.

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { createSsm, type Ssm } from "../../lib/ssm/index.js";
import { useSsmServer } from "../helpers/ssm-server.js";

describe("getParametersByPath", () => {
  const double = useSsmServer({
    "/app/a": { value: "1" },
    "/app/b": { value: "2" },
    "/app/c": { value: "x,y", type: "StringList" },
    "/app/d": { value: "4" },
    "/app/e": { value: "hunter2", type: "SecureString" },
    "/app/db/host": { value: "db.internal" },
    "/other/z": { value: "26" },
  });
  let ssm: Ssm;

  beforeEach(() => {
    ssm = createSsm({ client: double.client });
  });

  it("follows NextToken through every page", async () => {
    double.server.pageSize = 2;
    const values = await ssm.getParametersByPath("/app");
    assert.deepEqual(values, {
      "/app/a": "1",
      "/app/b": "2",
      "/app/c": "x,y",
      "/app/d": "4",
      "/app/e": "hunter2",
    });
    assert.deepEqual(
      double.server.requests.map((request) => request.body.NextToken),
      [undefined, "2", "4"],
    );
    assert.deepEqual(
      double.server.requests.map((request) => request.body.MaxResults),
      [10, 10, 10],
    );
  });

  it("reads one level unless recursive, and sends the flag", async () => {
    const shallow = await ssm.getParametersByPath("/app/");
    assert.equal(shallow["/app/db/host"], undefined);
    const deep = await ssm.getParametersByPath("/app/", { recursive: true });
    assert.equal(deep["/app/db/host"], "db.internal");
    assert.deepEqual(
      double.server.requests.map((request) => request.body.Recursive),
      [false, true],
    );
  });

  it("decrypts by default and sends WithDecryption false when told", async () => {
    assert.equal((await ssm.getParametersByPath("/app"))["/app/e"], "hunter2");
    assert.notEqual(
      (await ssm.getParametersByPath("/app", { decrypt: false }))["/app/e"],
      "hunter2",
    );
    assert.deepEqual(
      double.server.requests.map((request) => request.body.WithDecryption),
      [true, false],
    );
  });

  it("serves a second read from memory and fills the name cache", async () => {
    await ssm.getParametersByPath("/app");
    await ssm.getParametersByPath("/app");
    assert.equal(await ssm.getParameter("/app/b"), "2");
    assert.deepEqual(double.server.operations(), ["GetParametersByPath"]);
  });

  it("gives each caller its own object", async () => {
    const first = await ssm.getParametersByPath("/app");
    first["/app/a"] = "changed";
    assert.equal((await ssm.getParametersByPath("/app"))["/app/a"], "1");
  });

  it("answers a path with nothing under it with an empty object", async () => {
    assert.deepEqual(await ssm.getParametersByPath("/nothing"), {});
  });

  it("passes a 500 on as the SDK threw it", async () => {
    double.server.fault = { status: 500, type: "InternalServerError" };
    await assert.rejects(ssm.getParametersByPath("/app"), { name: "InternalServerError" });
  });

  it("refuses a path that does not start with a slash", async () => {
    await assert.rejects(ssm.getParametersByPath("app"), {
      name: "TypeError",
      message:
        'SSM parameter path must be a string starting with "/" (e.g. "/app/prod/"), got "app"',
    });
    assert.equal(double.server.requests.length, 0);
  });
});
