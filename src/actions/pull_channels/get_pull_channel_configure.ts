// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { id } from "../rules.ts";

/** Input of {@link getPullChannelConfigure}. */
export interface GetPullChannelConfigureInput {
  /** The channel's `pullId`. */
  pullId: string;
}

/** Checks the input of {@link getPullChannelConfigure} before anything is sent. */
export const GetPullChannelConfigureSchema: Schema<GetPullChannelConfigureInput> = strictObject({
  pullId: id(),
});

/** Definition of {@link getPullChannelConfigure}: path, schemas and retry safety. */
export const getPullChannelConfigureAction: ActionDefinition<
  GetPullChannelConfigureInput,
  GetPullChannelConfigureOutput
> = {
  name: "getPullChannelConfigure",
  path: "/live/channelManage/getPullChannelConfigure",
  readOnly: true,
  input: GetPullChannelConfigureSchema,
  output: {
    channelName: str,
    channelStatus: str,
    createTime: str,
    createUser: str,
    playerId: "string?",
    sourcePullConfigureInfoList: [{
      sourcePullUrl: str,
      sourcePullProtocol: str,
      pullConfigureList: [{
        pullProtocol: str,
        pullUrlList: [{
          originPullUrl: str,
          fluentPullUrl: str,
          sdPullUrl: str,
          highPullUrl: str,
          hdPullUrl: str,
        }],
      }],
    }],
  },
};

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

/** Play URLs of one protocol for a pull-mode channel. */
export interface SourcePullPlayConfiguration {
  /** Pull protocol. */
  pullProtocol: string;
  /** Play URLs by bit rate. */
  pullUrlList: SourcePullPlayUrls[];
}

/** An origin of a pull-mode channel and the play URLs fed from it. */
export interface SourcePullConfiguration {
  /** Origin URL. */
  sourcePullUrl: string;
  /** Origin protocol. */
  sourcePullProtocol: string;
  /** Play URLs by domain and protocol. */
  pullConfigureList: SourcePullPlayConfiguration[];
}

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

/** Response data of {@link getPullChannelConfigure}. */
export type GetPullChannelConfigureOutput = PullChannelConfiguration;

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
