// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { int, str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { id, matches, optional, pageIndex, pageSize } from "../rules.ts";

/** Input of {@link getForwardTaskList}. */
export interface GetForwardTaskListInput {
  /** Only tasks of this channel. */
  pullId?: string;
  /** Only this task. */
  taskId?: string;
  /** Task states to include, joined by `-`: 0 not started, 1 relaying, 2 ended, 3 failed. */
  status?: string;
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

/** Checks the input of {@link getForwardTaskList} before anything is sent. */
export const GetForwardTaskListSchema: Schema<GetForwardTaskListInput> = strictObject({
  pullId: optional(id),
  taskId: optional(id),
  status: optional(
    matches("^[0-3](?:-[0-3])*$", 'must be task states 0 to 3 joined by "-", e.g. "0-1"'),
  ),
  pageIndex: optional(pageIndex),
  pageSize: optional(pageSize),
});

/** Definition of {@link getForwardTaskList}: path, schemas and retry safety. */
export const getForwardTaskListAction: ActionDefinition<
  GetForwardTaskListInput,
  GetForwardTaskListOutput
> = {
  name: "getForwardTaskList",
  path: "/live/forwardTask/getForwardTaskList",
  readOnly: true,
  input: GetForwardTaskListSchema,
  output: {
    total: int,
    forwardTastList: {
      $oneOrMany: {
        taskId: str,
        pullId: str,
        status: int,
        forwardUrl: str,
        startTime: int,
        endTime: int,
        notifyUrl: str,
        createUser: str,
        crreateTime: int,
        codingParams: {
          bitrate: int,
          resolution: str,
          frameRate: int,
          vcodec: str,
          acodec: str,
          wmimage: str,
          wmposition: str,
        },
      },
    },
  },
};

/** How a relayed stream is transcoded. */
export interface ForwardCodingParams {
  /** Bit rate, kbit/s. */
  bitrate: number;
  /** Resolution `WxH`, e.g. `1280x720`. */
  resolution: string;
  /** Frames per second. */
  frameRate: number;
  /** Video codec, e.g. `libx264`. */
  vcodec: string;
  /** Audio codec, e.g. `libfaac`. */
  acodec: string;
  /** Watermark image URL. */
  wmimage: string;
  /** Watermark position. */
  wmposition: string;
}

/** A relay task: where a channel's stream goes, when, and its state. */
export interface ForwardTask {
  /** Task id. */
  taskId: string;
  /** The channel's `pullId`. */
  pullId: string;
  /** Task state. */
  status: number;
  /** Relay target. */
  forwardUrl: string;
  /** Start. */
  startTime: number;
  /** End. */
  endTime: number;
  /** Notification URL. */
  notifyUrl: string;
  /** Who created it. */
  createUser: string;
  /** Creation time, Unix seconds (the wire name's typo is the service's). */
  crreateTime: number;
  /** Transcoding settings. */
  codingParams: ForwardCodingParams;
}

/** One page of relay tasks. */
export interface GetForwardTaskListOutput {
  /** Items on this page. */
  total: number;
  /** The tasks on this page (the wire name's typo is the service's). */
  forwardTastList: ForwardTask[];
}

/**
 * Lists relay tasks, filtered by channel, task or status (see `paginateForwardTaskList`).
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function getForwardTaskList(
  client: WangsuClient,
  input?: GetForwardTaskListInput,
  options?: CallOptions,
): Promise<GetForwardTaskListOutput> {
  return callAction(client, getForwardTaskListAction, input, options);
}
