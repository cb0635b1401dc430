// A small SSM Parameter Store double on 127.0.0.1 that speaks the AWS JSON 1.1 protocol.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach } from "node:test";
import { SSMClient, type SSMClientConfig } from "@aws-sdk/client-ssm";

/** A parameter as the double stores it. */
export interface StoredParameter {
  readonly value: string;
  /** @default "String" */
  readonly type?: "String" | "StringList" | "SecureString";
}

/** An error answer in the AWS JSON 1.1 shape: HTTP status, `__type` and `message`. */
export interface FaultAnswer {
  readonly status: number;
  readonly type: string;
  readonly message?: string;
}

/** One request the double received. */
export interface ReceivedRequest {
  /** The operation, from `X-Amz-Target: AmazonSSM.<operation>`. */
  readonly operation: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** The running double. */
export interface SsmServer {
  /** `http://127.0.0.1:<port>`, for the client's `endpoint`. */
  readonly endpoint: string;
  /** Every request received, in order. */
  readonly requests: ReceivedRequest[];
  /** The request id sent in `x-amzn-RequestId` on every answer. */
  readonly requestId: string;
  /** Parameters by name; change it freely between calls. */
  readonly parameters: Map<string, StoredParameter>;
  /** Answers every request with this error until set back to `undefined`. */
  fault: FaultAnswer | undefined;
  /** Waits this many ms before answering; `Infinity` holds the answer until `close()`. */
  delayMs: number;
  /** How many results a GetParametersByPath page holds at most. */
  pageSize: number;
  /** How many TCP connections were opened to the double so far. */
  readonly connections: number;
  /** Operations received so far, e.g. `["GetParameter", "GetParameter"]`. */
  operations(): string[];
  /** Closes the server and every open connection. */
  close(): Promise<void>;
}

const arnPrefix = "arn:aws:ssm:us-east-1:123456789012:parameter";
/** GetParametersByPath's page size until a test sets another. */
const PAGE_SIZE = 10;

function shape(name: string, stored: StoredParameter, decrypt: boolean): Record<string, unknown> {
  const type = stored.type ?? "String";
  // SSM sends SecureString values encrypted unless WithDecryption is true.
  const value =
    type === "SecureString" && !decrypt
      ? `encrypted:${Buffer.from(stored.value).toString("base64")}`
      : stored.value;
  return {
    Name: name,
    Type: type,
    Value: value,
    Version: 1,
    LastModifiedDate: 1_700_000_000,
    ARN: `${arnPrefix}${name}`,
    DataType: "text",
  };
}

function answer(
  server: SsmServer,
  operation: string,
  body: Readonly<Record<string, unknown>>,
): [number, unknown] {
  const decrypt = body.WithDecryption === true;
  const { parameters } = server;
  if (operation === "GetParameter") {
    const name = String(body.Name);
    const stored = parameters.get(name);
    if (stored === undefined) return [400, { __type: "ParameterNotFound" }];
    return [200, { Parameter: shape(name, stored, decrypt) }];
  }
  if (operation === "GetParameters") {
    const names = (body.Names as string[] | undefined) ?? [];
    if (names.length > 10) {
      const message = `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10`;
      return [400, { __type: "ValidationException", message }];
    }
    const found = names.filter((name) => parameters.has(name));
    return [
      200,
      {
        Parameters: found.map((name) => shape(name, parameters.get(name)!, decrypt)),
        InvalidParameters: names.filter((name) => !parameters.has(name)),
      },
    ];
  }
  if (operation === "GetParametersByPath") {
    const path = String(body.Path);
    const prefix = path.endsWith("/") ? path : `${path}/`;
    const matching = [...parameters.keys()]
      .filter((name) => name.startsWith(prefix))
      .filter((name) => body.Recursive === true || !name.slice(prefix.length).includes("/"))
      .sort();
    const start = typeof body.NextToken === "string" ? Number(body.NextToken) : 0;
    const size = Math.min(server.pageSize, Number(body.MaxResults ?? 10));
    const page = matching.slice(start, start + size);
    const next = start + size < matching.length ? String(start + size) : undefined;
    return [
      200,
      {
        Parameters: page.map((name) => shape(name, parameters.get(name)!, decrypt)),
        ...(next === undefined ? {} : { NextToken: next }),
      },
    ];
  }
  return [400, { __type: "UnknownOperationException", message: `No operation ${operation}` }];
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
}

/**
 * Starts the double on a random port of 127.0.0.1.
 * @example
 * const server = await startSsmServer({ "/app/name": { value: "demo" } });
 * t.after(() => server.close());
 */
export async function startSsmServer(
  initial: Readonly<Record<string, StoredParameter>> = {},
): Promise<SsmServer> {
  const held = new Set<() => void>();
  const http = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const body = await readJson(request);
      const target = String(request.headers["x-amz-target"] ?? "");
      const operation = target.startsWith("AmazonSSM.") ? target.slice("AmazonSSM.".length) : "";
      state.requests.push({ operation, body });
      if (state.delayMs > 0) {
        await new Promise<void>((resolve) => {
          const release = () => {
            held.delete(release);
            clearTimeout(timer);
            resolve();
          };
          const timer = Number.isFinite(state.delayMs)
            ? setTimeout(release, state.delayMs)
            : undefined;
          held.add(release);
        });
        if (response.destroyed) return;
      }
      const [status, payload] = state.fault
        ? [state.fault.status, { __type: state.fault.type, message: state.fault.message }]
        : answer(state, operation, body);
      response.writeHead(status, {
        "content-type": "application/x-amz-json-1.1",
        "x-amzn-requestid": state.requestId,
      });
      response.end(JSON.stringify(payload));
    })();
  });
  let connections = 0;
  http.on("connection", () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  const state: SsmServer = {
    endpoint: `http://127.0.0.1:${port}`,
    requests: [],
    requestId: "5c1b6f1e-0000-4000-8000-000000000001",
    parameters: new Map(Object.entries(initial)),
    fault: undefined,
    delayMs: 0,
    pageSize: PAGE_SIZE,
    get connections() {
      return connections;
    },
    operations: () => state.requests.map((request) => request.operation),
    close: () =>
      new Promise<void>((resolve) => {
        for (const release of [...held]) release();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
  return state;
}

/**
 * A real SSMClient talking to the double with fake static credentials and one attempt.
 * @param overrides merged over the test defaults (e.g. `awsClientConfig()`, `maxAttempts`).
 */
export function ssmClientFor(server: SsmServer, overrides: Partial<SSMClientConfig> = {}) {
  return new SSMClient({
    region: "us-east-1",
    endpoint: server.endpoint,
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret-for-tests" },
    maxAttempts: 1,
    ...overrides,
  });
}

/** The double and a client for it, as {@link useSsmServer} keeps them for a suite. */
export interface SsmSuite {
  /** The running double; read it inside hooks and tests, once the suite's `before` has run. */
  readonly server: SsmServer;
  /** A client on the double, made by {@link ssmClientFor} with its defaults. */
  readonly client: SSMClient;
}

/**
 * Gives the enclosing `describe` a double and a client: started before its first test, closed
 * after its last, and set back before each test to `initial`'s parameters, no requests, no fault,
 * no delay and pages of 10.
 * @example
 * describe("getParameter", () => {
 *   const double = useSsmServer({ "/app/name": { value: "demo" } });
 *   it("reads it", async () => {
 *     await double.client.send(new GetParameterCommand({ Name: "/app/name" }));
 *     assert.deepEqual(double.server.operations(), ["GetParameter"]);
 *   });
 * });
 */
export function useSsmServer(initial: Readonly<Record<string, StoredParameter>> = {}): SsmSuite {
  let server: SsmServer | undefined;
  let client: SSMClient | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the SSM double is read before its suite started it");
    return value;
  };
  before(async () => {
    server = await startSsmServer(initial);
    client = ssmClientFor(server);
  });
  after(async () => {
    client?.destroy();
    await server?.close();
  });
  beforeEach(() => {
    const double = started(server);
    double.parameters.clear();
    for (const [name, stored] of Object.entries(initial)) double.parameters.set(name, stored);
    double.requests.length = 0;
    double.fault = undefined;
    double.delayMs = 0;
    double.pageSize = PAGE_SIZE;
  });
  return {
    get server() {
      return started(server);
    },
    get client() {
      return started(client);
    },
  };
}
