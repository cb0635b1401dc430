// aio-lambda-api/middleware: the built-in middleware, apart from the core so `import "aio-lambda-api"` never loads them.

export { type CompressOptions, compress, type Encoding } from "./compress.js";
export { type CorsOptions, type CorsOrigin, cors } from "./cors.js";
export { type EtagOptions, etag } from "./etag.js";
