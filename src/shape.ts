/**
 * Response shapes, as plain data: what the spec promises each response holds. Reading a response
 * against its shape normalises it to the spec's types (numbers sent as strings and strings sent as
 * numbers, a list sent as one object) and keeps everything else as it came, fields the shape does
 * not know included. It never rejects a successful response: a write that took effect must not be
 * reported as a failure (and retried into a duplicate) because the service left a field out.
 * Being data rather than code, an unused shape costs nothing in a bundle.
 *
 * @module
 */

/**
 * A response shape: `"string"` or `"integer"` (with `?` when the service may leave it out or send
 * `null`), an object of field shapes, `[item]` for a list, `{ $oneOrMany: item }` for a list the
 * spec describes as one object, or `{ $maybe: shape }` for an optional object or list.
 */
export type Shape =
  | "string"
  | "integer"
  | "string?"
  | "integer?"
  | readonly [Shape]
  | { readonly $oneOrMany: Shape }
  | { readonly $maybe: Shape }
  | { readonly [field: string]: Shape };

/** An object's shape: a shape for each field. */
export type ObjectShape = { readonly [field: string]: Shape };

/** A string field. */
export const str = "string";
/** An integer field. */
export const int = "integer";

/**
 * Normalises `value` to `shape`; what does not fit is returned as it is.
 *
 * @param shape The shape.
 * @param value The value from the response.
 * @returns The normalised value.
 */
export function readShape(shape: Shape, value: unknown): unknown {
  if (value == null) return value;
  if (typeof shape == "string") {
    return shape[0] == "s"
      ? (typeof value == "number" ? String(value) : value)
      : (typeof value == "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value);
  }
  if ("$maybe" in shape) return readShape(shape.$maybe as Shape, value);
  if ("$oneOrMany" in shape) return readShape([shape.$oneOrMany as Shape], [value].flat());
  if (Array.isArray(shape)) {
    return Array.isArray(value) ? value.map((item) => readShape(shape[0], item)) : value;
  }
  if (typeof value != "object" || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...value };
  for (const field in shape) {
    if (field in out) out[field] = readShape((shape as Record<string, Shape>)[field], out[field]);
  }
  return out;
}
