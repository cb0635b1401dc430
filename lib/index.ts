// The public entry of aio-lambda-api: named re-exports only.

export { getLogger, type LogRecord } from "./access-log.js";
export {
  type AnyResponse,
  type Api,
  type ApiOptions,
  createApi,
  type RouteFunction,
  type RouteInput,
  type RouteMethod,
  type RouteOptions,
  type RouteReturn,
} from "./api.js";
export type { IamAuth, JwtAuth, LambdaAuth, RequestAuth } from "./auth.js";
export {
  type AddedBy,
  type Answer,
  defineMiddleware,
  type Middleware,
  type MiddlewareBase,
  type MiddlewareInput,
  type Next,
  type ReservedKey,
} from "./use.js";
export type { Handler, HandlerResult } from "./dispatch.js";
export {
  HTTPException,
  type HTTPExceptionOptions,
  isHTTPException,
  UnsupportedEventError,
} from "./errors.js";
export type { FormValue } from "./form.js";
export type { ErrorClass } from "./hooks.js";
export type { ValidationIssue } from "./input.js";
export type { ProvideOptions } from "./provide.js";
export type {
  AlbEvent,
  DirectEvent,
  EventOfKind,
  FunctionUrlEvent,
  HttpApiEvent,
  HttpApiRequestContext,
  LatticeEvent,
  LatticeV1Event,
  LatticeV2Event,
  MqMessage,
  RecordOfSource,
  RestEvent,
  RestRequestContext,
  SnsRecord,
  SqsRecord,
} from "./events/shapes.js";
export type {
  EventKind,
  LambdaContext,
  LambdaRuntimeContext,
  Request,
  RequestBase,
  RequestSource,
} from "./request.js";
export {
  type CookieOptions,
  isResponse,
  JSONResponse,
  Response,
  type ResponseOptions,
  ResponseState,
} from "./response.js";
export { readSettings, type Settings, settings } from "./settings.js";
export type { AnySchema, PathParams } from "./types.js";
