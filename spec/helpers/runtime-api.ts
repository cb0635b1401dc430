// A Lambda Runtime API emulator on 127.0.0.1 (hands events to a runtime client, collects what it posts back), and the zip unpacking before it.

import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Entry } from "yauzl";
import { fromBufferPromise } from "yauzl";

/** One file of a deployment zip. */
export interface ZipFileEntry {
  readonly name: string;
  readonly data: Buffer;
  /** The Unix mode from the entry's external attributes (`0o100644`). */
  readonly mode: number;
  /** The DOS timestamp, read as local time. */
  readonly modified: Date;
}

/** Reads every file of a zip with yauzl, in the zip's order. */
export async function readZip(zip: Buffer): Promise<ZipFileEntry[]> {
  const file = await fromBufferPromise(zip, { lazyEntries: true });
  const out: ZipFileEntry[] = [];
  await new Promise<void>((resolve, reject) => {
    file.on("error", reject);
    file.on("end", resolve);
    file.on("entry", (entry: Entry) => {
      file
        .openReadStreamPromise(entry)
        .then(async (stream) => {
          const chunks: Buffer[] = [];
          for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
          out.push({
            name: entry.fileName,
            data: Buffer.concat(chunks),
            mode: entry.externalFileAttributes >>> 16,
            modified: entry.getLastModDate({ forceDosFormat: true }),
          });
          file.readEntry();
        })
        .catch(reject);
    });
    file.readEntry();
  });
  return out;
}

/** Unpacks a deployment zip into `dir` as Lambda does into /var/task. */
export async function extractZip(zip: Buffer, dir: string): Promise<string[]> {
  const entries = await readZip(zip);
  for (const entry of entries) {
    const target = path.join(dir, entry.name);
    if (path.relative(dir, target).startsWith(".."))
      throw new Error(`Zip entry ${entry.name} escapes ${dir}`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, entry.data, { mode: entry.mode & 0o777 });
  }
  return entries.map((entry) => entry.name);
}

/**
 * What the runtime posted for one invocation. A streamed response (`Lambda-Runtime-Function-
 * Response-Mode: streaming`) is handed over as soon as it starts: `body` is the runtime's request
 * itself, read chunk by chunk as the runtime sends them; its `trailers` (the error type and body
 * of a failed stream) are there once it has ended.
 */
export type InvocationOutcome =
  | { readonly kind: "response"; readonly body: unknown }
  | {
      readonly kind: "stream";
      readonly headers: IncomingHttpHeaders;
      readonly body: IncomingMessage;
    }
  | { readonly kind: "error"; readonly body: unknown; readonly errorType: string | undefined };

/** A running emulator. */
export interface RuntimeApi {
  /** `127.0.0.1:PORT`: the value of `AWS_LAMBDA_RUNTIME_API`. */
  readonly address: string;
  /** Bodies posted to `/runtime/init/error`. */
  readonly initErrors: readonly unknown[];
  /**
   * Queues `event` for the runtime and resolves to what it posts back.
   * @param timeoutMs reject when nothing came back by then.
   */
  invoke(event: unknown, timeoutMs?: number): Promise<InvocationOutcome>;
  /** Rejects every invocation still waiting (the runtime process died). */
  fail(reason: Error): void;
  /** Stops the server and drops the runtime's held `/next` request. */
  close(): Promise<void>;
}

/** Options of {@link startRuntimeApi}. */
export interface RuntimeApiOptions {
  /** `Lambda-Runtime-Invoked-Function-Arn`. */
  readonly functionArn?: string;
  /** The function timeout that `Lambda-Runtime-Deadline-Ms` is computed from, in ms. @default 30000 */
  readonly timeoutMs?: number;
}

interface Pending {
  readonly id: string;
  readonly event: unknown;
  readonly resolve: (outcome: InvocationOutcome) => void;
  readonly reject: (error: Error) => void;
}

const PREFIX = "/2018-06-01/runtime";

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? undefined : JSON.parse(text);
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

