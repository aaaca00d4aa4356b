// The JSON Schema of an input, with its fields' descriptions where they are given.
import assert from "node:assert/strict";
import * as v from "valibot";
import { jsonSchemaOf } from "../src/json_schema.ts";

const input = v.strictObject({
  name: v.string(),
  limits: v.optional(v.object({ rate: v.number(), burst: v.optional(v.number()) })),
  tags: v.optional(v.array(v.object({ key: v.string() }))),
});

Deno.test("descriptions are attached to each property, nested ones by their path", () => {
  const schema = jsonSchemaOf(input, {
    name: "The name.",
    limits: "The limits.",
    "limits.rate": "Requests per second.",
    "tags[].key": "The tag's key.",
  }) as {
    properties: {
      name: { description?: string };
      limits: { description?: string; properties: Record<string, { description?: string }> };
      tags: { description?: string; items: { properties: { key: { description?: string } } } };
    };
  };
  assert.equal(schema.properties.name.description, "The name.");
  assert.equal(schema.properties.limits.description, "The limits.");
  assert.equal(schema.properties.limits.properties.rate.description, "Requests per second.");
  assert.equal(schema.properties.limits.properties.burst.description, undefined);
  assert.equal(schema.properties.tags.description, undefined);
  assert.equal(schema.properties.tags.items.properties.key.description, "The tag's key.");
});

Deno.test("without descriptions the schema is the converter's own", () => {
  const schema = jsonSchemaOf(input);
  assert.ok(!JSON.stringify(schema).includes("description"));
  assert.equal("$schema" in schema, false);
});
