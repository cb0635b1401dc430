// The shapes of events and batch records as `request.event` and `request.record` type them (the fields AWS sends, the rest unknown), by kind and source.

import type { BatchKind } from "./detect.js";
import type { LambdaRuntimeContext } from "../lambda-context.js";
import type { EventKind } from "../request.js";

/** String values by name, as a gateway sends headers, query or path parameters. */
export type StringMap = Readonly<Record<string, string | undefined>>;

/** Every value by name, as the multi-value fields of REST and ALB events carry them. */
export type MultiStringMap = Readonly<Record<string, readonly string[] | undefined>>;

/** An event field AWS sends that the library does not type: read it and check it. */
interface Open {
  readonly [field: string]: unknown;
}

/** `requestContext` of an API Gateway REST API (payload 1.0) event. */
export interface RestRequestContext extends Open {
  readonly accountId: string;
  readonly apiId: string;
  readonly stage: string;
  readonly requestId: string;
  readonly httpMethod: string;
  readonly path: string;
  readonly resourcePath: string;
  readonly domainName?: string;
  readonly requestTimeEpoch?: number;
  readonly identity: Readonly<Record<string, unknown>> & { readonly sourceIp?: string };
  /** What the authorizer returned (Cognito `claims`, a Lambda authorizer's context); see `request.auth`. */
  readonly authorizer?: Readonly<Record<string, unknown>> | null;
}

/** An API Gateway REST API event (Lambda proxy integration, payload 1.0). */
export interface RestEvent extends Open {
  readonly resource: string;
  readonly path: string;
  readonly httpMethod: string;
  readonly headers: StringMap | null;
  readonly multiValueHeaders: MultiStringMap | null;
  readonly queryStringParameters: StringMap | null;
  readonly multiValueQueryStringParameters: MultiStringMap | null;
  readonly pathParameters: StringMap | null;
  readonly stageVariables: StringMap | null;
  readonly requestContext: RestRequestContext;
  readonly body: string | null;
  readonly isBase64Encoded: boolean;
}

/** `requestContext` of an HTTP API payload 2.0 or Function URL event. */
export interface HttpApiRequestContext extends Open {
  readonly accountId: string;
  readonly apiId: string;
  readonly domainName: string;
  readonly requestId: string;
  readonly routeKey: string;
  readonly stage: string;
  readonly timeEpoch: number;
  readonly http: {
    readonly method: string;
    readonly path: string;
    readonly protocol: string;
    readonly sourceIp: string;
    readonly userAgent: string;
  };
  /** JWT claims and scopes, a Lambda authorizer's context or IAM identity; see `request.auth`. */
  readonly authorizer?: Readonly<Record<string, unknown>>;
}

/** An HTTP API payload 2.0 event. */
export interface HttpApiEvent extends Open {
  readonly version: string;
  readonly routeKey: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly cookies?: readonly string[];
  readonly headers: StringMap;
  readonly queryStringParameters?: StringMap;
  readonly pathParameters?: StringMap;
  readonly stageVariables?: StringMap;
  readonly requestContext: HttpApiRequestContext;
  readonly body?: string;
  readonly isBase64Encoded: boolean;
}

/** A Lambda Function URL event: payload 2.0, on a `*.lambda-url.*` domain. */
export type FunctionUrlEvent = HttpApiEvent;

/** An Application Load Balancer event; `multiValueHeaders` and its query twin in multi-value mode. */
export interface AlbEvent extends Open {
  readonly requestContext: { readonly elb: { readonly targetGroupArn: string } };
  readonly httpMethod: string;
  readonly path: string;
  readonly headers?: StringMap;
  readonly multiValueHeaders?: MultiStringMap;
  readonly queryStringParameters?: StringMap;
  readonly multiValueQueryStringParameters?: MultiStringMap;
  readonly body: string;
  readonly isBase64Encoded: boolean;
}

/**
 * A direct invocation: an API Gateway-format request without `requestContext`, or, for a queue
 * message mapped by `toRequest`, what `toRequest` returned.
 */
