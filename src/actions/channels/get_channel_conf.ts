// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { int, str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { id } from "../rules.ts";
import { type PullConfiguration, pullConfigurationShape } from "./pull_urls.ts";

/** Input of {@link getChannelConf}. */
export interface GetChannelConfInput {
  /** The channel's `pullId`. */
  pullId: string;
}

/** Checks the input of {@link getChannelConf} before anything is sent. */
export const GetChannelConfSchema: Schema<GetChannelConfInput> = strictObject({
  pullId: id(),
});

/** Definition of {@link getChannelConf}: path, schemas and retry safety. */
export const getChannelConfAction: ActionDefinition<
  GetChannelConfInput,
  GetChannelConfOutput
> = {
  name: "getChannelConf",
  path: "/live/channelManage/getChannelConfigure",
  readOnly: true,
  input: GetChannelConfSchema,
  output: {
    appScenario: str,
    channelName: str,
    channelStatus: int,
    createTime: str,
    createUser: str,
    directoryId: "string?",
    live2vod: str,
    playerId: "string?",
    videoEncrypted: int,
    hlsEncryptDuration: int,
    pullConfigureList: [pullConfigurationShape],
    pushConfigureInfo: [{
      pushProtocol: str,
      pushUrl: str,
    }],
    srtPullConfigureList: [pullConfigurationShape],
  },
};

/** A push URL and its protocol. */
export interface PushConfiguration {
  /** Push protocol. */
  pushProtocol: string;
  /** Push URL for encoders. */
  pushUrl: string;
}

/** A push-mode channel's settings with its push URLs and every play URL. */
export interface ChannelConfiguration {
  /** Application scenario. */
  appScenario: string;
  /** Display name. */
  channelName: string;
  /** Live state: 1 live, 2 idle, 3 banned. */
  channelStatus: number;
  /** Creation time, `YYYY-MM-DD hh:mm:ss` (China time). */
  createTime: string;
  /** Who created it. */
  createUser: string;
  /** Record directory id, when one is set. */
  directoryId?: string | null;
  /** Every push recorded: `"1"` yes, `"0"` no. */
  live2vod: string;
  /** Player id, when one is set. */
  playerId?: string | null;
  /** Encryption: 0 none, 1 HLS, 2 DRM. */
  videoEncrypted: number;
  /** HLS key lifetime, seconds. */
  hlsEncryptDuration: number;
  /** Play URLs by domain and protocol. */
  pullConfigureList: PullConfiguration[];
  /** Push URLs by protocol. */
  pushConfigureInfo: PushConfiguration[];
  /** SRT play URLs by domain and protocol. */
  srtPullConfigureList: PullConfiguration[];
}

/** Response data of {@link getChannelConf}. */
export type GetChannelConfOutput = ChannelConfiguration;

/**
 * Reads a push-mode channel's settings with its push URL and every play URL.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function getChannelConf(
  client: WangsuClient,
  input: GetChannelConfInput,
  options?: CallOptions,
): Promise<GetChannelConfOutput> {
  return callAction(client, getChannelConfAction, input, options);
}
