// aio-lambda-api with its access log off.

import { itemsApi } from "./aio-app.js";

/** The Lambda handler. */
export const handler = itemsApi({ accessLog: false }).handler;
