import * as v from "valibot";
import type { WangsuClient } from "../../client.ts";
import type { CallOptions } from "../../transport.ts";
import type { Schema } from "../../schema.ts";
import { type ActionDefinition, type ActionInfo, callAction } from "../../action.ts";
import { idList } from "../rules.ts";
import { int, type Shape, str } from "../wire.ts";

/** Input of {@link getRecordFileInfo}. */
export interface GetRecordFileInfoInput {
  /** Channel `pullId`s whose recordings to read, comma-separated. */
  pullIds?: string;
  /** Video ids, comma-separated. */
  videoIds?: string;
}

/** Checks the input of {@link getRecordFileInfo} before anything is sent. */
export const GetRecordFileInfoSchema: Schema<GetRecordFileInfoInput> = v.strictObject({
  pullIds: v.optional(idList()),
  videoIds: v.optional(idList()),
});

/** A recorded video with its share page. */
export interface RecordedVideo {
  /** Viewing password, if any. */
  password: string;
  /** The channel's `pullId`. */
  pullId: string;
  /** Share page URL; empty for encrypted videos. */
  sharePageUrl: string;
  /** Start. */
  startTime: number;
  /** Duration. */
  videoDuration: number;
  /** Video id. */
  videoId: string;
  /** Video name. */
  videoName: string;
}

const recordedVideoSchema: Shape = {
  /** Viewing password, if any. */
  password: str,
  pullId: str,
  /** Share page URL; empty for encrypted videos. */
  sharePageUrl: str,
  startTime: int,
  /** Duration. */
  videoDuration: int,
  /** Video id. */
  videoId: str,
  /** Video name. */
  videoName: str,
};

/** Response data of {@link getRecordFileInfo}. */
export type GetRecordFileInfoOutput = RecordedVideo[];

/** Definition of {@link getRecordFileInfo}: path, schemas and retry safety. */
export const getRecordFileInfoAction: ActionDefinition<
  GetRecordFileInfoInput,
  GetRecordFileInfoOutput
> = {
  name: "getRecordFileInfo",
  path: "/live/channelManage/getRecordFileInfo",
  readOnly: true,
  input: GetRecordFileInfoSchema,
  output: [recordedVideoSchema],
};

/** Where {@link getRecordFileInfo} belongs and what it does, for the docs, the gateway and OpenAPI. */
export const getRecordFileInfoInfo: ActionInfo = {
  resource: "recording",
  summary: "Reads recorded videos by channel or by video id.",
};

/**
 * Reads recorded videos by channel or by video id.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function getRecordFileInfo(
  client: WangsuClient,
  input: GetRecordFileInfoInput = {},
  options?: CallOptions,
): Promise<GetRecordFileInfoOutput> {
  return callAction(client, getRecordFileInfoAction, input, options);
}
