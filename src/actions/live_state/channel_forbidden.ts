// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { idList } from "../rules.ts";

/** Input of {@link channelForbidden}. */
export interface ChannelForbiddenInput {
  /** `pullId`s of the channels to ban, comma-separated. */
  pullId: string;
}

/** Checks the input of {@link channelForbidden} before anything is sent. */
export const ChannelForbiddenSchema: Schema<ChannelForbiddenInput> = strictObject({
  pullId: idList(),
});

/** Definition of {@link channelForbidden}: path, schemas and retry safety. */
export const channelForbiddenAction: ActionDefinition<
  ChannelForbiddenInput,
  ChannelForbiddenOutput
> = {
  name: "channelForbidden",
  path: "/live/channelManage/channelForbidden",
  readOnly: false,
  input: ChannelForbiddenSchema,
  output: str,
};

/** Response data of {@link channelForbidden}. */
export type ChannelForbiddenOutput = string;

/**
 * Bans pushing to one or more channels (lifted automatically after 7 days).
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function channelForbidden(
  client: WangsuClient,
  input: ChannelForbiddenInput,
  options?: CallOptions,
): Promise<ChannelForbiddenOutput> {
  return callAction(client, channelForbiddenAction, input, options);
}
