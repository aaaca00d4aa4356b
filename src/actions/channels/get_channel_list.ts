// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { int, str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { id, listOrder, optional, pageIndex, pageSize } from "../rules.ts";

/** Input of {@link getChannelList}. */
export interface GetChannelListInput {
  /**
   * Order by creation time: 0 newest first (default), 1 oldest first.
   *
   * @default 0
   */
  listOrder?: 0 | 1;
  /**
   * Page number, from 1 (default 1).
   *
   * @default 1
   */
  pageIndex?: number;
  /**
   * Items per page, 1 to 50 (default 10).
   *
   * @default 10
   */
  pageSize?: number;
  /** Application scenario; it must already exist. */
  appScenario?: string;
}

/** Checks the input of {@link getChannelList} before anything is sent. */
export const GetChannelListSchema: Schema<GetChannelListInput> = strictObject({
  listOrder: optional(listOrder),
  pageIndex: optional(pageIndex),
  pageSize: optional(pageSize),
  appScenario: optional(id),
});

/** Definition of {@link getChannelList}: path, schemas and retry safety. */
export const getChannelListAction: ActionDefinition<
  GetChannelListInput,
  GetChannelListOutput
> = {
  name: "getChannelList",
  path: "/live/channelManage/getChannelList",
  readOnly: true,
  input: GetChannelListSchema,
  output: {
    channelList: [{
      appScenario: str,
      channelName: str,
      channelStatus: int,
      channelType: str,
      createTime: str,
      directoryId: "string?",
      live2vod: str,
      pullId: str,
      pushUrl: str,
      srtPushUrl: str,
      userId: str,
    }],
    channelToal: int,
  },
};

/** A push-mode channel as listed: identity, state and push URLs. */
export interface ChannelSummary {
  /** Application scenario. */
  appScenario: string;
  /** Display name. */
  channelName: string;
  /** Live state: 1 live, 2 idle, 3 banned. */
  channelStatus: number;
  /** Channel type (push URL application). */
  channelType: string;
  /** Creation time, `YYYY-MM-DD hh:mm:ss` (China time). */
  createTime: string;
  /** Record directory id, when one is set. */
  directoryId?: string | null;
  /** Every push recorded: `"1"` yes, `"0"` no. */
  live2vod: string;
  /** The channel's `pullId`. */
  pullId: string;
  /** Push URL for encoders. */
  pushUrl: string;
  /** Push URL for SRT encoders. */
  srtPushUrl: string;
  /** Account that created the channel. */
  userId: string;
}

/** One page of push-mode channels. */
export interface GetChannelListOutput {
  /** The channels on this page. */
  channelList: ChannelSummary[];
  /** Items on this page (not the total; the wire name's typo is the service's). */
  channelToal: number;
}

/**
 * Lists channels a page at a time (see `paginateChannelList`).
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function getChannelList(
  client: WangsuClient,
  input?: GetChannelListInput,
  options?: CallOptions,
): Promise<GetChannelListOutput> {
  return callAction(client, getChannelListAction, input, options);
}
