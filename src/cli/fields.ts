/**
 * An action's fields as the command line offers them, one flag each: read from the JSON Schema
 * of the action's input (`src/json_schema.ts`, which the OpenAPI document shares), so the names,
 * types, options and required flags are the schema's own.
 *
 * @module
 */

import { type JsonSchema, jsonSchemaOf } from "../json_schema.ts";

/** One field of an action's input. */
export interface Field {
  /** The field's name, and its flag's (`--name`). */
  name: string;
  /** The field's JSON Schema. */
  schema: JsonSchema;
  /** Whether the input must hold it. */
  required: boolean;
}

/**
 * The fields of an action's input, in the schema's order.
 *
 * @param input The action's input schema (valibot).
 */
export function fieldsOf(input: unknown): Field[] {
  const { properties = {}, required = [] } = jsonSchemaOf(input) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    schema,
    required: required.includes(name),
  }));
}

/** The alternatives a schema allows: its `anyOf`, or itself. */
const alternatives = (schema: JsonSchema) => (schema.anyOf as JsonSchema[] | undefined) ?? [schema];

/** The values a schema allows, when it lists them (`enum`, `const`). */
const listed = (schema: JsonSchema) =>
  (schema.enum as unknown[] | undefined) ?? ("const" in schema ? [schema.const] : undefined);

/**
 * A field's type as help shows it: `string`, `number`, `boolean`, the values it allows
 * (`"0" | "1"`), or its alternatives.
 *
 * @param schema The field's JSON Schema.
 */
export function typeText(schema: JsonSchema): string {
  return alternatives(schema).map((option) =>
    listed(option)?.map((value) => JSON.stringify(value)).join(" | ") ??
      // A whole number is typed like any number; the rule is the validation's to tell.
      [option.type ?? "any"].flat().map((type) => type == "integer" ? "number" : type).join(" | ")
  ).join(" | ");
}

/**
 * A flag's text as the field's type wants it (a number, a boolean, one of its listed values, an
 * object or array from JSON); left as text when it cannot be, so that validation says why.
 *
 * @param schema The field's JSON Schema.
 * @param text The flag's value.
 */
export function valueOf(schema: JsonSchema, text: string): unknown {
  const numeric = text.trim() != "" && !Number.isNaN(Number(text));
  for (const option of alternatives(schema)) {
    const values = listed(option);
    if (values) {
      if (values.includes(text)) return text;
      if (numeric && values.includes(Number(text))) return Number(text);
      continue;
    }
    const types = [option.type].flat();
    if (types.includes("string")) return text;
    if (numeric && (types.includes("number") || types.includes("integer"))) return Number(text);
    if (types.includes("boolean") && (text == "true" || text == "false")) return text == "true";
    if (types.includes("object") || types.includes("array")) {
      try {
        return JSON.parse(text);
      } catch {
        // Left as text.
      }
    }
  }
  return text;
}
