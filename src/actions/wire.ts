/**
 * Response-side schemas. They check the shape the spec promises, keep fields they do not know,
 * and accept numbers sent as strings (and strings sent as numbers), normalising to the spec's type.
 *
 * @module
 */

import * as v from "valibot";

/** A string field; a number is accepted and turned into its decimal string. */
export const str = v.pipe(v.union([v.string(), v.number()]), v.transform(String));

/** An integer field; a numeric string is accepted and turned into a number. */
export const int = v.pipe(
  v.union([v.number(), v.pipe(v.string(), v.regex(/^\s*-?\d+(?:\.\d+)?\s*$/))]),
  v.transform(Number),
);

/** A field the service may leave out or send as `null`. */
export const maybe = v.nullish;

/** An object that keeps unknown fields. */
export const obj = v.looseObject;

/** An array. */
export const list = v.array;

/**
 * A list that the spec describes as a single object: either shape is accepted, an array is given.
 *
 * @param item The item schema.
 */
export const oneOrMany = <T extends v.GenericSchema>(item: T) =>
  v.pipe(
    v.union([v.array(item), item]),
    v.transform((value) => (Array.isArray(value) ? value : [value]) as v.InferOutput<T>[]),
  );

/** An object payload with no documented fields. */
export const anyObject = v.looseObject({});
