import * as v from "valibot";
import type { WangsuClient } from "../../client.ts";
import type { CallOptions } from "../../transport.ts";
import type { Schema } from "../../schema.ts";
import { type ActionDefinition, type ActionInfo, callAction } from "../../action.ts";
import { id } from "../rules.ts";
import { str } from "../wire.ts";

/** Input of {@link endForwardTask}. */
export interface EndForwardTaskInput {
  /** Task id returned when the task was created. */
  taskId: string;
}

/** Checks the input of {@link endForwardTask} before anything is sent. */
export const EndForwardTaskSchema: Schema<EndForwardTaskInput> = v.strictObject({
  taskId: id(),
});

/** Response data of {@link endForwardTask}. */
export type EndForwardTaskOutput = string;

/** Definition of {@link endForwardTask}: path, schemas and retry safety. */
export const endForwardTaskAction: ActionDefinition<EndForwardTaskInput, EndForwardTaskOutput> = {
  name: "endForwardTask",
  path: "/live/forwardTask/endForwardTask",
  readOnly: false,
  input: EndForwardTaskSchema,
  output: str,
};

/** Where {@link endForwardTask} belongs and what it does, for the docs, the gateway and OpenAPI. */
export const endForwardTaskInfo: ActionInfo = {
  resource: "forwarding",
  summary: "Stops a relay task.",
};

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
