// Type-level tests, compiled by tsc in `npm test`: StreamingResponse sources and returns, file bodies, the streaming and fetch entry points.

import { Readable } from "node:stream";
import * as v from "valibot";
import { type FetchHandler, fetchHandler } from "../../lib/fetch/index.js";
import { createApi } from "../../lib/index.js";
import {
  type ResponseStream,
  type StreamingHandler,
  StreamingResponse,
  streamingHandler,
} from "../../lib/streaming/index.js";

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

const Item = v.object({ name: v.string() });

async function* lines() {
  yield "a\n";
  yield new Uint8Array([98]);
}

// Every kind of source is accepted; a number is not.
new StreamingResponse(lines());
new StreamingResponse(["a", new Uint8Array(1)]);
new StreamingResponse(Readable.from(["a"]));
new StreamingResponse(new ReadableStream<Uint8Array>());
// @ts-expect-error a number is not a source of chunks
new StreamingResponse(42);

const api = createApi()
  // A route with a response schema may still answer with a StreamingResponse.
  .get("/export", () => new StreamingResponse(lines(), { mediaType: "text/csv" }), {
    response: Item,
  })
  // A multipart body's schema types files as File and repeated fields as arrays.
  .post(
    "/upload",
    ({ body }) => {
      type _body = Expect<Equal<typeof body, { title: string; tags: string[]; photo: File }>>;
      return { size: body.photo.size };
    },
    { body: v.object({ title: v.string(), tags: v.array(v.string()), photo: v.instance(File) }) },
  );

// The entry points have their platforms' signatures.
const streaming = streamingHandler(api);
const fetch = fetchHandler(api, { maxBodyBytes: 1024 });
type _streaming = Expect<Equal<typeof streaming, StreamingHandler>>;
type _fetch = Expect<Equal<typeof fetch, FetchHandler>>;
type _fetchShape = Expect<Equal<Parameters<FetchHandler>, [request: Request]>>;
const bunLike: { fetch: (request: Request) => Promise<Response> } = { fetch };
void bunLike;
declare const stream: ResponseStream;
void streaming({}, stream);
// @ts-expect-error maxBodyBytes is a number of bytes
fetchHandler(api, { maxBodyBytes: "1mb" });
