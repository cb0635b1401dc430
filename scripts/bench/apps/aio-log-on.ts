// aio-lambda-api with its access log on (the default Powertools Logger), as deployed by default.

import { itemsApi } from "./aio-app.js";

/** The Lambda handler. */
export const handler = itemsApi().handler;