export interface DirectEvent extends Open {
  readonly httpMethod?: string;
  readonly path?: string;
}

/** A VPC Lattice event: v2 (`version: "2.0"`, values as arrays) or v1 (`raw_path`). */
export type LatticeEvent = LatticeV2Event | LatticeV1Event;

/** A VPC Lattice v2 event. */
export interface LatticeV2Event extends Open {
  readonly version: string;
  readonly path: string;
  readonly method: string;
  readonly headers: MultiStringMap;
  readonly queryStringParameters?: MultiStringMap;
  readonly body?: string;
  readonly isBase64Encoded: boolean;
  readonly requestContext: Readonly<Record<string, unknown>> & {
    readonly serviceNetworkArn: string;
    readonly serviceArn: string;
    readonly targetGroupArn: string;
    readonly region: string;
    readonly timeEpoch: string;
  };
}

/** A VPC Lattice v1 event. */
export interface LatticeV1Event extends Open {
  readonly raw_path: string;
  readonly method: string;
  readonly headers: StringMap;
  readonly query_string_parameters?: StringMap;
  readonly body?: string;
  readonly is_base64_encoded?: boolean;
}

/** An SQS record: the request is its `body`. */
export interface SqsRecord extends Open {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string | undefined>>;
  readonly messageAttributes: Readonly<Record<string, unknown>>;
  readonly md5OfBody: string;
  readonly eventSource: string;
  readonly eventSourceARN: string;
  readonly awsRegion: string;
}

/** An SNS record: the request is its `Sns.Message`. */
export interface SnsRecord extends Open {
  readonly EventSource: string;
  readonly EventVersion: string;
  readonly EventSubscriptionArn: string;
  readonly Sns: Readonly<Record<string, unknown>> & {
    readonly MessageId: string;
    readonly TopicArn: string;
    readonly Message: string;
    readonly Timestamp: string;
    readonly Subject?: string | null;
    readonly MessageAttributes?: Readonly<Record<string, unknown>>;
  };
}

/**
 * An Amazon MQ message: the request is its `data` (base64). ActiveMQ names it by `messageID`,
 * RabbitMQ by `basicProperties.messageId`.
 */
export interface MqMessage extends Open {
  readonly data: string;
  readonly messageID?: string;
  readonly basicProperties?: Readonly<Record<string, unknown>>;
}

/** `request.event` of each `request.kind`. */
export interface EventOfKind {
  rest: RestEvent;
  "http-api": HttpApiEvent;
  "function-url": FunctionUrlEvent;
  alb: AlbEvent;
  direct: DirectEvent;
  lattice: LatticeEvent;
  web: globalThis.Request;
}

/** `request.record` of each batch `request.source`. */
export interface RecordOfSource {
  sqs: SqsRecord;
  sns: SnsRecord;
  mq: MqMessage;
}

/** The kinds a batch record's request can be: any but `web`. */
type RecordKind = Exclude<EventKind, "web">;

/** A request that came as an event of its own: no record; `source` is `lattice` for Lattice. */
type DirectRequest = {
  [K in EventKind]: {
    readonly kind: K;
    readonly source: K extends "lattice" ? "lattice" : "http";
    readonly event: EventOfKind[K];
    readonly record: undefined;
    // A web Request under fetchHandler is no Lambda invocation.
    readonly context: K extends "web" ? undefined : LambdaRuntimeContext | undefined;
  };
}[EventKind];

/** A request inside a batch record: `record` typed by `source`, `event` by `kind`. */
type RecordRequest = {
  [S in BatchKind]: {
    [K in RecordKind]: {
      readonly kind: K;
      readonly source: S;
      readonly event: EventOfKind[K];
      readonly record: RecordOfSource[S];
    };
  }[RecordKind];
}[BatchKind];

/**
 * The members of a request that follow its kind and source: `event` by `kind`, `record` by
 * `source`, `context` undefined for `web`.
 */
export type RequestOrigin = DirectRequest | RecordRequest;
