// Type-level tests, compiled by tsc in `npm test`: batchHandler's toRequest and injectBatch's records.

import { batchHandler, type MessageRequest } from "../../lib/batch/index.js";
import { createApi } from "../../lib/index.js";
import { injectBatch } from "../../lib/testing/index.js";

const api = createApi().post("/orders", ({ body }) => body);

batchHandler(api, { toRequest: (message) => ({ method: "POST", path: "/orders", body: message }) });
batchHandler(api, {
  toRequest: async (message, record) => ({ path: "/orders", body: { message, record } }),
});
// Returning nothing is allowed: that record fails.
batchHandler(api, { toRequest: () => undefined });
const described: MessageRequest = { path: "/orders" };
void described;

// @ts-expect-error a request needs a path
batchHandler(api, { toRequest: () => ({ method: "POST" }) });
// @ts-expect-error the path is a string
batchHandler(api, { toRequest: () => ({ path: 1 }) });

const handler = batchHandler(api, { concurrency: 2 });
injectBatch(handler, {
  source: "sqs",
  records: [{ path: "/orders", body: {} }, { message: "text" }],
});
injectBatch(handler, { source: "sqs", fifo: true, records: [] });
// @ts-expect-error not a batch source
injectBatch(handler, { source: "kinesis", records: [] });
