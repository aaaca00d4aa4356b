import * as v from "valibot";
import type { WangsuClient } from "../../client.ts";
import type { CallOptions } from "../../transport.ts";
import type { Schema } from "../../schema.ts";
import { type ActionDefinition, type ActionInfo, callAction } from "../../action.ts";
import { id } from "../rules.ts";
import { type Shape, str } from "../wire.ts";

/** Input of {@link getChannelLiveState}. */
export interface GetChannelLiveStateInput {
  /** The channel's `pullId`. */
  pullId: string;
}

/** Checks the input of {@link getChannelLiveState} before anything is sent. */
export const GetChannelLiveStateSchema: Schema<GetChannelLiveStateInput> = v.strictObject({
  pullId: id(),
});

/** Whether a channel is live, idle or banned. */
export interface ChannelLiveState {
  /** Live state: `"1"` live, `"2"` idle, `"3"` banned. */
  channelState: string;
}

const channelLiveStateSchema: Shape = {
  channelState: str,
};

/** Response data of {@link getChannelLiveState}. */
export type GetChannelLiveStateOutput = ChannelLiveState;

/** Definition of {@link getChannelLiveState}: path, schemas and retry safety. */
export const getChannelLiveStateAction: ActionDefinition<
  GetChannelLiveStateInput,
  GetChannelLiveStateOutput
> = {
  name: "getChannelLiveState",
  path: "/live/channelManage/getChannelLiveState",
  readOnly: true,
  input: GetChannelLiveStateSchema,
  output: channelLiveStateSchema,
};

/** Where {@link getChannelLiveState} belongs and what it does, for the docs, the gateway and OpenAPI. */
export const getChannelLiveStateInfo: ActionInfo = {
  resource: "live-state",
  summary: "Tells whether one channel is live, idle or banned.",
};

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
