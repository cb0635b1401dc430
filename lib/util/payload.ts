// Lambda's 6 MB response payload limit: whether a reply, once shaped as a result, would exceed it.

import type { Reply } from "../reply.js";

/** Lambda's limit on a synchronous invocation's response payload, in bytes (6 MB). */
export const PAYLOAD_LIMIT = 6 * 1024 * 1024;

/** Room for what a result adds around the body and headers: keys, status, base64 flag, cookies. */
const OVERHEAD = 1024;

/**
 * The size in bytes of the result a reply becomes, when that size is over Lambda's 6 MB limit;
 * undefined when it fits. Cheap for ordinary replies: JSON escaping grows a string by at most 6
 * bytes a character, so only a reply that could come near the limit is measured exactly.
 */
export function sizeIfOverLimit(reply: Reply): number | undefined {
  const body = reply.body;
  let headerChars = 0;
  for (const name in reply.headers) {
    const value = reply.headers[name]!;
    headerChars += name.length + 6;
    if (typeof value === "string") headerChars += value.length;
    else for (const one of value) headerChars += one.length + 3;
  }
  const bodyChars =
    body === undefined ? 0 : typeof body === "string" ? body.length : body.byteLength * 2;
  if ((bodyChars + headerChars) * 6 + OVERHEAD <= PAYLOAD_LIMIT) return undefined;
  const bodyBytes =
    body === undefined
      ? 0
      : typeof body === "string"
        ? Buffer.byteLength(JSON.stringify(body))
        : Math.ceil(body.byteLength / 3) * 4 + 2;
  const size = bodyBytes + Buffer.byteLength(JSON.stringify(reply.headers)) + OVERHEAD;
  return size > PAYLOAD_LIMIT ? size : undefined;
}
