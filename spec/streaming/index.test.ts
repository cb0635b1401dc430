// Pins the exports of aio-lambda-api/streaming, and what streamingHandler does when it is not given an Api.

import { describe } from "node:test";
import * as streamingModule from "../../lib/streaming/index.js";
import { streamingHandler } from "../../lib/streaming/index.js";
import { pinsSubpath, refusesNonApis } from "../helpers/subpath.js";

pinsSubpath("streaming", streamingModule, [
  "ClientGoneError",
  "StreamingResponse",
  "streamingHandler",
]);

describe("streamingHandler given something that is not an Api", () => {
  refusesNonApis("streamingHandler", (value) => streamingHandler(value));
});
