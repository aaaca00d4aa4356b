/**
 * What an API action is, as data (path, input and output schemas, whether it only reads),
 * and the one function that runs any of them: validate, send, parse.
 *
 * @module
 */

import * as v from "valibot";

import type { WangsuClient } from "./client.ts";
import type { Schema } from "./schema.ts";
import { type ValidationIssue, WangsuApiError, WangsuValidationError } from "./errors.ts";
import type { CallOptions } from "./transport.ts";
import { sendWithRetries } from "./retry.ts";

/** The resource an action belongs to (how the README, the simulator and the gateway group them). */
export type Resource =
  | "channels"
  | "pull-channels"
  | "live-state"
  | "recording"
  | "directories"
  | "forwarding";

/** One API action, described once and read by the client, the simulator and the gateway. */
export interface ActionDefinition<Input = unknown, Output = unknown> {
  /** SDK function name, e.g. `createChannel`. */
  readonly name: string;
  /** API path; every action is a `POST` with a JSON body. */
  readonly path: string;
  /** The resource group. */
  readonly resource: Resource;
  /** One line, in our words, on what the action does. */
  readonly summary: string;
  /** True when the action changes nothing, so repeating it is always safe (and retried by default). */
  readonly readOnly: boolean;
  /** For a write: whether this particular input makes it safe to repeat (e.g. a caller's unique id). */
  readonly repeatable?: (input: Input) => boolean;
  /** Validates the input before anything is sent. */
  readonly input: Schema<Input>;
  /** Checks the response's `data` and normalises numbers sent as strings (and back). */
  readonly output: Schema<unknown, Output>;
}

const OBJECT_SCHEMAS = new Set(["object", "strict_object", "loose_object"]);
const TYPE_SCHEMAS = new Set(["string", "number", "boolean", "array", ...OBJECT_SCHEMAS]);

/** Turns valibot issues into issues that name the field and the rule. */
export const toValidationIssues = (issues: readonly v.BaseIssue<unknown>[]): ValidationIssue[] =>
  issues.map((issue) => {
    const path = v.getDotPath(issue) ?? "";
    const objectLevel = OBJECT_SCHEMAS.has(issue.type);
    const rule = objectLevel && issue.received == "undefined"
      ? "required"
      : objectLevel && issue.expected == "never"
      ? "unknown_field"
      : issue.kind == "schema" && TYPE_SCHEMAS.has(issue.type)
      ? "type"
      : issue.type == "partial_check"
      ? "check"
      : issue.type;
    const text = rule == "required"
      ? "is required"
      : rule == "unknown_field"
      ? "is not a field of this action"
      : rule == "type"
      ? `must be ${
        issue.expected == "Object" ? "an object" : `of type ${issue.expected}`
      }, got ${issue.received}`
      : issue.message;
    return { path, rule, message: `${path || "input"}: ${text}` };
  });

/**
 * Validates `input` against the action, sends it, and returns the response's checked `data`.
 *
 * @param client The client to send with.
 * @param action The action definition.
 * @param input The caller's input.
 * @param options Per-call options.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before any network call, when the input breaks a rule.
 * @throws {WangsuApiError} When the API refuses the call or answers in an unexpected shape.
 */
export async function callAction<Input, Output>(
  client: WangsuClient,
  action: ActionDefinition<Input, Output>,
  input: Input,
  options: CallOptions = {},
): Promise<Output> {
  const checked = v.safeParse(action.input as unknown as v.GenericSchema<Input>, input);
  if (!checked.success) {
    throw new WangsuValidationError(toValidationIssues(checked.issues), { action: action.name });
  }
  const { envelope, status, requestId } = await sendWithRetries(
    client,
    { ...options, path: action.path, body: checked.output },
    action.name,
    action.readOnly || (action.repeatable?.(checked.output) ?? false),
  );
  const output = v.safeParse(
    action.output as unknown as v.GenericSchema<unknown, Output>,
    envelope.data,
  );
  if (!output.success) {
    const problems = toValidationIssues(output.issues).map((issue) => `data.${issue.message}`);
    throw new WangsuApiError(
      `${action.name}: unexpected response: ${problems.join("; ")}`,
      { status, code: "INVALID_RESPONSE", body: envelope },
      { action: action.name, requestId },
    );
  }
  return output.output;
}
