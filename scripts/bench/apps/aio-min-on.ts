// aio-lambda-api, the minimal app (body checked by hand) with its default access log (Powertools Logger).

import { minimalApi } from "./aio-min.js";

/** The Lambda handler. */
export const handler = minimalApi().handler;
