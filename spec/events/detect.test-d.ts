// Type-level tests, compiled by tsc in `npm test`: the event-kind types derived from EVENT_KINDS keep their documented values.

import type { BatchSource } from "../../lib/batch/index.js";
import type { BatchKind, EventType, HttpKind } from "../../lib/events/detect.js";
import type { EventKind, RequestSource } from "../../lib/index.js";

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

// request.kind and request.source, as docs/guide.md lists them.
type _kind = Expect<
  Equal<EventKind, "rest" | "http-api" | "function-url" | "alb" | "direct" | "lattice" | "web">
>;
type _source = Expect<Equal<RequestSource, "http" | "sqs" | "sns" | "mq" | "lattice">>;
type _batch = Expect<Equal<BatchSource, "sqs" | "sns" | "mq">>;
type _batchKind = Expect<Equal<BatchKind, BatchSource>>;
type _http = Expect<
  Equal<
    HttpKind,
    "rest" | "http-api" | "function-url" | "alb" | "direct" | "lattice-v1" | "lattice-v2"
  >
>;
type _every = Expect<Equal<EventType, HttpKind | BatchKind>>;
