// aio-lambda-api/forms: multipart/form-data bodies, fields and web Files, for the Apis that accept them.

import { type FormLimits, type MultipartParser, parseMultipart } from "../form.js";
import { describeValue } from "../util/describe.js";

export type { FormLimits, FormValue, MultipartParser } from "../form.js";

const LIMITS = ["maxParts", "maxFieldBytes", "maxFileBytes"];

/**
 * The multipart/form-data parser an Api uses when given as `createApi({ multipart })`: every
 * value of every name in body order, fields as UTF-8 text, files as web Files with their exact
 * bytes. A body past a limit is answered 413 naming it; a malformed one 400. Without it, an Api
 * answers a multipart body to a body schema 415 (urlencoded forms need nothing).
 * @throws TypeError for an unknown limit; RangeError for a limit that is not a positive whole number.
 * @example
 * import { multipart } from "aio-lambda-api/forms";
 * const api = createApi({ multipart: multipart({ maxFileBytes: 5 * 1024 * 1024 }) });
 */
export function multipart(limits: FormLimits = {}): MultipartParser {
  for (const [key, value] of Object.entries(limits)) {
    if (!LIMITS.includes(key)) {
      throw new TypeError(
        `multipart: ${key} is not a limit; expected maxParts, maxFieldBytes or maxFileBytes`,
      );
    }
    if (!(Number.isInteger(value) && value > 0)) {
      throw new RangeError(
        `multipart: ${key} must be a positive whole number, got ${describeValue(value)}`,
      );
    }
  }
  const frozen = Object.freeze({ ...limits });
  return (bytes, contentType) => parseMultipart(bytes, contentType, frozen);
}
