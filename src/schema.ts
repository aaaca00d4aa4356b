/**
 * The public type of the SDK's schemas. They are valibot schemas at run time; their declared type
 * is the Standard Schema interface (which valibot implements), so that they also work with any
 * Standard Schema consumer and so that the public API names no internal valibot type.
 *
 * @module
 */

/** The result of a Standard Schema validation. */
export type SchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | {
    readonly issues: ReadonlyArray<{
      readonly message: string;
      readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }>;
    }>;
  };

/** A Standard Schema (v1) validating `Input` into `Output`: every SDK schema is also a valibot schema. */
export interface Schema<Input = unknown, Output = Input> {
  /** The Standard Schema interface. */
  readonly "~standard": {
    /** Interface version. */
    readonly version: 1;
    /** The library behind the schema (`valibot`). */
    readonly vendor: string;
    /** Validates a value. */
    readonly validate: (
      value: unknown,
    ) => SchemaResult<Output> | Promise<SchemaResult<Output>>;
    /** Type-level only: the input and output types. */
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}
