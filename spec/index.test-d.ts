// Type-level tests, compiled by tsc in `npm test`: the types that left the main entry are reached from their subpaths only.

import type * as batch from "../lib/batch/index.js";
import type * as fetch from "../lib/fetch/index.js";
import type * as main from "../lib/index.js";
import type * as openapi from "../lib/openapi/index.js";
import type * as streaming from "../lib/streaming/index.js";
import type * as testing from "../lib/testing/index.js";

// @ts-expect-error moved to aio-lambda-api/batch
type _mainBatchFailure = main.BatchFailure;
// @ts-expect-error moved to aio-lambda-api/batch
type _mainBatchFailureError = main.BatchFailureError;
// @ts-expect-error moved to aio-lambda-api/batch
type _mainSqsBatchResponse = main.SqsBatchResponse;
// @ts-expect-error moved to aio-lambda-api/fetch
type _mainFetchHandler = main.FetchHandler;
// @ts-expect-error moved to aio-lambda-api/testing
type _mainInjectRequest = main.InjectRequest;
// @ts-expect-error moved to aio-lambda-api/testing
type _mainInjectResult = main.InjectResult;
// @ts-expect-error moved to aio-lambda-api/openapi
type _mainDocsOptions = main.DocsOptions;
// @ts-expect-error moved to aio-lambda-api/streaming
type _mainResponseStream = main.ResponseStream;
// @ts-expect-error moved to aio-lambda-api/streaming
type _mainStreamingHandler = main.StreamingHandler;
// @ts-expect-error moved to aio-lambda-api/streaming
type _mainStreamingResponse = main.StreamingResponse;
// @ts-expect-error moved to aio-lambda-api/streaming
type _mainStreamSource = main.StreamSource;

type _batchFailure = batch.BatchFailure;
type _batchFailureError = batch.BatchFailureError;
type _sqsBatchResponse = batch.SqsBatchResponse;
type _fetchHandler = fetch.FetchHandler;
type _injectRequest = testing.InjectRequest;
type _injectResult = testing.InjectResult;
type _docsOptions = openapi.DocsOptions;
type _responseStream = streaming.ResponseStream;
type _streamingHandler = streaming.StreamingHandler;
type _streamingResponse = streaming.StreamingResponse;
type _streamSource = streaming.StreamSource;
// What api.handler resolves to is an HTTP result: never a batch's answer, never undefined.
const _httpOnly: main.HandlerResult extends { statusCode: number } ? true : false = true;
void _httpOnly;
