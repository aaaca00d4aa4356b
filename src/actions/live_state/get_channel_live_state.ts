// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { id } from "../rules.ts";

/** Input of {@link getChannelLiveState}. */
export interface GetChannelLiveStateInput {
  /** The channel's `pullId`. */
  pullId: string;
}

/** Checks the input of {@link getChannelLiveState} before anything is sent. */
export const GetChannelLiveStateSchema: Schema<GetChannelLiveStateInput> = strictObject({
  pullId: id(),
});

/** Definition of {@link getChannelLiveState}: path, schemas and retry safety. */
export const getChannelLiveStateAction: ActionDefinition<
  GetChannelLiveStateInput,
  GetChannelLiveStateOutput
> = {
  name: "getChannelLiveState",
  path: "/live/channelManage/getChannelLiveState",
  readOnly: true,
  input: GetChannelLiveStateSchema,
  output: {
    channelState: str,
  },
};

/** Whether a channel is live, idle or banned. */
export interface ChannelLiveState {
  /** Live state: `"1"` live, `"2"` idle, `"3"` banned. */
  channelState: string;
}

/** Response data of {@link getChannelLiveState}. */
export type GetChannelLiveStateOutput = ChannelLiveState;

/**
 * Tells whether one channel is live, idle or banned.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function getChannelLiveState(
  client: WangsuClient,
  input: GetChannelLiveStateInput,
  options?: CallOptions,
): Promise<GetChannelLiveStateOutput> {
  return callAction(client, getChannelLiveStateAction, input, options);
}
