// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { int, str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { idList, optional } from "../rules.ts";

/** Input of {@link getRecordFileInfo}. */
export interface GetRecordFileInfoInput {
  /** Channel `pullId`s whose recordings to read, comma-separated. */
  pullIds?: string;
  /** Video ids, comma-separated. */
  videoIds?: string;
}

/** Checks the input of {@link getRecordFileInfo} before anything is sent. */
export const GetRecordFileInfoSchema: Schema<GetRecordFileInfoInput> = strictObject({
  pullIds: optional(idList),
  videoIds: optional(idList),
});

/** Definition of {@link getRecordFileInfo}: path, schemas and retry safety. */
export const getRecordFileInfoAction: ActionDefinition<
  GetRecordFileInfoInput,
  GetRecordFileInfoOutput
> = {
  name: "getRecordFileInfo",
  path: "/live/channelManage/getRecordFileInfo",
  readOnly: true,
  input: GetRecordFileInfoSchema,
  output: [{
    password: str,
    pullId: str,
    sharePageUrl: str,
    startTime: int,
    videoDuration: int,
    videoId: str,
    videoName: str,
  }],
};

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

/** Response data of {@link getRecordFileInfo}. */
export type GetRecordFileInfoOutput = RecordedVideo[];

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
  input?: GetRecordFileInfoInput,
  options?: CallOptions,
): Promise<GetRecordFileInfoOutput> {
  return callAction(client, getRecordFileInfoAction, input, options);
}
