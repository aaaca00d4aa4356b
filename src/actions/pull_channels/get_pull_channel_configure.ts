import * as v from "valibot";
import type { WangsuClient } from "../../client.ts";
import type { CallOptions } from "../../transport.ts";
import type { Schema } from "../../schema.ts";
import { type ActionDefinition, type ActionInfo, callAction } from "../../action.ts";
import { id } from "../rules.ts";
import { type Shape, str } from "../wire.ts";

/** Input of {@link getPullChannelConfigure}. */
export interface GetPullChannelConfigureInput {
  /** The channel's `pullId`. */
  pullId: string;
}

/** Checks the input of {@link getPullChannelConfigure} before anything is sent. */
export const GetPullChannelConfigureSchema: Schema<GetPullChannelConfigureInput> = v
  .strictObject({
    pullId: id(),
  });

/** A pull-mode channel's play URLs by bit rate. */
export interface SourcePullPlayUrls {
  /** Source bit rate. */
  originPullUrl: string;
  /** Smooth bit rate. */
  fluentPullUrl: string;
  /** Standard definition. */
  sdPullUrl: string;
  /** High definition. */
  highPullUrl: string;
  /** Ultra HD. */
  hdPullUrl: string;
}

const sourcePullPlayUrlsSchema: Shape = {
  /** Source bit rate. */
  originPullUrl: str,
  /** Smooth bit rate. */
  fluentPullUrl: str,
  /** Standard definition. */
  sdPullUrl: str,
  /** High definition. */
  highPullUrl: str,
  /** Ultra HD. */
  hdPullUrl: str,
};

/** Play URLs of one protocol for a pull-mode channel. */
export interface SourcePullPlayConfiguration {
  /** Pull protocol. */
  pullProtocol: string;
  /** Play URLs by bit rate. */
  pullUrlList: SourcePullPlayUrls[];
}

const sourcePullPlayConfigurationSchema: Shape = {
  pullProtocol: str,
  /** Play URLs by bit rate. */
  pullUrlList: [sourcePullPlayUrlsSchema],
};

/** An origin of a pull-mode channel and the play URLs fed from it. */
export interface SourcePullConfiguration {
  /** Origin URL. */
  sourcePullUrl: string;
  /** Origin protocol. */
  sourcePullProtocol: string;
  /** Play URLs by domain and protocol. */
  pullConfigureList: SourcePullPlayConfiguration[];
}

const sourcePullConfigurationSchema: Shape = {
  sourcePullUrl: str,
  sourcePullProtocol: str,
  /** Play URLs by domain and protocol. */
  pullConfigureList: [sourcePullPlayConfigurationSchema],
};

/** A pull-mode channel's settings with its origin and play URLs. */
export interface PullChannelConfiguration {
  /** Display name. */
  channelName: string;
  /** Live state: 1 live, 2 idle, 3 banned. */
  channelStatus: string;
  /** Creation time, `YYYY-MM-DD hh:mm:ss` (China time). */
  createTime: string;
  /** Who created it. */
  createUser: string;
  /** Player id, when one is set. */
  playerId?: string | null;
  /** Origin and play settings. */
  sourcePullConfigureInfoList: SourcePullConfiguration[];
}

const pullChannelConfigurationSchema: Shape = {
  channelName: str,
  channelStatus: str,
  createTime: str,
  createUser: str,
  playerId: "string?",
  /** Origin and play settings. */
  sourcePullConfigureInfoList: [sourcePullConfigurationSchema],
};

/** Response data of {@link getPullChannelConfigure}. */
export type GetPullChannelConfigureOutput = PullChannelConfiguration;

/** Definition of {@link getPullChannelConfigure}: path, schemas and retry safety. */
export const getPullChannelConfigureAction: ActionDefinition<
  GetPullChannelConfigureInput,
  GetPullChannelConfigureOutput
> = {
  name: "getPullChannelConfigure",
  path: "/live/channelManage/getPullChannelConfigure",
  readOnly: true,
  input: GetPullChannelConfigureSchema,
  output: pullChannelConfigurationSchema,
};

/** Where {@link getPullChannelConfigure} belongs and what it does, for the docs, the gateway and OpenAPI. */
export const getPullChannelConfigureInfo: ActionInfo = {
  resource: "pull-channels",
  summary: "Reads a pull-mode channel's settings with its origin and play URLs.",
};

/**
 * Reads a pull-mode channel's settings with its origin and play URLs.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function getPullChannelConfigure(
  client: WangsuClient,
  input: GetPullChannelConfigureInput,
  options?: CallOptions,
): Promise<GetPullChannelConfigureOutput> {
  return callAction(client, getPullChannelConfigureAction, input, options);
}
