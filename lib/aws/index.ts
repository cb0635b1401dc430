// AWS SDK v3 client options from settings, one keep-alive agent for all clients, and error annotation.

import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { type Settings, settings } from "../settings.js";

/**
 * Options of the SDK's Node request handler (`NodeHttpHandler`), which every client makes from
 * them: the agents are shared, the timeouts are in ms.
 */
export interface AwsRequestHandlerOptions {
  /** `CONNECTION_TIMEOUT` in ms: the longest wait for a connection. */
  readonly connectionTimeout: number;
  /** `READ_TIMEOUT` in ms: the longest wait for the answer to start. */
  readonly requestTimeout: number;
  /**
   * Makes a passed `requestTimeout` an error, not only a logged warning.
   * @default true
   */
  readonly throwOnRequestTimeout: true;
  /** `READ_TIMEOUT` in ms again: the longest silence of the socket while the answer arrives. */
  readonly socketTimeout: number;
  /** The keep-alive agent for `http:` endpoints (local doubles), `AWS_MAX_SOCKETS` sockets. */
  readonly httpAgent: HttpAgent;
  /** The keep-alive agent for AWS, `AWS_MAX_SOCKETS` sockets. */
  readonly httpsAgent: HttpsAgent;
}

/** Options for any AWS SDK v3 client, from `awsClientConfig()`. */
export interface AwsClientConfig {
  /** The request handler's options; its agents are the same for every client. */
  readonly requestHandler: AwsRequestHandlerOptions;
  /**
   * The SDK's standard retry mode: up to 3 attempts, backoff with jitter, a retry quota.
   * @default "standard"
   */
  readonly retryMode: "standard";
}

interface Agents {
  readonly httpAgent: HttpAgent;
  readonly httpsAgent: HttpsAgent;
}

const agents = new WeakMap<Settings, Agents>();

function agentsFor(source: Settings): Agents {
  let made = agents.get(source);
  if (made === undefined) {
    const options = { keepAlive: true, maxSockets: source.awsMaxSockets };
    made = { httpAgent: new HttpAgent(options), httpsAgent: new HttpsAgent(options) };
    agents.set(source, made);
  }
  return made;
}

/**
 * Options for any AWS SDK v3 client, from the settings: `CONNECTION_TIMEOUT` to connect,
 * `READ_TIMEOUT` for the answer to start and for any silence while it arrives, keep-alive
 * agents of `AWS_MAX_SOCKETS` sockets, the standard retry mode. The agents are made once per
 * settings object, so every client configured this way shares them and their open sockets.
 * Destroying such a client closes the shared sockets (they reopen on the next call): Lambda
 * functions never need to.
 * @param source the settings to follow; by default `settings()`, read once from `process.env`.
 * @returns a fresh object to pass to a client constructor or to spread into its options.
 * @example
 * import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
 * import { S3Client } from "@aws-sdk/client-s3";
 * import { awsClientConfig } from "aio-lambda-api/aws";
 *
 * const dynamo = new DynamoDBClient(awsClientConfig());
 * const s3 = new S3Client({ ...awsClientConfig(), region: "eu-west-1" });
 */
export function awsClientConfig(source: Settings = settings()): AwsClientConfig {
  const readMs = source.readTimeout * 1000;
  return {
    requestHandler: {
      connectionTimeout: source.connectionTimeout * 1000,
      requestTimeout: readMs,
      // Without it @smithy/node-http-handler 4 only logs a warning when requestTimeout passes.
      throwOnRequestTimeout: true,
      // Silence while the body streams, which botocore's read_timeout also bounded.
      socketTimeout: readMs,
      ...agentsFor(source),
    },
    retryMode: "standard",
  };
}

/** What an SDK middleware sees of the call; the SDK sets both names. */
interface CallContext {
  readonly clientName?: string;
  readonly commandName?: string;
}

type Handler = (args: unknown) => Promise<unknown>;

/**
 * Any AWS SDK v3 client: something with a middleware stack. Its `add` is typed loosely
 * because every client types its middleware with its own input and output unions.
 */
export interface AnnotatableClient {
  readonly middlewareStack: { add(middleware: never, options: never): void };
}

function annotate(error: unknown, context: CallContext): void {
  if (typeof error !== "object" || error === null) return;
  const bag = error as Record<string, unknown>;
  const service = context.clientName?.replace(/Client$/, "");
  const operation = context.commandName?.replace(/Command$/, "");
  if (bag.$service === undefined && service) bag.$service = service;
  if (bag.$operation === undefined && operation) bag.$operation = operation;
}

/**
 * Makes a client's errors say which call failed: `$service` (`"SSM"`) and `$operation`
 * (`"GetParameter"`) are set on every error it throws, from the SDK's own client and command
 * names. SDK v3 errors do not carry the operation otherwise; the 503 log of server faults
 * reads both. Adding it twice replaces the first.
 * @returns the same client.
 * @example
 * const dynamo = annotateAwsErrors(new DynamoDBClient(awsClientConfig()));
 */
export function annotateAwsErrors<C extends AnnotatableClient>(client: C): C {
  const middleware = (next: Handler, context: CallContext) => async (args: unknown) => {
    try {
      return await next(args);
    } catch (error) {
      annotate(error, context);
      throw error;
    }
  };
  const options = { step: "initialize", name: "aioLambdaApiAnnotateErrors", override: true };
  client.middlewareStack.add(middleware as never, options as never);
  return client;
}
