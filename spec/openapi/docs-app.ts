// The example app with its docs, Swagger UI's files served by the app itself: the browser test's entry.

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { api as example } from "../../examples/app.js";
import { HTTPException, Response } from "../../lib/index.js";
import { withDocs } from "../../lib/openapi/index.js";

/** The folder of swagger-ui-dist, found from this module (or from its dev-server bundle). */
const dist = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

/** The only files served, with their media types: nothing else of the disk is reachable. */
const FILES: Readonly<Record<string, string>> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

export const api = withDocs(
  example.get(
    "/docs-assets/{file}",
    async ({ params }) => {
      const mediaType = Object.hasOwn(FILES, params.file) ? FILES[params.file] : undefined;
      if (mediaType === undefined) throw new HTTPException(404);
      return new Response(await readFile(path.join(dist, params.file), "utf8"), { mediaType });
    },
    { hidden: true },
  ),
  { title: "Example API", version: "1.0.0", assetsUrl: "/docs-assets" },
);

export const handler = api.handler;
