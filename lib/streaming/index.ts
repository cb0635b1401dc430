// aio-lambda-api/streaming: answers sent chunk by chunk, through Lambda response streaming or a web Response.

export type { ResponseStream, StreamingHandler } from "../response-stream.js";
export { ClientGoneError, StreamingResponse, type StreamSource } from "../stream.js";
export { streamingHandler } from "./handler.js";
