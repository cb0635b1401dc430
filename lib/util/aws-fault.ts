// Recognizes AWS SDK v3 service errors whose fault is on AWS's side, by shape alone (no SDK import).

/** What the access log records about an AWS server-side fault. */
export interface AwsFault {
  /**
   * The service, when the error tells: `$service` (set by `annotateAwsErrors` from
   * `aio-lambda-api/aws`), else the SDK's `<Service>ServiceException` class name
   * (`"SSM"`, `"DynamoDB"`), else the namespace of the error's Smithy shape id (`"ssm"`).
   */
  service?: string;
  /** The operation (`"GetParameter"`), only when the error carries `$operation`. */
  operation?: string;
  /** AWS's request id, from `$metadata.requestId`. */
  requestId?: string;
  /** The error's name, e.g. `"InternalServerError"`, `"ThrottlingException"`. */
  name: string;
  /** The HTTP status AWS answered with, from `$metadata.httpStatusCode`. */
  status?: number;
}

// Error codes the SDK's retry strategies treat as throttling (@smithy/core retry
// THROTTLING_ERROR_CODES); several services model them as client faults with status 400.
const throttlingNames: ReadonlySet<string> = new Set([
  "BandwidthLimitExceeded",
  "EC2ThrottledException",
  "LimitExceededException",
  "PriorRequestNotComplete",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "ThrottledException",
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "TransactionInProgressException",
]);

type Bag = Readonly<Record<string, unknown>>;

function isBag(value: unknown): value is Bag {
  return typeof value === "object" && value !== null;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function serviceOf(error: Bag): string | undefined {
  const explicit = text(error.$service);
  if (explicit) return explicit;
  let shapeId: string | undefined;
  for (let proto: unknown = Object.getPrototypeOf(error); isBag(proto); ) {
    const ctor = (proto as { constructor?: unknown }).constructor;
    if (typeof ctor === "function") {
      const match = /^(\w+)ServiceException$/.exec(ctor.name);
      if (match?.[1]) return match[1];
      shapeId ??= text((ctor as { shapeId?: unknown }).shapeId);
    }
    proto = Object.getPrototypeOf(proto);
  }
  // "com.amazonaws.ssm#ParameterNotFound" → "ssm": still there when a minifier renamed the classes.
  const namespace = shapeId?.split("#")[0];
  return text(namespace?.slice(namespace.lastIndexOf(".") + 1));
}

/**
 * Tells whether an error is an AWS SDK v3 service error whose fault is on the server side:
 * `$fault: "server"`, an HTTP status of 500 or more, or throttling (a throttling error
 * name or `$retryable.throttling`). Client faults (AccessDenied, validation, not found),
 * network errors and anything that is not an SDK service error give `undefined`.
 * Duck-typed, so it works whatever copy of the SDK threw.
 * @param error anything caught.
 * @returns the fields to log, or `undefined` when the error is not an AWS server fault.
 * @example
 * const fault = awsServerFault(error);
 * if (fault) return reply(503, { detail: "Service Unavailable" });
 */
export function awsServerFault(error: unknown): AwsFault | undefined {
  if (!isBag(error)) return undefined;
  const { $fault, $metadata, $retryable } = error;
  // The SDK's own test (ServiceException.isInstance): a fault side and response metadata.
  if (($fault !== "client" && $fault !== "server") || !isBag($metadata)) return undefined;
  const name = text(error.name) ?? "Error";
  const status =
    typeof $metadata.httpStatusCode === "number" ? $metadata.httpStatusCode : undefined;
  const throttled =
    throttlingNames.has(name) || (isBag($retryable) && $retryable.throttling === true);
  if ($fault !== "server" && !(status !== undefined && status >= 500) && !throttled) {
    return undefined;
  }
  const fault: AwsFault = { name };
  const service = serviceOf(error);
  const operation = text(error.$operation);
  const requestId = text($metadata.requestId);
  if (service !== undefined) fault.service = service;
  if (operation !== undefined) fault.operation = operation;
  if (requestId !== undefined) fault.requestId = requestId;
  if (status !== undefined) fault.status = status;
  return fault;
}
