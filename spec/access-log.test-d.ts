// Type-level tests, compiled by tsc in `npm test`: `logger` takes a Powertools Logger of any accepted version.

import { Logger } from "@aws-lambda-powertools/logger";
// The oldest version the peer range accepts, installed under an alias (package.json).
import { Logger as OldestLogger } from "powertools-logger-oldest";
import type { AccessLogger } from "../lib/access-log.js";
import { type ApiOptions, createApi } from "../lib/index.js";

// Today's Logger and the oldest accepted one are two copies of the class, each with its own
// private fields: both must fit the option.
createApi({ logger: new Logger({ serviceName: "app" }) });
createApi({ logger: new OldestLogger({ serviceName: "app" }) });
const options: ApiOptions = { logger: new OldestLogger() };
createApi(options);

// A child logger (createChild) is a Logger too.
createApi({ logger: new OldestLogger().createChild({ serviceName: "child" }) });

// Anything with the members the access log calls fits: a test double, say.
const double: AccessLogger = {
  addContext() {},
  info() {},
  warn() {},
  error() {},
  critical() {},
};
createApi({ logger: double });

// @ts-expect-error console has no addContext nor critical: not a logger.
createApi({ logger: console });

// @ts-expect-error critical is missing: uncaught errors would have nowhere to go.
createApi({ logger: { addContext() {}, info() {}, warn() {}, error() {} } });
