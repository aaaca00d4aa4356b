import * as v from "valibot";
import type { WangsuClient } from "../../client.ts";
import type { CallOptions } from "../../transport.ts";
import type { Schema } from "../../schema.ts";
import { type ActionDefinition, type ActionInfo, callAction } from "../../action.ts";
import { id, pullRates, stringFlag, text } from "../rules.ts";
import { type ChannelSettings, channelSettingsEntries } from "./channel_settings.ts";
import { type Shape, str } from "../wire.ts";

/** Input of {@link channelEdit}. */
export interface ChannelEditInput extends ChannelSettings {
  /** The channel's `pullId`. */
  pullId: string;
  /** New display name, at most 255 characters. */
  channelName?: string;
  /** `"1"` issues a new push id (and push URL); `"0"` (default) keeps it. */
  resetPushId?: "0" | "1";
  /** Play bit rates, comma-separated: 0 source, 1 smooth, 2 SD, 3 HD, 4 ultra HD; each must be transcoded by the domain. */
  pullRate?: string;
}

/** Checks the input of {@link channelEdit} before anything is sent. */
export const ChannelEditSchema: Schema<ChannelEditInput> = v.strictObject({
  ...channelSettingsEntries(),
  pullId: id(),
  channelName: v.optional(text(255)),
  resetPushId: v.optional(stringFlag()),
  pullRate: v.optional(pullRates()),
});

/** The edited channel's name and (possibly new) push URLs. */
export interface ChannelEditOutput {
  /** Display name. */
  channelName: string;
  /** Push URL for encoders. */
  pushUrl: string;
  /** Push URL for SRT encoders. */
  srtPushUrl: string;
}

const channelEditOutputSchema: Shape = {
  channelName: str,
  pushUrl: str,
  srtPushUrl: str,
};

/** Definition of {@link channelEdit}: path, schemas and retry safety. */
export const channelEditAction: ActionDefinition<ChannelEditInput, ChannelEditOutput> = {
  name: "channelEdit",
  path: "/live/channelManage/channelEdit",
  readOnly: false,
  input: ChannelEditSchema,
  output: channelEditOutputSchema,
};

/** Where {@link channelEdit} belongs and what it does, for the docs, the gateway and OpenAPI. */
export const channelEditInfo: ActionInfo = {
  resource: "channels",
  summary:
    "Changes a channel's settings (name, bit rates, recording, encryption, ...) or issues a new push URL.",
};

/**
 * Changes a channel's settings (name, bit rates, recording, encryption, ...) or issues a new push URL.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function channelEdit(
  client: WangsuClient,
  input: ChannelEditInput,
  options?: CallOptions,
): Promise<ChannelEditOutput> {
  return callAction(client, channelEditAction, input, options);
}
