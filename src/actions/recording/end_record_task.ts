// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import type { CallOptions } from "../../transport.ts";
import { id } from "../rules.ts";

/** Input of {@link endRecordTask}. */
export interface EndRecordTaskInput {
  /** Task id returned when the task was created. */
  taskId: string;
}

/** Checks the input of {@link endRecordTask} before anything is sent. */
export const EndRecordTaskSchema: Schema<EndRecordTaskInput> = strictObject({
  taskId: id(),
});

/** Definition of {@link endRecordTask}: path, schemas and retry safety. */
export const endRecordTaskAction: ActionDefinition<
  EndRecordTaskInput,
  EndRecordTaskOutput
> = {
  name: "endRecordTask",
  path: "/live/channelManage/endRecordTask",
  readOnly: false,
  input: EndRecordTaskSchema,
  output: {},
};

/** Response data of {@link endRecordTask}. */
export type EndRecordTaskOutput = Record<string, unknown>;

/**
 * Stops a recording task now.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function endRecordTask(
  client: WangsuClient,
  input: EndRecordTaskInput,
  options?: CallOptions,
): Promise<EndRecordTaskOutput> {
  return callAction(client, endRecordTaskAction, input, options);
}
