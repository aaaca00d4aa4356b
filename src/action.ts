/**
 * What an API action is, as data (path, input and output schemas, whether it only reads),
 * and the one function that runs any of them: validate, send, parse.
 *
 * @module
 */

import * as v from "valibot";

import type { WangsuClient } from "./client.ts";
import type { Schema, SchemaResult } from "./schema.ts";
import { readShape, type Shape } from "./shape.ts";
import { invalid, issueOf, type ValidationIssue, WangsuValidationError } from "./errors.ts";
import { type CallOptions, send } from "./transport.ts";

/** Where an action belongs and what it does: kept apart so that client bundles carry no prose. */
export interface ActionInfo {
  /** The resource group. */
  readonly resource: Resource;
  /** One line, in our words, on what the action does. */
  readonly summary: string;
}

/** An action with its {@link ActionInfo}, as the action table lists it. */
export type DescribedAction = ActionDefinition & ActionInfo;

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
  /** True when the action changes nothing, so repeating it is always safe (and retried by default). */
  readonly readOnly: boolean;
  /** For a write: whether this particular input makes it safe to repeat (e.g. a caller's unique id). */
  repeatable?(input: Input): boolean;
  /** Validates the input before anything is sent. */
  readonly input: Schema<Input>;
  /**
   * What the response's `data` holds, to normalise it (numbers sent as strings and back).
   * `Output` is the matching type.
   */
  readonly output: Shape;
  /** Type-level only: the output type. */
  readonly "~output"?: Output;
}

/**
 * An action as the catalog (`src/actions/catalog.ts`) lists it: enough to route a request and
 * resolve a key's scope, with the full definition (schemas, and valibot with them) loaded on
 * first use. A gateway starts on the catalog alone.
 */
export interface CatalogEntry {
  /** SDK function name. */
  readonly name: string;
  /** API path. */
  readonly path: string;
  /** The resource group. */
  readonly resource: Resource;
  /** True when the action changes nothing. */
  readonly readOnly: boolean;
  /** Imports the action's module and returns its definition. */
  readonly load: () => Promise<ActionDefinition>;
}

/** Whether a module export is an action definition (how the table and the catalog find them). */
export const isActionDefinition = (value: unknown): value is ActionDefinition =>
  typeof value == "object" && value != null && "path" in value && "input" in value &&
  "output" in value;

/** Turns valibot issues into issues that name the field and the rule. */
export const toValidationIssues = (issues: readonly v.BaseIssue<unknown>[]): ValidationIssue[] =>
  issues.map(({ path: at, type, kind, expected, received, message }) => {
    const path = at?.map((item) => item.key).join(".") ?? "";
    const [rule, text] = /object/.test(type) && received == "undefined"
      ? ["required", "is required"]
      : /object/.test(type) && expected == "never"
      ? ["unknown_field", "is not a field of this action"]
      : [
        kind == "schema" && !/pick|union/.test(type) ? "type" : type.replace("partial_", ""),
        message,
      ];
    return issueOf(path, rule, text);
  });

/** The paths (dot-joined, as validation issues name them) of integers past 2^53 in a value. */
const unsafeIntegers = (value: unknown, path = ""): string[] => {
  if (typeof value == "number") {
    return Number.isInteger(value) && !Number.isSafeInteger(value) ? [path] : [];
  }
  if (typeof value != "object" || value == null) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    unsafeIntegers(item, path ? `${path}.${key}` : key)
  );
};

/**
 * Reads a request body for an action, as a server does (the simulator, the gateway): JSON first,
 * then the action's input schema.
 *
 * @param action The action the body is for.
 * @param text The body.
 * @returns `{ input }` when it passes; otherwise a `message` and the schema's `issues` (none when
 *   the body is not JSON at all).
 */
export function readActionBody<Input>(
  action: ActionDefinition<Input>,
  text: string,
): { input: Input } | { message: string; issues: ValidationIssue[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { message: "The body must be JSON", issues: [] };
  }
  if (typeof value != "object" || value == null || Array.isArray(value)) {
    return { message: "The body must be a JSON object", issues: [] };
  }
  const checked = v.safeParse(action.input as unknown as v.GenericSchema<Input>, value);
  // A valid body may still carry an integer past 2^53 that JSON.parse has already rounded, where
  // a rule does not look (only a long run of digits or an exponent can: cheap to rule out).
  const unsafe = checked.success && /\d{16}|\d[eE]/.test(text) ? unsafeIntegers(value) : [];
  if (checked.success && !unsafe.length) return { input: checked.output };
  const issues = checked.success
    ? unsafe.map((path) =>
      issueOf(
        path,
        "safe_integer",
        "is an integer beyond 2^53, which JSON numbers cannot hold exactly",
      )
    )
    : toValidationIssues(checked.issues);
  return { message: new WangsuValidationError(issues, { action: action.name }).message, issues };
}

/**
 * Validates `input` against the action, sends it, and returns the response's checked `data`.
 *
 * @param client The client to send with.
 * @param action The action definition.
 * @param input The caller's input (none: no fields).
 * @param options Per-call options.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before any network call, when the input breaks a rule.
 * @throws {WangsuApiError} When the API refuses the call or its answer is not the JSON envelope.
 */
export async function callAction<Input, Output>(
  client: WangsuClient,
  action: ActionDefinition<Input, Output>,
  input: Input = {} as Input,
  options: CallOptions = {},
): Promise<Output> {
  if (typeof input != "object" || input == null || Array.isArray(input)) {
    throw invalid("", "type", "must be an object of the action's fields", { action: action.name });
  }
  // The schema's own Standard Schema entry (valibot's run, without `safeParse` and its wrapper):
  // an action's schema is synchronous.
  const checked = action.input["~standard"].validate(input) as SchemaResult<Input>;
  if (checked.issues) {
    throw new WangsuValidationError(toValidationIssues(checked.issues as v.BaseIssue<unknown>[]), {
      action: action.name,
    });
  }
  const { envelope } = await send(
    client,
    { ...options, path: action.path, body: checked.value },
    action.name,
    action.readOnly || (action.repeatable?.(checked.value) ?? false),
  );
  return readShape(action.output, envelope.data) as Output;
}