/**
 * Starts the emulator on a free port of 127.0.0.1. It speaks the part of the Runtime API that a
 * runtime client uses: `GET /invocation/next` (held open until an event is queued), `POST
 * /invocation/{id}/response` (buffered or streamed), `POST /invocation/{id}/error` and `POST
 * /init/error`.
 */
export async function startRuntimeApi(options: RuntimeApiOptions = {}): Promise<RuntimeApi> {
  const functionArn =
    options.functionArn ?? "arn:aws:lambda:us-east-1:123456789012:function:aio-lambda-api-e2e";
  const timeoutMs = options.timeoutMs ?? 30_000;
  const queue: Pending[] = [];
  const waiting: ServerResponse[] = [];
  const inFlight = new Map<string, Pending>();
  const initErrors: unknown[] = [];

  function handOut(response: ServerResponse, pending: Pending): void {
    inFlight.set(pending.id, pending);
    response.writeHead(200, {
      "content-type": "application/json",
      "lambda-runtime-aws-request-id": pending.id,
      "lambda-runtime-deadline-ms": String(Date.now() + timeoutMs),
      "lambda-runtime-invoked-function-arn": functionArn,
      "lambda-runtime-trace-id": `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, "").slice(0, 24)};Parent=${randomUUID().replace(/-/g, "").slice(0, 16)};Sampled=0`,
    });
    response.end(JSON.stringify(pending.event));
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = request.url ?? "";
    if (request.method === "GET" && url === `${PREFIX}/invocation/next`) {
      const next = queue.shift();
      if (next) handOut(response, next);
      else waiting.push(response);
      return;
    }
    const done = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (request.method === "POST" && done) {
      const id = decodeURIComponent(done[1]!);
      const pending = inFlight.get(id);
      const mode = request.headers["lambda-runtime-function-response-mode"];
      if (pending && done[2] === "response" && mode === "streaming") {
        inFlight.delete(id);
        request.once("end", () => reply(response, 202, { status: "OK" }));
        pending.resolve({ kind: "stream", headers: request.headers, body: request });
        return;
      }
      const body = await readJson(request);
      if (!pending) {
        reply(response, 400, {
          errorMessage: `Invalid request ID ${id}`,
          errorType: "InvalidRequestID",
        });
        return;
      }
      inFlight.delete(id);
      reply(response, 202, { status: "OK" });
      const errorType = request.headers["lambda-runtime-function-error-type"];
      pending.resolve(
        done[2] === "response"
          ? { kind: "response", body }
          : {
              kind: "error",
              body,
              errorType: typeof errorType === "string" ? errorType : undefined,
            },
      );
      return;
    }
    if (request.method === "POST" && url === `${PREFIX}/init/error`) {
      initErrors.push(await readJson(request));
      reply(response, 202, { status: "OK" });
      return;
    }
    reply(response, 404, {
      errorMessage: `No route for ${request.method} ${url}`,
      errorType: "NotFound",
    });
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) =>
      reply(response, 500, { errorMessage: String(error) }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  function fail(reason: Error): void {
    for (const pending of [...queue, ...inFlight.values()]) pending.reject(reason);
    queue.length = 0;
    inFlight.clear();
  }

  return {
    address: `127.0.0.1:${port}`,
    initErrors,
    invoke(event, invokeTimeoutMs = 10_000) {
      return new Promise<InvocationOutcome>((resolve, reject) => {
        const id = randomUUID();
        const timer = setTimeout(() => {
          inFlight.delete(id);
          const at = queue.findIndex((p) => p.id === id);
          if (at !== -1) queue.splice(at, 1);
          reject(
            new Error(
              `No answer from the runtime to invocation ${id} within ${invokeTimeoutMs} ms`,
            ),
          );
        }, invokeTimeoutMs);
        const pending: Pending = {
          id,
          event,
          resolve: (outcome) => {
            clearTimeout(timer);
            resolve(outcome);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        const response = waiting.shift();
        if (response) handOut(response, pending);
        else queue.push(pending);
      });
    },
    fail,
    async close() {
      fail(new Error("The Runtime API emulator closed"));
      for (const response of waiting.splice(0)) response.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
