// What the minimal app (two routes, no schemas, access log off) does not use, by metafile input: the one list the budget and the bench check.
//
// Edit the patterns here when a feature's files move or are renamed: every pattern is tried
// against each input path of esbuild's metafile (`node_modules/ajv/dist/ajv.js`,
// `lib/openapi/document.ts`), so a folder pattern catches every file in it.

/** One thing the minimal app must not carry, and the input paths that are it. */
export interface Unused {
  /** What it is, as the failure names it: `ajv`, `openapi (lib/openapi/)`. */
  readonly name: string;
  /** Matches the metafile input paths that belong to it. */
  readonly pattern: RegExp;
}

/** A package's files anywhere under node_modules. */
const pkg = (name: string): Unused => ({
  name,
  pattern: new RegExp(`(^|/)node_modules/${name.replace(/[/.]/g, "\\$&")}/`),
});

/** Packages and lib/ features a minimal app must not carry, whichever bundler made it. */
export const UNUSED_BY_MINIMAL_APP: readonly Unused[] = [
  pkg("ajv"),
  pkg("ajv-formats"),
  pkg("fast-json-stringify"),
  pkg("fast-uri"),
  pkg("@valibot/to-json-schema"),
  { name: "openapi (lib/openapi/)", pattern: /(^|\/)lib\/openapi\// },
  { name: "streaming (lib/streaming/)", pattern: /(^|\/)lib\/streaming\// },
  { name: "forms (lib/form*, lib/forms/)", pattern: /(^|\/)lib\/(forms?\/|form[^/]*\.ts$)/ },
  { name: "batches (lib/batch/)", pattern: /(^|\/)lib\/batch(es)?(\/|\.ts$)/ },
  { name: "middleware (lib/middleware/)", pattern: /(^|\/)lib\/middleware\// },
  { name: "test client (lib/inject*)", pattern: /(^|\/)lib\/inject[^/]*(\/|\.ts$)/ },
  {
    name: "fetch (lib/events/web.ts, lib/fetch*)",
    pattern: /(^|\/)lib\/(events\/web\.ts$|fetch[^/]*(\/|\.ts$))/,
  },
];

/** The metafile inputs that are unused by the minimal app, by what they are, with their bytes. */
export function unusedInputs(
  inputs: readonly { readonly path: string; readonly bytes: number }[],
): { name: string; files: { path: string; bytes: number }[] }[] {
  const found: { name: string; files: { path: string; bytes: number }[] }[] = [];
  for (const unused of UNUSED_BY_MINIMAL_APP) {
    const files = inputs.filter((i) => unused.pattern.test(i.path) && i.bytes > 0);
    if (files.length > 0) found.push({ name: unused.name, files: files.map((f) => ({ ...f })) });
  }
  return found;
}

/** The metafile inputs that are Powertools Logger's own code and the packages it brings. */
export const POWERTOOLS =
  /(^|\/)node_modules\/(@aws-lambda-powertools\/|@aws\/lambda-invoke-store\/)/;

/** The packages `POWERTOOLS` matches, as esbuild `external` patterns. */
export const POWERTOOLS_EXTERNAL = ["@aws-lambda-powertools/*", "@aws/lambda-invoke-store"];
