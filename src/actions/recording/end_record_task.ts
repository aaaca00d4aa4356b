import * as v from "valibot";
import type { WangsuClient } from "../../client.ts";
import type { CallOptions } from "../../transport.ts";
import type { Schema } from "../../schema.ts";
import { type ActionDefinition, type ActionInfo, callAction } from "../../action.ts";
import { id } from "../rules.ts";

/** Input of {@link endRecordTask}. */
export interface EndRecordTaskInput {
  /** Task id returned when the task was created. */
  taskId: string;
}

/** Checks the input of {@link endRecordTask} before anything is sent. */
export const EndRecordTaskSchema: Schema<EndRecordTaskInput> = v.strictObject({
  taskId: id(),
});

/** Response data of {@link endRecordTask}. */
export type EndRecordTaskOutput = Record<string, unknown>;

/** Definition of {@link endRecordTask}: path, schemas and retry safety. */
export const endRecordTaskAction: ActionDefinition<EndRecordTaskInput, EndRecordTaskOutput> = {
  name: "endRecordTask",
  path: "/live/channelManage/endRecordTask",
  readOnly: false,
  input: EndRecordTaskSchema,
  output: {},
};

/** Where {@link endRecordTask} belongs and what it does, for the docs, the gateway and OpenAPI. */
export const endRecordTaskInfo: ActionInfo = {
  resource: "recording",
  summary: "Stops a recording task now.",
};

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
