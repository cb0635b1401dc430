// Type-level tests, compiled by tsc in `npm test`: the handlers fit @types/aws-lambda's handler types (the published types do not need that package).

import type {
  ALBHandler,
  APIGatewayProxyHandler,
  APIGatewayProxyHandlerV2,
  Context,
  LambdaFunctionURLHandler,
  SNSEvent,
  SNSHandler,
  SQSEvent,
  SQSHandler,
} from "aws-lambda";
import { batchHandler } from "../lib/batch/index.js";
import { createApi, type HandlerResult } from "../lib/index.js";

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

const api = createApi().get("/", () => "ok");

// api.handler serves every HTTP source: each source's handler type accepts it.
export const httpApi: APIGatewayProxyHandlerV2 = api.handler;
export const rest: APIGatewayProxyHandler = api.handler;
export const alb: ALBHandler = api.handler;
export const functionUrl: LambdaFunctionURLHandler = api.handler;

// batchHandler(api) serves queues: SQS answers its failures, SNS nothing.
export const sqs: SQSHandler = batchHandler(api);
export const sns: SNSHandler = batchHandler(api);

// @ts-expect-error api.handler answers HTTP results, not an SQS batch's failures
export const wrong: SQSHandler = api.handler;

// Called with Lambda's own types, each answers its own result type.
declare const context: Context;
declare const sqsEvent: SQSEvent;
declare const snsEvent: SNSEvent;
const failures = await batchHandler(api)(sqsEvent, context);
type _sqs = Expect<Equal<typeof failures.batchItemFailures, { itemIdentifier: string }[]>>;
const nothing = await batchHandler(api)(snsEvent, context);
type _sns = Expect<Equal<typeof nothing, undefined>>;
const answer = await api.handler({}, context);
type _answer = Expect<Equal<typeof answer, HandlerResult>>;
