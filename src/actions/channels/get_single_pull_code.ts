import * as v from "valibot";
import type { WangsuClient } from "../../client.ts";
import type { CallOptions } from "../../transport.ts";
import type { Schema } from "../../schema.ts";
import { type ActionDefinition, type ActionInfo, callAction } from "../../action.ts";
import { id, numberFlag, playerSize } from "../rules.ts";
import { type Shape, str } from "../wire.ts";
import { type PlayUrls, playUrlsEntries } from "./pull_urls.ts";

/** Input of {@link getSinglePullCode}. */
export interface GetSinglePullCodeInput {
  /** The channel's `pullId`. */
  pullId: string;
  /** Player id; the default player when omitted. */
  playerId?: string;
  /** Player size `W*H`: 480*360 (default) up to 1920*1080. */
  playerSize?: string;
  /** 1 plays automatically, 0 (default) waits for a click. */
  autoPlay?: 0 | 1;
  /** Which code to return: `"0"` all (default), `"2"` SWF, `"4"` video URLs, `"5"` adaptive. */
  codeType?: "0" | "2" | "4" | "5";
}

/** Checks the input of {@link getSinglePullCode} before anything is sent. */
export const GetSinglePullCodeSchema: Schema<GetSinglePullCodeInput> = v.strictObject({
  pullId: id(),
  playerId: v.optional(id()),
  playerSize: v.optional(playerSize()),
  autoPlay: v.optional(numberFlag()),
  codeType: v.optional(
    v.picklist(
      ["0", "2", "4", "5"] as const,
      'must be "0" (all), "2" (SWF), "4" (video URLs) or "5" (adaptive)',
    ),
  ),
});

/** Play URLs of one protocol. */
export interface PlayUrlEntry {
  /** Pull protocol. */
  pullProtocol: string;
  /** The URLs by bit rate. */
  urlInfo: PlayUrls;
}

const playUrlEntrySchema: Shape = {
  pullProtocol: str,
  /** The URLs by bit rate. */
  urlInfo: playUrlsEntries,
};

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

const playCodeSchema: Shape = {
  pullId: str,
  /** Play URLs by protocol. */
  videoUrl: [playUrlEntrySchema],
  /** Adaptive player code; empty for encrypted videos. */
  autoCode: str,
  /** Flash (SWF) embed code. */
  swfCode: str,
  /** SRT play URLs by protocol. */
  srtVideoUrl: [playUrlEntrySchema],
  /** Adaptive audio player code; empty for encrypted videos. */
  audioAutoCode: str,
};

/** Response data of {@link getSinglePullCode}. */
export type GetSinglePullCodeOutput = PlayCode;

/** Definition of {@link getSinglePullCode}: path, schemas and retry safety. */
export const getSinglePullCodeAction: ActionDefinition<
  GetSinglePullCodeInput,
  GetSinglePullCodeOutput
> = {
  name: "getSinglePullCode",
  path: "/live/channelManage/getSinglePullCode",
  readOnly: true,
  input: GetSinglePullCodeSchema,
  output: playCodeSchema,
};

/** Where {@link getSinglePullCode} belongs and what it does, for the docs, the gateway and OpenAPI. */
export const getSinglePullCodeInfo: ActionInfo = {
  resource: "channels",
  summary: "Gets a channel's embeddable player code and its play URLs.",
};

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
