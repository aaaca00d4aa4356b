// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { idList } from "../rules.ts";

/** Input of {@link channelReBrodcast}. */
export interface ChannelReBrodcastInput {
  /** `pullId`s of the channels to re-open, comma-separated. */
  pullId: string;
}

/** Checks the input of {@link channelReBrodcast} before anything is sent. */
export const ChannelReBrodcastSchema: Schema<ChannelReBrodcastInput> = strictObject({
  pullId: idList(),
});

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

/** Response data of {@link channelReBrodcast}. */
export type ChannelReBrodcastOutput = string;

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
