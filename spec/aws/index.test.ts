// awsClientConfig and annotateAwsErrors with the real SSM client, and the core kept free of the SDK.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { connect, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { GetParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";
import { build } from "esbuild";
import { type AwsClientConfig, annotateAwsErrors, awsClientConfig } from "../../lib/aws/index.js";
import { readSettings, settings } from "../../lib/settings.js";
import { type SsmServer, ssmClientFor, startSsmServer } from "../helpers/ssm-server.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("awsClientConfig", () => {
  let server: SsmServer;
  const clients: SSMClient[] = [];
  const clientFor = (overrides: Parameters<typeof ssmClientFor>[1]) => {
    const client = ssmClientFor(server, overrides);
    clients.push(client);
    return client;
  };

  before(async () => {
    server = await startSsmServer({ "/app/name": { value: "demo" } });
  });
  after(async () => {
    for (const client of clients) client.destroy();
    await server.close();
  });

  it("gives timeouts in ms, keep-alive agents of AWS_MAX_SOCKETS sockets and the standard retry mode", () => {
    const config = awsClientConfig(
      readSettings({ CONNECTION_TIMEOUT: "2", READ_TIMEOUT: "3.5", AWS_MAX_SOCKETS: "7" }),
    );
    const { httpAgent, httpsAgent, ...timeouts } = config.requestHandler;
    assert.deepEqual(timeouts, {
      connectionTimeout: 2000,
      requestTimeout: 3500,
      throwOnRequestTimeout: true,
      socketTimeout: 3500,
    });
    assert.ok(httpAgent instanceof HttpAgent);
    assert.ok(httpsAgent instanceof HttpsAgent);
    for (const agent of [httpAgent, httpsAgent]) {
      assert.equal(agent.maxSockets, 7);
      assert.equal((agent as HttpAgent & { keepAlive?: boolean }).keepAlive, true);
    }
    assert.equal(config.retryMode, "standard");
  });

  it("shares its agents between calls with the same settings, the process's by default", () => {
    const own = readSettings({ AWS_MAX_SOCKETS: "7" });
    const agentOf = (config: AwsClientConfig) => config.requestHandler.httpsAgent;
    assert.equal(agentOf(awsClientConfig(own)), agentOf(awsClientConfig(own)));
    assert.equal(agentOf(awsClientConfig()), agentOf(awsClientConfig()));
    assert.equal(agentOf(awsClientConfig()), agentOf(awsClientConfig(settings())));
    assert.notEqual(agentOf(awsClientConfig(own)), agentOf(awsClientConfig()));
    assert.equal(awsClientConfig().requestHandler.httpsAgent.maxSockets, settings().awsMaxSockets);
  });

  it("gives a fresh object each call, so a spread or a change never leaks to other clients", () => {
    const own = readSettings({});
    assert.notEqual(awsClientConfig(own), awsClientConfig(own));
    assert.notEqual(awsClientConfig(own).requestHandler, awsClientConfig(own).requestHandler);
  });

  it("lets two clients reuse one kept-alive connection", async () => {
    const config = awsClientConfig(readSettings({}));
    const opened = server.connections;
    for (const client of [
      clientFor({ ...config, maxAttempts: 1 }),
      clientFor({ ...config, maxAttempts: 1 }),
    ]) {
      const output = await client.send(new GetParameterCommand({ Name: "/app/name" }));
      assert.equal(output.Parameter?.Value, "demo");
    }
    assert.equal(server.connections - opened, 1);
  });

  it("gives each client its own connections without it", async () => {
    const opened = server.connections;
    for (const client of [clientFor({ maxAttempts: 1 }), clientFor({ maxAttempts: 1 })]) {
      await client.send(new GetParameterCommand({ Name: "/app/name" }));
    }
    assert.equal(server.connections - opened, 2);
  });

  it("retries a 500 in the standard mode, 3 attempts in all", async () => {
    server.requests.length = 0;
    server.fault = { status: 500, type: "InternalServerError" };
    try {
      const client = clientFor({ ...awsClientConfig(readSettings({})), maxAttempts: undefined });
      await assert.rejects(client.send(new GetParameterCommand({ Name: "/app/name" })), (error) => {
        assert.ok(error instanceof Error, String(error));
        assert.equal(error.name, "InternalServerError");
        assert.equal((error as { $metadata?: { attempts?: number } }).$metadata?.attempts, 3);
        return true;
      });
      assert.deepEqual(server.operations(), ["GetParameter", "GetParameter", "GetParameter"]);
    } finally {
      server.fault = undefined;
    }
  });

  it("answers within READ_TIMEOUT when the server is slow but not too slow", async () => {
    server.delayMs = 100;
    try {
      const client = clientFor({
        ...awsClientConfig(readSettings({ READ_TIMEOUT: "10" })),
        maxAttempts: 1,
      });
      const output = await client.send(new GetParameterCommand({ Name: "/app/name" }));
      assert.equal(output.Parameter?.Value, "demo");
    } finally {
      server.delayMs = 0;
    }
  });

  it("cuts a server that never answers after READ_TIMEOUT", { timeout: 10_000 }, async () => {
    server.requests.length = 0;
    server.delayMs = Number.POSITIVE_INFINITY;
    try {
      const config = awsClientConfig(readSettings({ READ_TIMEOUT: "0.2" }));
      const client = clientFor({ ...config, maxAttempts: 1 });
      await assert.rejects(client.send(new GetParameterCommand({ Name: "/app/name" })), (error) => {
        assert.ok(error instanceof Error, String(error));
        assert.equal(error.name, "TimeoutError");
        assert.match(error.message, /200 ms/);
        return true;
      });
      assert.deepEqual(server.operations(), ["GetParameter"]);
    } finally {
      server.delayMs = 0;
    }
  });
});

