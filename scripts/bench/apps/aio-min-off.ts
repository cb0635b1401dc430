// aio-lambda-api, the minimal app (body checked by hand) with its access log off.

import { minimalApi } from "./aio-min.js";

/** The Lambda handler. */
export const handler = minimalApi({ accessLog: false }).handler;
