// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { idListOrEmpty } from "../rules.ts";

/** Input of {@link batchChannelLiveState}. */
export interface BatchChannelLiveStateInput {
  /** Channel `pullId`s, comma-separated; `""` for every channel. */
  pullIds: string;
}

/** Checks the input of {@link batchChannelLiveState} before anything is sent. */
export const BatchChannelLiveStateSchema: Schema<BatchChannelLiveStateInput> = strictObject({
  pullIds: idListOrEmpty(),
});

/** Definition of {@link batchChannelLiveState}: path, schemas and retry safety. */
export const batchChannelLiveStateAction: ActionDefinition<
  BatchChannelLiveStateInput,
  BatchChannelLiveStateOutput
> = {
  name: "batchChannelLiveState",
  path: "/live/channelManage/batchChannelLiveState",
  readOnly: true,
  input: BatchChannelLiveStateSchema,
  output: [{
    channelStatus: str,
    pullId: str,
  }],
};

/** One channel's live state. */
export interface ChannelStatusEntry {
  /** Live state: 1 live, 2 idle, 3 banned. */
  channelStatus: string;
  /** The channel's `pullId`. */
  pullId: string;
}

/** Response data of {@link batchChannelLiveState}. */
export type BatchChannelLiveStateOutput = ChannelStatusEntry[];

/**
 * Tells whether each of several channels (or all of them) is live, idle or banned.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function batchChannelLiveState(
  client: WangsuClient,
  input: BatchChannelLiveStateInput,
  options?: CallOptions,
): Promise<BatchChannelLiveStateOutput> {
  return callAction(client, batchChannelLiveStateAction, input, options);
}
