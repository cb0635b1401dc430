// The JSON Schemas of the answers the library itself sends on errors: 422 issues and `{"detail": ...}`.

import { componentRef } from "./refs.js";
import type { JsonSchema } from "./schemas.js";

/** One entry of a 422 answer's `detail`. */
export const VALIDATION_ERROR: JsonSchema = {
  type: "object",
  title: "ValidationError",
  properties: {
    loc: {
      type: "array",
      title: "Location",
      description: 'Where: "body", "query", "path" or "header", then keys and indexes.',
      items: { anyOf: [{ type: "string" }, { type: "integer" }] },
    },
    msg: { type: "string", title: "Message" },
    type: { type: "string", title: "Error Type" },
  },
  required: ["loc", "msg", "type"],
};

/** A 422 answer. */
export const HTTP_VALIDATION_ERROR: JsonSchema = {
  type: "object",
  title: "HTTPValidationError",
  properties: {
    detail: { type: "array", title: "Detail", items: { $ref: componentRef("ValidationError") } },
  },
  required: ["detail"],
};

/** Any other error answer: `{"detail": ...}`. */
export const HTTP_ERROR: JsonSchema = {
  type: "object",
  title: "HTTPError",
  properties: {
    detail: {
      type: "string",
      title: "Detail",
      description: "What went wrong: the HTTPException's detail, else the status's reason phrase.",
    },
  },
  required: ["detail"],
};
