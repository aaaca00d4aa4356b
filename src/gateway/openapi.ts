/**
 * The OpenAPI 3.1 document of the gateway, generated from the action table, its valibot schemas
 * and the fields' docs (`src/actions/field_docs.ts`): nothing in it is written by hand.
 *
 * @module
 */

import * as v from "valibot";
import { jsonSchemaOf as jsonSchema } from "../json_schema.ts";
import { fieldDocs } from "../actions/field_docs.ts";
import type { DescribedAction } from "../action.ts";
import type { Shape } from "../shape.ts";
import type { FieldDocs } from "../json_schema.ts";

type JsonObject = Record<string, unknown>;

/** The JSON Schema of a response shape: what the service may send (numbers may come as strings). */
const shapeSchema = (shape: Shape): JsonObject => {
  if (typeof shape == "string") {
    const scalar = shape[0] == "s"
      ? { type: ["string", "number"] }
      : { anyOf: [{ type: "integer" }, { type: "string", pattern: "^\\s*-?\\d+(\\.\\d+)?\\s*$" }] };
    return shape.endsWith("?") ? { anyOf: [scalar, { type: "null" }] } : scalar;
  }
  if (Array.isArray(shape)) return { type: "array", items: shapeSchema(shape[0]) };
  if ("$maybe" in shape) return { anyOf: [shapeSchema(shape.$maybe as Shape), { type: "null" }] };
  if ("$oneOrMany" in shape) {
    const item = shapeSchema(shape.$oneOrMany as Shape);
    return { anyOf: [{ type: "array", items: item }, item] };
  }
  const fields = Object.entries(shape as Record<string, Shape>);
  return {
    type: "object",
    properties: Object.fromEntries(fields.map(([name, field]) => [name, shapeSchema(field)])),
    required: fields.filter(([, field]) => typeof field != "string" || !field.endsWith("?"))
      .map(([name]) => name),
  };
};

const errorBody = {
  type: "object",
  properties: {
    code: { type: ["integer", "string"] },
    message: { type: "string" },
    issues: {
      type: "array",
      items: {
        type: "object",
        properties: {
          path: { type: "string" },
          rule: { type: "string" },
          message: { type: "string" },
        },
      },
    },
  },
  required: ["code", "message"],
};

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

/**
 * Builds the document.
 *
 * @param actions The actions the gateway serves.
 * @param info Title and version.
 */
export function buildOpenApi(
  actions: readonly DescribedAction[],
  info: { title: string; version: string },
): JsonObject {
  const paths: JsonObject = {};
  for (const action of actions) {
    paths[action.path] = {
      post: {
        operationId: action.name,
        summary: action.summary,
        tags: [action.resource],
        "x-read-only": action.readOnly,
        security: [{ cncHmac: [] }, { bearer: [] }],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              // Each field described by its doc in the spec.
              schema: jsonSchema(
                action.input,
                (fieldDocs as Record<string, FieldDocs>)[action.name],
              ),
              // An example that passes, where the empty body does, so that "try it" works as is.
              ...(v.safeParse(action.input as v.GenericSchema, {}).success ? { example: {} } : {}),
            },
          },
        },
        responses: {
          "200": {
            description:
              "The service's envelope: `code` 200 with `data`, or a business error `code` (HTTP 200)",
            headers: { "x-cnc-request-id": { schema: { type: "string" } } },
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    code: { type: ["integer", "string"] },
                    message: { type: "string" },
                    data: shapeSchema(action.output),
                  },
                  required: ["code", "message"],
                },
              },
            },
          },
          "400": errorResponse(
            "The body is not JSON or breaks the action's rules: every issue is listed",
          ),
          "401": errorResponse("Unknown or invalid credentials"),
          "403": errorResponse("The key may not call this action"),
          "413": errorResponse("The body is too large"),
          "502": errorResponse("The upstream service could not be reached"),
          "504": errorResponse("The upstream service did not answer in time"),
        },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      ...info,
      description:
        "Gateway to Wangsu's Channels Management API: the vendor's paths and bodies, authenticated with gateway-issued keys.",
    },
    paths,
    components: {
      schemas: { Error: errorBody },
      securitySchemes: {
        cncHmac: {
          type: "apiKey",
          in: "header",
          name: "Authorization",
          description:
            "CNC-HMAC-SHA256 with a gateway-issued access/secret pair, exactly as the vendor's SDKs sign (with x-cnc-accessKey and x-cnc-timestamp headers).",
        },
        bearer: { type: "http", scheme: "bearer" },
      },
    },
  };
}
