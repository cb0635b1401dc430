// Run by another Node.js: imports a bundle, calls its handler on each event of a file, writes the outcomes as JSON.
//
// Usage: node invoke.mjs <bundle> <cases.json> <out.json>. Each case is { event, context }; the
// context gets the getRemainingTimeInMillis() Lambda adds. Outcomes keep the cases' order:
// { result } for an answer, { error: { name, message } } for a rejection. The access log goes to
// stdout as under Lambda, so the caller reads it there.

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [bundle, casesFile, outFile] = process.argv.slice(2);
const { handler } = await import(pathToFileURL(path.resolve(bundle)).href);
const cases = JSON.parse(readFileSync(casesFile, "utf8"));
const outcomes = [];
for (const { event, context } of cases) {
  try {
    const result = await handler(event, { ...context, getRemainingTimeInMillis: () => 30_000 });
    outcomes.push({ result });
  } catch (error) {
    outcomes.push({ error: { name: error?.name, message: error?.message } });
  }
}
writeFileSync(outFile, JSON.stringify({ node: process.version, outcomes }));
