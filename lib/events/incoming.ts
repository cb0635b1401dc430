// What every event kind is normalized to before routing: the seam between the event adapters and the pipeline.

import type { RequestAuth } from "../auth.js";
import type { EventKind } from "../request.js";

/** An HTTP request as every event kind is normalized to, before routing. */
export interface IncomingRequest {
  readonly kind: EventKind;
  /** Uppercase method. */
  readonly method: string;
  /** The path as the source delivered it (see `pathDecoded`), stage prefix removed. */
  readonly path: string;
  /**
   * Whether the source delivered `path` percent-decoded already, so it must never be decoded
   * again: HTTP APIs (payload 2.0 and 1.0). Absent or false: still percent-encoded.
   */
  readonly pathDecoded?: boolean;
  /** Lowercase names; repeated values joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** Decoded query: every value of every key, in order. */
  readonly query: Readonly<Record<string, readonly string[]>>;
  /** `name=value` strings of a payload 2.0 `cookies` array, when the event has one. */
  readonly cookies: readonly string[] | undefined;
  readonly body: string | undefined;
  readonly isBase64Encoded: boolean;
  /** The gateway's request id, when the event has one. */
  readonly requestId: string | undefined;
  readonly sourceIp: string | undefined;
  /** ALB in multi-value mode: the answer must use `multiValueHeaders` too. */
  readonly multiValueHeaders: boolean;
  /** Reads the authorizer's data from the event, for `request.auth`; absent for sources without one. */
  readonly auth?: () => RequestAuth | undefined;
}
