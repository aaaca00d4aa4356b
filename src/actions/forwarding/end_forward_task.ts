// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { id } from "../rules.ts";

/** Input of {@link endForwardTask}. */
export interface EndForwardTaskInput {
  /** Task id returned when the task was created. */
  taskId: string;
}

/** Checks the input of {@link endForwardTask} before anything is sent. */
export const EndForwardTaskSchema: Schema<EndForwardTaskInput> = strictObject({
  taskId: id(),
});

/** Definition of {@link endForwardTask}: path, schemas and retry safety. */
export const endForwardTaskAction: ActionDefinition<
  EndForwardTaskInput,
  EndForwardTaskOutput
> = {
  name: "endForwardTask",
  path: "/live/forwardTask/endForwardTask",
  readOnly: false,
  input: EndForwardTaskSchema,
  output: str,
};

/** Response data of {@link endForwardTask}. */
export type EndForwardTaskOutput = string;

/**
 * Stops a relay task.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function endForwardTask(
  client: WangsuClient,
  input: EndForwardTaskInput,
  options?: CallOptions,
): Promise<EndForwardTaskOutput> {
  return callAction(client, endForwardTaskAction, input, options);
}
