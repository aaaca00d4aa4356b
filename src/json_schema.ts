/**
 * The JSON Schema of an action's input, as `@valibot/to-json-schema` writes it from the valibot
 * schema: the gateway's OpenAPI document and the CLI's field list both read it from here.
 *
 * @module
 */

import type * as v from "valibot";
import { toJsonSchema } from "@valibot/to-json-schema";

/** A JSON Schema (draft 07) object. */
export type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of a valibot schema, without its `$schema` line (the OpenAPI document embeds
 * it). A rule JSON Schema cannot express (a check across fields, a transform) is left out rather
 * than refused: valibot still applies it when the input is validated.
 *
 * @param schema A valibot schema, e.g. an action's `input`.
 * @returns Its JSON Schema.
 */
export function jsonSchemaOf(schema: unknown): JsonSchema {
  const { $schema: _, ...rest } = toJsonSchema(schema as v.GenericSchema, { errorMode: "ignore" });
  return rest as JsonSchema;
}
