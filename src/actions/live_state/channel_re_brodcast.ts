import * as v from "valibot";
import type { WangsuClient } from "../../client.ts";
import type { CallOptions } from "../../transport.ts";
import type { Schema } from "../../schema.ts";
import { type ActionDefinition, type ActionInfo, callAction } from "../../action.ts";
import { idList } from "../rules.ts";
import { str } from "../wire.ts";

/** Input of {@link channelReBrodcast}. */
export interface ChannelReBrodcastInput {
  /** `pullId`s of the channels to re-open, comma-separated. */
  pullId: string;
}

/** Checks the input of {@link channelReBrodcast} before anything is sent. */
export const ChannelReBrodcastSchema: Schema<ChannelReBrodcastInput> = v.strictObject({
  pullId: idList(),
});

/** Response data of {@link channelReBrodcast}. */
export type ChannelReBrodcastOutput = string;

/** Definition of {@link channelReBrodcast}: path, schemas and retry safety. */
export const channelReBrodcastAction: ActionDefinition<
  ChannelReBrodcastInput,
  ChannelReBrodcastOutput
> = {
  name: "channelReBrodcast",
  path: "/live/channelManage/channelReBrodcast",
  readOnly: false,
  input: ChannelReBrodcastSchema,
  output: str,
};

/** Where {@link channelReBrodcast} belongs and what it does, for the docs, the gateway and OpenAPI. */
export const channelReBrodcastInfo: ActionInfo = {
  resource: "live-state",
  summary: "Lifts the ban on one or more channels so they can be pushed to again.",
};

/**
 * Lifts the ban on one or more channels so they can be pushed to again.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function channelReBrodcast(
  client: WangsuClient,
  input: ChannelReBrodcastInput,
  options?: CallOptions,
): Promise<ChannelReBrodcastOutput> {
  return callAction(client, channelReBrodcastAction, input, options);
}
