/**
 * The JSON Schema of an action's input, as `@valibot/to-json-schema` writes it from the valibot
 * schema: the gateway's OpenAPI document, its MCP tools and the CLI's field list all read it from
 * here. The fields' descriptions are not in the schemas (client bundles carry no prose): the
 * gateway passes them in from `src/actions/field_docs.ts`.
 *
 * @module
 */

import type * as v from "valibot";
import { toJsonSchema } from "@valibot/to-json-schema";

/** A JSON Schema (draft 07) object. */
export type JsonSchema = Record<string, unknown>;

/**
 * Fields' descriptions by path: a top-level field by its name (`pageSize`), a nested one by the
 * path to it (`limits.rate`, and `tags[].key` for a field of a list's items).
 */
export type FieldDocs = Readonly<Record<string, string>>;

const isSchema = (value: unknown): value is JsonSchema =>
  typeof value == "object" && value != null && !Array.isArray(value);

/** `schema` with the description of each property under `at` that `docs` holds, at any depth. */
const described = (schema: JsonSchema, docs: FieldDocs, at: string): JsonSchema => {
  const out: JsonSchema = { ...schema };
  if (isSchema(schema.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([name, property]) => {
        if (!isSchema(property)) return [name, property];
        const path = at + name;
        const inner = described(property, docs, `${path}.`);
        return [name, docs[path] === undefined ? inner : { ...inner, description: docs[path] }];
      }),
    );
  }
  if (isSchema(schema.items)) {
    out.items = described(schema.items, docs, `${at.replace(/\.$/, "")}[].`);
  }
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    if (Array.isArray(schema[key])) {
      out[key] = (schema[key] as unknown[]).map((option) =>
        isSchema(option) ? described(option, docs, at) : option
      );
    }
  }
  return out;
};

/**
 * The JSON Schema of a valibot schema, without its `$schema` line (the OpenAPI document embeds
 * it). A rule JSON Schema cannot express (a check across fields, a transform) is left out rather
 * than refused: valibot still applies it when the input is validated.
 *
 * @param schema A valibot schema, e.g. an action's `input`.
 * @param docs The fields' descriptions, by path (e.g. an action's from `fieldDocs`): each becomes
 *   its property's `description`, nested properties included. None when omitted.
 * @returns Its JSON Schema.
 */
export function jsonSchemaOf(schema: unknown, docs?: FieldDocs): JsonSchema {
  const { $schema: _, ...rest } = toJsonSchema(schema as v.GenericSchema, { errorMode: "ignore" });
  return docs ? described(rest as JsonSchema, docs, "") : rest as JsonSchema;
}
