// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { domain, id, matches, optional, pullProtocols, pullRates, text } from "../rules.ts";
import { type ChannelSettings, channelSettingsEntries } from "./channel_settings.ts";

/** Input of {@link createChannel}. */
export interface CreateChannelInput extends ChannelSettings {
  /** Display name, at most 255 characters. */
  channelName: string;
  /** Channel type configured on the push domain (letters, digits, underscores); it becomes the application part of the push URL. */
  channelType: string;
  /** Domain encoders push to; it must be set up on the account. */
  pushDomain: string;
  /** Play protocols, comma-separated: 0 RTMP (default), 1 HTTP-FLV, 2 HLS, 3 HDS (not 2 with 3); each must be enabled on the domain. */
  pullProtocol?: string;
  /** Play bit rates, comma-separated: 0 source, 1 smooth, 2 SD, 3 HD, 4 ultra HD; each must be transcoded by the domain. */
  pullRate: string;
  /** Player id; the default player when omitted. */
  playerId?: string;
}

/** Checks the input of {@link createChannel} before anything is sent. */
export const CreateChannelSchema: Schema<CreateChannelInput> = strictObject({
  ...channelSettingsEntries(),
  channelName: text(255),
  channelType: matches("^\\w+$", "must hold only letters, digits and underscores"),
  pushDomain: domain(),
  pullProtocol: optional(pullProtocols),
  pullRate: pullRates(),
  playerId: optional(id),
});

/** Definition of {@link createChannel}: path, schemas and retry safety. */
export const createChannelAction: ActionDefinition<
  CreateChannelInput,
  CreateChannelOutput
> = {
  name: "createChannel",
  path: "/live/channelManage/createChannel",
  readOnly: false,
  input: CreateChannelSchema,
  output: {
    createTime: str,
    pullId: str,
  },
};

/** The new channel's id and creation time. */
export interface CreateChannelOutput {
  /** Creation time, `YYYY-MM-DD hh:mm:ss` (China time). */
  createTime: string;
  /** The channel's `pullId`. */
  pullId: string;
}

/**
 * Creates a push-mode channel and returns its new `pullId`; push and play URLs are generated for it.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function createChannel(
  client: WangsuClient,
  input: CreateChannelInput,
  options?: CallOptions,
): Promise<CreateChannelOutput> {
  return callAction(client, createChannelAction, input, options);
}
