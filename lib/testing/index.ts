// aio-lambda-api/testing: run requests through an Api without AWS, in users' own tests.

export { type InjectRequest, type InjectResult, inject } from "../inject.js";
export { type BaseRouteInput, type FullRouteInput, routeInput } from "./route-input.js";
export {
  type CallParts,
  type CallRequest,
  type CallResult,
  type RouteKey,
  type RouteMethodName,
  call,
} from "./call.js";
export {
  type AnyBatchHandler,
  type BatchEntry,
  type InjectBatch,
  type InjectBatchResult,
  injectBatch,
} from "./inject-batch.js";
