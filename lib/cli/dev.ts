// `aio-lambda-api dev`: a local HTTP server that turns each request into a Lambda event and calls the app's handler.

import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { readSettings } from "../settings.js";
import { createContext, createEnvironment } from "./dev-context.js";
import type { EventFormat } from "../events/synthetic.js";
import type { HttpRequestData } from "./dev-event.js";
import { toEvent } from "./dev-event.js";
import type { HttpAnswer } from "./dev-result.js";
import { errorText, INTERNAL_SERVER_ERROR, sendAnswer, toHttpAnswer } from "./dev-result.js";
import type { DevHandler, Loader } from "./dev-loader.js";
import { createLoader } from "./dev-loader.js";
import { isStreamingHandler, useRuntimeGlobal } from "./dev-handler.js";
import { serveStreaming } from "./dev-stream.js";

/** Options of {@link startDevServer}. */
export interface DevServerOptions {
  /** The file that exports the handler (`src/app.ts`), relative to the current directory. */
  readonly entry: string;
  /**
   * The port to listen on; 0 picks a free one.
   * @default 3000
   */
  readonly port?: number;
  /**
   * The address to listen on.
   * @default "127.0.0.1"
   */
  readonly host?: string;
  /**
   * The events to make: `v1` API Gateway REST (payload 1.0), `v2` HTTP API (payload 2.0),
   * `alb` Application Load Balancer with multi-value headers, `lattice` VPC Lattice (event
   * structure version 2).
   * @default "v2"
   */
  readonly eventFormat?: EventFormat;
  /**
   * The exported handler to call: a handler of `(event, context)`, or a streaming handler (made
   * with `awslambda.streamifyResponse`, as the library's is), whose response stream is sent as
   * chunked HTTP.
   * @default "handler"
   */
  readonly handler?: string;
  /**
   * The function timeout in ms: `context.getRemainingTimeInMillis()` counts down from it, and an
   * invocation still running then is answered 502 as Lambda's timeout would be.
   * @default FUNCTION_TIMEOUT (seconds) × 1000, else 30 000
   */
  readonly timeoutMs?: number;
  /**
   * Rebuild and reload when a source file changes.
   * @default true
   */
  readonly watch?: boolean;
  /**
   * Where the per-request lines, reloads and errors go.
   * @default writes to process.stderr
   */
  readonly log?: (text: string) => void;
}

/** A running dev server. */
export interface DevServer {
  /** `http://127.0.0.1:3000`: where it listens. */
  readonly url: string;
  /** Where the app's `withDocs()` page is served, when the entry exports such an Api. */
  readonly docsUrl: string | undefined;
  /** Stops listening, ends open connections and stops watching. */
  close(): Promise<void>;
}

/** The largest request body accepted: API Gateway's 10 MB payload limit. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

const TOO_LARGE: HttpAnswer = {
  status: 413,
  headers: [["content-type", "application/json"]],
  body: Buffer.from('{"message":"Request Too Long"}'),
};

/**
 * Reads the body. Resolves to `"too large"` as soon as it passes the limit (the rest is never
 * buffered), and to `"aborted"` when the client goes away first.
 */
function readBody(request: IncomingMessage): Promise<Buffer | "too large" | "aborted"> {
  if (Number(request.headers["content-length"]) > MAX_BODY_BYTES)
    return Promise.resolve("too large");
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("close", onClose);
      request.off("error", reject);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else {
        stop();
        chunks.length = 0;
        resolve("too large");
      }
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onClose = () => {
      stop();
      resolve("aborted");
    };
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("close", onClose);
    request.on("error", reject);
  });
}

function rawHeaders(request: IncomingMessage): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2)
    pairs.push([request.rawHeaders[i]!, request.rawHeaders[i + 1]!]);
  return pairs;
}

