// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { listOrder, optional, pageIndex, pageSize } from "../rules.ts";

/** Input of {@link getPullChannelList}. */
export interface GetPullChannelListInput {
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
}

/** Checks the input of {@link getPullChannelList} before anything is sent. */
export const GetPullChannelListSchema: Schema<GetPullChannelListInput> = strictObject({
  listOrder: optional(listOrder),
  pageIndex: optional(pageIndex),
  pageSize: optional(pageSize),
});

/** Definition of {@link getPullChannelList}: path, schemas and retry safety. */
export const getPullChannelListAction: ActionDefinition<
  GetPullChannelListInput,
  GetPullChannelListOutput
> = {
  name: "getPullChannelList",
  path: "/live/channelManage/getPullChannelList",
  readOnly: true,
  input: GetPullChannelListSchema,
  output: {
    channelToal: str,
    channelList: [{
      channelName: str,
      channelType: str,
      sourcePullProtocol: str,
      sourcePullUrl: str,
      createTime: str,
      userId: str,
      pullId: str,
    }],
  },
};

/** A pull-mode channel as listed: identity and origin. */
export interface PullChannelSummary {
  /** Display name. */
  channelName: string;
  /** Channel type (push URL application). */
  channelType: string;
  /** Origin protocol. */
  sourcePullProtocol: string;
  /** Origin URL. */
  sourcePullUrl: string;
  /** Creation time, `YYYY-MM-DD hh:mm:ss` (China time). */
  createTime: string;
  /** Account that created the channel. */
  userId: string;
  /** The channel's `pullId`. */
  pullId: string;
}

/** One page of pull-mode channels. */
export interface GetPullChannelListOutput {
  /** Items on this page (not the total; the wire name's typo is the service's). */
  channelToal: string;
  /** The channels on this page. */
  channelList: PullChannelSummary[];
}

/**
 * Lists pull-mode channels a page at a time (see `paginatePullChannelList`).
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function getPullChannelList(
  client: WangsuClient,
  input?: GetPullChannelListInput,
  options?: CallOptions,
): Promise<GetPullChannelListOutput> {
  return callAction(client, getPullChannelListAction, input, options);
}
