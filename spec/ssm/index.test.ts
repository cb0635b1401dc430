// The aio-lambda-api/ssm entry: its export list, and the module functions' lazily made client.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import { awsClientConfig } from "../../lib/aws/index.js";
import * as entry from "../../lib/ssm/index.js";
import { awsServerFault } from "../../lib/util/aws-fault.js";
import { type SsmServer, ssmClientFor, startSsmServer } from "../helpers/ssm-server.js";

describe("aio-lambda-api/ssm", () => {
  let server: SsmServer;
  const saved = { ...process.env };

  before(async () => {
    server = await startSsmServer({ "/app/name": { value: "demo" }, "/app/b": { value: "b" } });
  });
  after(async () => {
    process.env = saved;
    await server.close();
  });

  it("exports exactly its public API", () => {
    assert.deepEqual(Object.keys(entry).sort(), [
      "ParameterError",
      "createSsm",
      "getParameter",
      "getParameters",
      "getParametersByPath",
      "isParameterError",
    ]);
  });

  it("makes its default client on first use, from the environment and awsClientConfig()", async (t) => {
    // Set after the import: the client does not exist until the first call.
    Object.assign(process.env, {
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "AKIDTEST",
      AWS_SECRET_ACCESS_KEY: "secret-for-tests",
      AWS_ENDPOINT_URL_SSM: server.endpoint,
    });
    assert.equal(await entry.getParameter("/app/name"), "demo");
    assert.deepEqual(await entry.getParameters(["/app/name", "/app/b"]), {
      "/app/name": "demo",
      "/app/b": "b",
    });
    assert.deepEqual(await entry.getParametersByPath("/app"), {
      "/app/name": "demo",
      "/app/b": "b",
    });
    assert.deepEqual(server.operations(), ["GetParameter", "GetParameters", "GetParametersByPath"]);
    // A client on awsClientConfig() reuses the default client's kept-alive connection: one agent.
    const opened = server.connections;
    const other = ssmClientFor(server, { ...awsClientConfig(), maxAttempts: 1 });
    t.after(() => other.destroy());
    await other.send(new GetParameterCommand({ Name: "/app/name" }));
    assert.equal(server.connections, opened);
  });

  it("annotates the default client's errors with service and operation", async () => {
    server.fault = { status: 500, type: "InternalServerError" };
    try {
      const error = await entry.getParameter("/app/other").catch((caught: unknown) => caught);
      assert.deepEqual(awsServerFault(error), {
        name: "InternalServerError",
        status: 500,
        requestId: server.requestId,
        service: "SSM",
        operation: "GetParameter",
      });
    } finally {
      server.fault = undefined;
    }
  });
});
