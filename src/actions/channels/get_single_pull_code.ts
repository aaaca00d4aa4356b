// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { id, numberFlag, oneOf, optional, playerSize } from "../rules.ts";
import { type PlayUrls, playUrlsShape } from "./pull_urls.ts";

/** Input of {@link getSinglePullCode}. */
export interface GetSinglePullCodeInput {
  /** The channel's `pullId`. */
  pullId: string;
  /** Player id; the default player when omitted. */
  playerId?: string;
  /**
   * Player size `W*H`: 480*360 (default) up to 1920*1080.
   *
   * @default "480*360"
   */
  playerSize?: string;
  /**
   * 1 plays automatically, 0 (default) waits for a click.
   *
   * @default 0
   */
  autoPlay?: 0 | 1;
  /**
   * Which code to return: `"0"` all (default), `"2"` SWF, `"4"` video URLs, `"5"` adaptive.
   *
   * @default "0"
   */
  codeType?: "0" | "2" | "4" | "5";
}

/** Checks the input of {@link getSinglePullCode} before anything is sent. */
export const GetSinglePullCodeSchema: Schema<GetSinglePullCodeInput> = strictObject({
  pullId: id(),
  playerId: optional(id),
  playerSize: optional(playerSize),
  autoPlay: optional(numberFlag),
  codeType: optional(
    oneOf(["0", "2", "4", "5"], 'must be "0" (all), "2" (SWF), "4" (video URLs) or "5" (adaptive)'),
  ),
});

/** Definition of {@link getSinglePullCode}: path, schemas and retry safety. */
export const getSinglePullCodeAction: ActionDefinition<
  GetSinglePullCodeInput,
  GetSinglePullCodeOutput
> = {
  name: "getSinglePullCode",
  path: "/live/channelManage/getSinglePullCode",
  readOnly: true,
  input: GetSinglePullCodeSchema,
  output: {
    pullId: str,
    videoUrl: [{
      pullProtocol: str,
      urlInfo: playUrlsShape,
    }],
    autoCode: str,
    swfCode: str,
    srtVideoUrl: [{
      pullProtocol: str,
      urlInfo: playUrlsShape,
    }],
    audioAutoCode: str,
  },
};

/** Play URLs of one protocol. */
export interface PlayUrlEntry {
  /** Pull protocol. */
  pullProtocol: string;
  /** The URLs by bit rate. */
  urlInfo: PlayUrls;
}

/** Play URLs of one protocol. */
export interface PlayUrlEntry {
  /** Pull protocol. */
  pullProtocol: string;
  /** The URLs by bit rate. */
  urlInfo: PlayUrls;
}

/** Player embed code and play URLs of a channel. */
export interface PlayCode {
  /** The channel's `pullId`. */
  pullId: string;
  /** Play URLs by protocol. */
  videoUrl: PlayUrlEntry[];
  /** Adaptive player code; empty for encrypted videos. */
  autoCode: string;
  /** Flash (SWF) embed code. */
  swfCode: string;
  /** SRT play URLs by protocol. */
  srtVideoUrl: PlayUrlEntry[];
  /** Adaptive audio player code; empty for encrypted videos. */
  audioAutoCode: string;
}

/** Response data of {@link getSinglePullCode}. */
export type GetSinglePullCodeOutput = PlayCode;

/**
 * Gets a channel's embeddable player code and its play URLs.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function getSinglePullCode(
  client: WangsuClient,
  input: GetSinglePullCodeInput,
  options?: CallOptions,
): Promise<GetSinglePullCodeOutput> {
  return callAction(client, getSinglePullCodeAction, input, options);
}