describe("awsClientConfig connection timeout", () => {
  // A listener whose process never accepts: once its accept queue is full, the kernel
  // drops further SYNs, so a connection attempt stays pending; only 127.0.0.1 is used.
  let child: ChildProcess;
  let port: number;
  const fillers: Socket[] = [];

  before(async () => {
    const script = [
      "const s = require('node:net').createServer();",
      "s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {",
      "  process.stdout.write(s.address().port + '\\n');",
      "  setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0), 50);",
      "});",
    ].join("\n");
    child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    port = await new Promise<number>((resolve, reject) => {
      child.stdout?.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      child.once("error", reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Fill the queue: connect until one attempt is left pending.
    for (let i = 0; i < 16; i += 1) {
      const socket = connect({ port, host: "127.0.0.1" });
      socket.on("error", () => {});
      fillers.push(socket);
      const connected = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 300);
        socket.once("connect", () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (!connected) return;
    }
    assert.fail("the listener's accept queue never filled up");
  });
  after(() => {
    for (const socket of fillers) socket.destroy();
    child.kill("SIGKILL");
  });

  it("cuts a connection that is not established within CONNECTION_TIMEOUT", {
    timeout: 10_000,
  }, async (t) => {
    const config = awsClientConfig(readSettings({ CONNECTION_TIMEOUT: "0.2", READ_TIMEOUT: "30" }));
    const client = ssmClientFor({ endpoint: `http://127.0.0.1:${port}` } as SsmServer, {
      ...config,
      maxAttempts: 1,
    });
    t.after(() => client.destroy());
    await assert.rejects(client.send(new GetParameterCommand({ Name: "/app/name" })), (error) => {
      assert.ok(error instanceof Error, String(error));
      assert.equal(error.name, "TimeoutError");
      assert.match(error.message, /did not establish a connection .* 200 ms/);
      return true;
    });
  });
});

describe("annotateAwsErrors", () => {
  let server: SsmServer;
  before(async () => {
    server = await startSsmServer();
  });
  after(() => server.close());

  it("sets $service and $operation on the client's errors, also when added twice", async (t) => {
    const client = annotateAwsErrors(annotateAwsErrors(ssmClientFor(server)));
    t.after(() => client.destroy());
    await assert.rejects(
      client.send(new GetParameterCommand({ Name: "/app/missing" })),
      (error) => {
        assert.ok(error instanceof Error, String(error));
        assert.equal(error.name, "ParameterNotFound");
        assert.equal((error as { $service?: unknown }).$service, "SSM");
        assert.equal((error as { $operation?: unknown }).$operation, "GetParameter");
        return true;
      },
    );
    assert.deepEqual(server.operations(), ["GetParameter"]);
  });

  it("leaves the errors of a client that was not annotated as they were", async (t) => {
    const client = ssmClientFor(server);
    t.after(() => client.destroy());
    await assert.rejects(
      client.send(new GetParameterCommand({ Name: "/app/missing" })),
      (error) => {
        assert.ok(error instanceof Error, String(error));
        assert.equal((error as { $operation?: unknown }).$operation, undefined);
        return true;
      },
    );
  });
});

describe("the core entry", () => {
  /** The files esbuild bundles for `entry`, relative to the repository root. */
  async function bundledInputs(entry: string): Promise<string[]> {
    const result = await build({
      entryPoints: [`${root}${entry}`],
      bundle: true,
      write: false,
      metafile: true,
      platform: "node",
      format: "esm",
      logLevel: "silent",
      absWorkingDir: root,
    });
    return Object.keys(result.metafile.inputs);
  }

  it("bundles without the AWS SDK or the aws and ssm subpaths", { timeout: 20_000 }, async () => {
    const inputs = await bundledInputs("lib/index.ts");
    assert.ok(
      inputs.some((input) => input.endsWith("lib/index.ts")),
      "the entry itself is an input",
    );
    const offending = inputs.filter((input) =>
      /node_modules\/@(aws-sdk|smithy)\/|lib\/(aws|ssm)\//.test(input),
    );
    assert.deepEqual(offending, []);
  });

  it("keeps aws-fault.ts free of imports", async () => {
    assert.deepEqual(await bundledInputs("lib/util/aws-fault.ts"), ["lib/util/aws-fault.ts"]);
  });
});
