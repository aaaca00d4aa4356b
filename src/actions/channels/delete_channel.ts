// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { idList } from "../rules.ts";

/** Input of {@link deleteChannel}. */
export interface DeleteChannelInput {
  /** `pullId`s of the channels to delete, comma-separated. */
  pullId: string;
}

/** Checks the input of {@link deleteChannel} before anything is sent. */
export const DeleteChannelSchema: Schema<DeleteChannelInput> = strictObject({
  pullId: idList(),
});

/** Definition of {@link deleteChannel}: path, schemas and retry safety. */
export const deleteChannelAction: ActionDefinition<
  DeleteChannelInput,
  DeleteChannelOutput
> = {
  name: "deleteChannel",
  path: "/live/channelManage/deleteChannel",
  readOnly: false,
  input: DeleteChannelSchema,
  output: str,
};

/** Response data of {@link deleteChannel}. */
export type DeleteChannelOutput = string;

/**
 * Deletes one or more channels for good.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function deleteChannel(
  client: WangsuClient,
  input: DeleteChannelInput,
  options?: CallOptions,
): Promise<DeleteChannelOutput> {
  return callAction(client, deleteChannelAction, input, options);
}
