// The Lambda context: as the handler accepts it (a test may pass part of it) and as the runtime passes it, complete.

/**
 * A Lambda context as the library reads it: what the handler accepts (a test may pass only some
 * of it). The runtime's context, {@link LambdaRuntimeContext}, has every member.
 */
export interface LambdaContext {
  readonly awsRequestId?: string;
  readonly functionName?: string;
  readonly functionVersion?: string;
  readonly invokedFunctionArn?: string;
  readonly memoryLimitInMB?: string | number;
  readonly logGroupName?: string;
  readonly logStreamName?: string;
  getRemainingTimeInMillis?(): number;
}

/**
 * The context Lambda's Node.js runtime passes to a handler, as `request.context` types it:
 * every member the runtime sets (`identity`, `clientContext` and `tenantId` only for invocations
 * that carry them). Structurally like @types/aws-lambda's `Context` without its deprecated
 * `done`, `fail` and `succeed`, which a streaming invocation's context lacks.
 */
export interface LambdaRuntimeContext {
  readonly awsRequestId: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  /** The memory size, as the runtime gives it: a string of a number (`"1024"`). */
  readonly memoryLimitInMB: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** Set it to false to answer without waiting for timers and sockets left open. */
  callbackWaitsForEmptyEventLoop: boolean;
  /** The Cognito identity of an invocation through the AWS Mobile SDK. */
  readonly identity?:
    | { readonly cognitoIdentityId: string; readonly cognitoIdentityPoolId: string }
    | undefined;
  /** The client context of an invocation through the AWS Mobile SDK. */
  readonly clientContext?:
    | { readonly client: object; readonly env: object; readonly Custom?: unknown }
    | undefined;
  /** The tenant of a function with tenant isolation. */
  readonly tenantId?: string | undefined;
  /** Milliseconds left before the invocation times out. */
  getRemainingTimeInMillis(): number;
}
