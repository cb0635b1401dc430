// aio-lambda-api/streaming: answers sent chunk by chunk, through Lambda response streaming or a web Response.

export type { ResponseStream, StreamingHandler } from "./lambda.js";
export { ClientGoneError, StreamingResponse, type StreamSource } from "./response.js";
export { streamingHandler } from "./handler.js";
