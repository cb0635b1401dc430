// The docs page: an HTML shell that loads Swagger UI or Scalar and points it at the document.

/** The explorers `withDocs` can serve. */
export type DocsUi = "swagger" | "scalar";

/** The swagger-ui-dist release the default CDN URL names (the one the browser test runs). */
export const SWAGGER_UI_VERSION = "5.35.0";
/** The @scalar/api-reference release the default CDN URL names. */
export const SCALAR_VERSION = "1.72.1";

/**
 * Where each explorer's files are by default: a folder URL; the page loads `swagger-ui.css` and
 * `swagger-ui-bundle.js` (Swagger UI) or `standalone.js` (Scalar) from it.
 */
export const DEFAULT_ASSETS: Readonly<Record<DocsUi, string>> = {
  swagger: `https://cdn.jsdelivr.net/npm/swagger-ui-dist@${SWAGGER_UI_VERSION}`,
  scalar: `https://cdn.jsdelivr.net/npm/@scalar/api-reference@${SCALAR_VERSION}/dist/browser`,
};

/** What the page needs to know. */
export interface PageOptions {
  readonly ui: DocsUi;
  /** The page's `<title>`. */
  readonly title: string;
  /** The route of the page itself (`/docs`). */
  readonly path: string;
  /** The route of the JSON document (`/openapi.json`). */
  readonly specPath: string;
  /** The folder URL of the explorer's files. */
  readonly assetsUrl: string;
  /** Whether the document names its servers (else the page tells Scalar where the API is). */
  readonly hasServers: boolean;
  /** Whether the files are self-hosted: then Scalar loads no fonts from its own site either. */
  readonly selfHosted: boolean;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** A value as a JavaScript literal that is safe inside `<script>`. */
function scriptValue(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Removes trailing slashes: `"/"` becomes `""`, so prefixes join without doubling them. */
function trimSlash(path: string): string {
  return path.replace(/\/+$/, "");
}

/**
 * The page. Its script works out the prefix the page is served under (an API Gateway stage,
 * a custom-domain base path) from its own URL, and fetches the document and root-relative
 * assets under the same prefix, so one page works on every stage and on the dev server.
 */
export function docsPage(options: PageOptions): string {
  const swagger = options.ui === "swagger";
  const files = swagger ? ["swagger-ui.css", "swagger-ui-bundle.js"] : ["", "standalone.js"];
  const start = swagger
    ? `window.ui = SwaggerUIBundle({ url: spec, dom_id: "#docs", deepLinking: true, persistAuthorization: true, presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout" });`
    : `Scalar.createApiReference("#docs", Object.assign({ url: spec, withDefaultFonts: !config.selfHosted }, config.hasServers ? {} : { servers: [{ url: location.origin + base }] }));`;
  const config = {
    path: trimSlash(options.path),
    specPath: options.specPath,
    assets: trimSlash(options.assetsUrl),
    css: files[0],
    js: files[1],
    hasServers: options.hasServers,
    selfHosted: options.selfHosted,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>body { margin: 0; } #docs-error { font: 16px sans-serif; margin: 2rem; color: #b00020; }</style>
</head>
<body>
<noscript>This page needs JavaScript. The OpenAPI document is at ${escapeHtml(options.specPath)}.</noscript>
<div id="docs"></div>
<script>
(() => {
  const config = ${scriptValue(config)};
  const here = location.pathname.replace(/\\/+$/, "");
  const base = here.endsWith(config.path) ? here.slice(0, here.length - config.path.length) : "";
  const spec = base + config.specPath;
  const assets = /^\\/(?!\\/)/.test(config.assets) ? base + config.assets : config.assets;
  if (config.css) {
    const css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = assets + "/" + config.css;
    document.head.append(css);
  }
  const js = document.createElement("script");
  js.src = assets + "/" + config.js;
  js.onload = () => { ${start} };
  js.onerror = () => {
    const error = document.createElement("p");
    error.id = "docs-error";
    error.textContent = "Could not load the API explorer from " + js.src + ". The OpenAPI document is at " + spec + ".";
    document.body.append(error);
  };
  document.body.append(js);
})();
</script>
</body>
</html>
`;
}
