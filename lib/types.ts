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

/** Flattens an intersection for readable hovers. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The output type of a schema option, or a fallback when the option is absent. */
export type OutputOr<S, Fallback> = S extends AnySchema ? v.InferOutput<S> : Fallback;

/** The input type of a schema option, or a fallback when the option is absent. */
export type InputOr<S, Fallback> = S extends AnySchema ? v.InferInput<S> : Fallback;
