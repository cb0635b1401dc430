// Case-insensitive reads and writes on a Response's header map, and `Vary` merging.

/** A Response's headers: names as the code set them, repeated values as arrays. */
export type HeaderMap = Record<string, string | readonly string[]>;

/** Whether `key` is another spelling of the lowercase `name` (`Vary` for `vary`). */
const otherSpelling = (key: string, name: string): boolean =>
  key !== name && key.length === name.length && key.toLowerCase() === name;

function keyOf(headers: HeaderMap, name: string): string | undefined {
  if (name in headers) return name;
  for (const key in headers) if (otherSpelling(key, name)) return key;
  return undefined;
}

/**
 * One header's value (repeats joined with `, `), whatever the case of its name.
 * @param name lowercase
 */
export function getHeader(headers: HeaderMap, name: string): string | undefined {
  const key = keyOf(headers, name);
  if (key === undefined) return undefined;
  const value = headers[key];
  return typeof value === "string" ? value : value?.join(", ");
}

/** Sets a header, replacing any spelling of its name. @param name lowercase */
export function setHeader(headers: HeaderMap, name: string, value: string): void {
  // Assigning over the same key keeps the object fast; a `delete` would turn it into a dictionary.
  for (const key in headers) if (otherSpelling(key, name)) delete headers[key];
  headers[name] = value;
}

/** Removes every spelling of a header. @param name lowercase */
export function deleteHeader(headers: HeaderMap, name: string): void {
  for (const key in headers) if (key === name || otherSpelling(key, name)) delete headers[key];
}

/** Adds `field` to `Vary` unless it is there already or `Vary` is `*`. */
export function addVary(headers: HeaderMap, field: string): void {
  const current = getHeader(headers, "vary");
  if (current === undefined || current.trim() === "") {
    setHeader(headers, "vary", field);
    return;
  }
  const fields = current.split(",").map((f) => f.trim().toLowerCase());
  if (fields.includes("*") || fields.includes(field.toLowerCase())) return;
  setHeader(headers, "vary", `${current}, ${field}`);
}
