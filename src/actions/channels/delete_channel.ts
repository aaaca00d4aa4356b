import * as v from "valibot";
import type { WangsuClient } from "../../client.ts";
import type { CallOptions } from "../../transport.ts";
import type { Schema } from "../../schema.ts";
import { type ActionDefinition, type ActionInfo, callAction } from "../../action.ts";
import { idList } from "../rules.ts";
import { str } from "../wire.ts";

/** Input of {@link deleteChannel}. */
export interface DeleteChannelInput {
  /** `pullId`s of the channels to delete, comma-separated. */
  pullId: string;
}

/** Checks the input of {@link deleteChannel} before anything is sent. */
export const DeleteChannelSchema: Schema<DeleteChannelInput> = v.strictObject({
  pullId: idList(),
});

/** Response data of {@link deleteChannel}. */
export type DeleteChannelOutput = string;

/** Definition of {@link deleteChannel}: path, schemas and retry safety. */
export const deleteChannelAction: ActionDefinition<DeleteChannelInput, DeleteChannelOutput> = {
  name: "deleteChannel",
  path: "/live/channelManage/deleteChannel",
  readOnly: false,
  input: DeleteChannelSchema,
  output: str,
};

/** Where {@link deleteChannel} belongs and what it does, for the docs, the gateway and OpenAPI. */
export const deleteChannelInfo: ActionInfo = {
  resource: "channels",
  summary: "Deletes one or more channels for good.",
};

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
