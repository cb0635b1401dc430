// The Lambda context the dev server passes to the handler: names, ids and a deadline like Lambda's.

import { randomBytes, randomUUID } from "node:crypto";
import type { LambdaRuntimeContext } from "../request.js";

/**
 * What stays the same across the invocations of one execution environment: the context's names
 * (`logStreamName` is `2026/11/25/[$LATEST]<32 hex>`, one per environment, as Lambda names them)
 * and the function timeout in ms.
 */
export interface ExecutionEnvironment
  extends Pick<
    LambdaRuntimeContext,
    | "functionName"
    | "functionVersion"
    | "invokedFunctionArn"
    | "memoryLimitInMB"
    | "logGroupName"
    | "logStreamName"
  > {
  readonly timeoutMs: number;
}

/**
 * An execution environment for the dev server. Names come from the `AWS_LAMBDA_*` and
 * `AWS_REGION` variables when they are set, else from `name`.
 * @param timeoutMs the function timeout the remaining time counts down from.
 */
export function createEnvironment(
  name: string,
  timeoutMs: number,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ExecutionEnvironment {
  const functionName = env.AWS_LAMBDA_FUNCTION_NAME ?? name;
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  const functionVersion = env.AWS_LAMBDA_FUNCTION_VERSION ?? "$LATEST";
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, "/");
  return Object.freeze({
    functionName,
    functionVersion,
    invokedFunctionArn: `arn:aws:lambda:${region}:123456789012:function:${functionName}`,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? "1024",
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? `/aws/lambda/${functionName}`,
    logStreamName:
      env.AWS_LAMBDA_LOG_STREAM_NAME ??
      `${day}/[${functionVersion}]${randomBytes(16).toString("hex")}`,
    timeoutMs,
  });
}

/**
 * The context of one invocation starting now: a new `awsRequestId` and a deadline
 * `environment.timeoutMs` away.
 */
export function createContext(
  environment: ExecutionEnvironment,
  now: () => number = Date.now,
): LambdaRuntimeContext {
  const deadline = now() + environment.timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: environment.functionName,
    functionVersion: environment.functionVersion,
    invokedFunctionArn: environment.invokedFunctionArn,
    memoryLimitInMB: environment.memoryLimitInMB,
    awsRequestId: randomUUID(),
    logGroupName: environment.logGroupName,
    logStreamName: environment.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
  };
}
