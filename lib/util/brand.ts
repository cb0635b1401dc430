// Brands: how a class's instances are recognized beside instanceof, also those of another copy of the library.

/**
 * The mark of one class. A bundle may hold two copies of the library (the app's and a layer's,
 * say), each with its own classes, so `instanceof` misses the other copy's instances; the brand's
 * key is a registry symbol (`Symbol.for`), the same in every copy, so `is` does not.
 */
export interface Brand<T> {
  /** `Symbol.for("aio-lambda-api.<name>")`: never change it, older copies look for it. */
  readonly key: symbol;
  /**
   * Marks every instance of `type` and of its subclasses, on the prototype (nothing is written
   * per instance, nothing shows when one is printed): call it once, in the class's static block.
   */
  mark(type: abstract new (...args: never[]) => T): void;
  /** Whether `value` carries the brand, from this copy of the library or another. */
  is(value: unknown): value is T;
}

/**
 * A brand for the class named `name`.
 * @example
 * const brand = defineBrand<HTTPException>("HTTPException");
 * export class HTTPException extends Error {
 *   static {
 *     brand.mark(HTTPException);
 *   }
 * }
 * export const isHTTPException = brand.is;
 */
export function defineBrand<T extends object>(name: string): Brand<T> {
  const key = Symbol.for(`aio-lambda-api.${name}`);
  return Object.freeze({
    key,
    mark(type: abstract new (...args: never[]) => T): void {
      Object.defineProperty(type.prototype, key, { value: true });
    },
    // `=== true`, as older copies set it: their own-field brand, or a non-enumerable one.
    is: (value: unknown): value is T =>
      typeof value === "object" &&
      value !== null &&
      (value as Record<symbol, unknown>)[key] === true,
  });
}
