// Types that infer what user code sees from path templates and valibot schemas.

import type * as v from "valibot";

/** Any valibot schema, sync or async. */
export type AnySchema =
  | v.GenericSchema<unknown, unknown, v.BaseIssue<unknown>>
  | v.GenericSchemaAsync<unknown, unknown, v.BaseIssue<unknown>>;

/** A value or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

type Segments<P extends string> = P extends `${infer Head}/${infer Tail}`
  ? Head | Segments<Tail>
  : P;
type ParamName<S extends string> = S extends `{${infer Name}+}`
  ? Name
  : S extends `{${infer Name}}`
    ? Name
    : never;

/**
 * The path parameters of a template: `PathParams<"/items/{id}/{rest+}">` is
 * `{ id: string; rest: string }`. A template known only as `string` gives a string record.
 */
export type PathParams<P extends string> = string extends P
  ? Record<string, string>
  : { [K in ParamName<Segments<P>>]: string };

/** The keys a type names, index signatures left out; each member of a union on its own. */
type NamedKeys<T> = T extends object
  ? keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] }
  : never;

/**
 * The keys a `params` schema's input names that the template has no parameter for: `never` when
 * every key is a parameter, or when the template is known only as `string`. Index signatures
 * (a record, a loose object's rest) name no key; a loose object's entries are checked.
 */
type UnknownParams<P extends string, S> = string extends P
  ? never
  : S extends AnySchema
    ? Exclude<NamedKeys<v.InferInput<S>>, ParamName<Segments<P>>>
    : never;

/**
 * Route options checked against their path template: a `params` schema that names a key the
 * template lacks makes its `params` property a type error that names the key.
 */
export type CheckedParams<P extends string, O> = O extends { params: infer S }
  ? [UnknownParams<P, S>] extends [never]
    ? unknown
    : { params: { "is not a parameter of the path template": UnknownParams<P, S> } }
  : unknown;

/** Flattens an intersection for readable hovers. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The output type of a schema option, or a fallback when the option is absent. */
export type OutputOr<S, Fallback> = S extends AnySchema ? v.InferOutput<S> : Fallback;
