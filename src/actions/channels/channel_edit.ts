// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { id, optional, pullRates, stringFlag, text } from "../rules.ts";
import { type ChannelSettings, channelSettingsEntries } from "./channel_settings.ts";

/** Input of {@link channelEdit}. */
export interface ChannelEditInput extends ChannelSettings {
  /** The channel's `pullId`. */
  pullId: string;
  /** New display name, at most 255 characters. */
  channelName?: string;
  /**
   * `"1"` issues a new push id (and push URL); `"0"` (default) keeps it.
   *
   * @default "0"
   */
  resetPushId?: "0" | "1";
  /** Play bit rates, comma-separated: 0 source, 1 smooth, 2 SD, 3 HD, 4 ultra HD; each must be transcoded by the domain. */
  pullRate?: string;
}

/** Checks the input of {@link channelEdit} before anything is sent. */
export const ChannelEditSchema: Schema<ChannelEditInput> = strictObject({
  ...channelSettingsEntries(),
  pullId: id(),
  channelName: optional(text(255)),
  resetPushId: optional(stringFlag),
  pullRate: optional(pullRates),
});

/** Definition of {@link channelEdit}: path, schemas and retry safety. */
export const channelEditAction: ActionDefinition<
  ChannelEditInput,
  ChannelEditOutput
> = {
  name: "channelEdit",
  path: "/live/channelManage/channelEdit",
  readOnly: false,
  input: ChannelEditSchema,
  output: {
    channelName: str,
    pushUrl: str,
    srtPushUrl: str,
  },
};

/** The edited channel's name and (possibly new) push URLs. */
export interface ChannelEditOutput {
  /** Display name. */
  channelName: string;
  /** Push URL for encoders. */
  pushUrl: string;
  /** Push URL for SRT encoders. */
  srtPushUrl: string;
}

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