/**
 * Starts the dev server: bundles and loads `options.entry`, listens on 127.0.0.1 (by default),
 * and for each request makes an event of `eventFormat`, calls the handler with a Lambda-like
 * context, and sends the result back as API Gateway or an ALB would. A streaming handler's
 * prelude becomes the status and headers, and its body is sent chunk by chunk as it is written.
 * A handler that throws, times out or returns a malformed result is answered 502
 * `{"message":"Internal server error"}` (a stream already started is cut short instead); a
 * body over 10 MB is answered 413 without being read. One line per request (method, path,
 * status, ms) goes to `log`.
 * @throws LoadError when the entry does not build or load, or does not export the handler as a
 * function; Error when the port cannot be listened on.
 * @example
 * const server = await startDevServer({ entry: "src/app.ts", port: 0 });
 * const res = await fetch(`${server.url}/items/1`);
 * await server.close();
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const log = options.log ?? ((text: string) => void process.stderr.write(text));
  const format = options.eventFormat ?? "v2";
  const host = options.host ?? "127.0.0.1";
  const timeoutMs = options.timeoutMs ?? readSettings().functionTimeout * 1000;
  const environment = createEnvironment(
    path.basename(options.entry).replace(/\.[^.]*$/, ""),
    timeoutMs,
  );
  // Stack traces point into the app's sources: the bundle carries an inline source map.
  process.setSourceMapsEnabled(true);
  // Before the app loads, as Lambda's runtime does: the app's awslambda.streamifyResponse calls
  // (the library's streaming handler makes one) mark their handlers for streaming.
  const releaseGlobal = useRuntimeGlobal();
  let loader: Loader;
  try {
    loader = await createLoader({
      entry: options.entry,
      handler: options.handler ?? "handler",
      log,
      ...(options.watch === undefined ? {} : { watch: options.watch }),
    });
  } catch (error) {
    releaseGlobal();
    throw error;
  }

  async function invoke(
    handler: DevHandler,
    request: HttpRequestData,
    method: string,
    target: string,
  ): Promise<HttpAnswer> {
    const context = createContext(environment);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    try {
      const outcome = await Promise.race([
        Promise.resolve().then(() => handler(toEvent(request, format), context)),
        timedOut,
      ]);
      if (outcome === "timeout") {
        log(
          `${context.awsRequestId} Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds (${method} ${target})\n`,
        );
        return INTERNAL_SERVER_ERROR;
      }
      return toHttpAnswer(outcome, format);
    } catch (error) {
      // Lambda reports the error; the gateway answers 502 without details.
      log(`${context.awsRequestId} Invoke Error (${method} ${target}): ${errorText(error)}\n`);
      return INTERNAL_SERVER_ERROR;
    } finally {
      clearTimeout(timer);
    }
  }

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = request.method ?? "GET";
    const target = request.url ?? "/";
    const body = await readBody(request);
    if (body === "aborted") return;
    let status: number | undefined;
    let note: string | undefined;
    const handler = loader.handler();
    if (body === "too large") {
      status = TOO_LARGE.status;
      sendAnswer(response, TOO_LARGE, true);
      // Let the client finish sending (discarded, never buffered) so it reads the 413; the
      // connection closes after the response.
      request.resume();
    } else {
      const data: HttpRequestData = {
        method,
        target,
        headers: rawHeaders(request),
        body,
        sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, "") ?? "127.0.0.1",
        port: request.socket.localPort ?? 0,
        time: Date.now(),
      };
      if (isStreamingHandler(handler)) {
        const context = createContext(environment);
        ({ status, note } = await serveStreaming(
          handler,
          toEvent(data, format),
          context,
          response,
          {
            format,
            timeoutMs,
            log,
            label: `${method} ${target}`,
          },
        ));
      } else {
        let answer = await invoke(handler, data, method, target);
        try {
          sendAnswer(response, answer);
        } catch (error) {
          // A header name or value Node refuses (a newline in it, …): the gateway would answer 502.
          log(`Cannot send the result of ${method} ${target}: ${errorText(error)}\n`);
          answer = INTERNAL_SERVER_ERROR;
          if (!response.headersSent) sendAnswer(response, answer);
        }
        status = answer.status;
      }
    }
    const ms = (performance.now() - started).toFixed(1);
    // "-" when the client left before a status was sent.
    log(`${method} ${target} ${status ?? "-"} ${ms} ms${note === undefined ? "" : ` (${note})`}\n`);
  }

  const server = createServer((request, response) => {
    serve(request, response).catch((error: unknown) => {
      log(`Dev server error on ${request.method} ${request.url}: ${errorText(error)}\n`);
      if (!response.headersSent) sendAnswer(response, INTERNAL_SERVER_ERROR, true);
      else response.destroy();
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 3000, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await loader.close();
    releaseGlobal();
    const code = (error as { code?: string }).code;
    const hint = code === "EADDRINUSE" ? "; expected a free port (--port 0 picks one)" : "";
    throw new Error(
      `Cannot listen on ${host}:${options.port ?? 3000}: ${code ?? String(error)}${hint}`,
      {
        cause: error,
      },
    );
  }
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  const { docsPaths } = await import("../openapi/index.js");
  const docs = Object.values(loader.exports())
    .map((value) => docsPaths(value))
    .find((found) => found !== undefined);
  return {
    url: `http://${shownHost}:${port}`,
    docsUrl: docs ? `http://${shownHost}:${port}${docs.page}` : undefined,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await loader.close();
      releaseGlobal();
    },
  };
}
