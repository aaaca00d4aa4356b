import * as v from "valibot";
import type { WangsuClient } from "../../client.ts";
import type { CallOptions } from "../../transport.ts";
import type { Schema } from "../../schema.ts";
import { type ActionDefinition, type ActionInfo, callAction } from "../../action.ts";
import { httpUrl, id, unixSeconds } from "../rules.ts";
import { type Shape, str } from "../wire.ts";

/** Input of {@link createRecordTask}. */
export interface CreateRecordTaskInput {
  /** The channel to record; it may have only one pending or running task. */
  pullId: string;
  /** Your own unique id for the task (at most 32 characters). */
  transNo?: string;
  /** `true` records from now (leave `startTime` out); `false` waits for `startTime`. */
  quickStart: boolean;
  /** When to start, Unix seconds (minute precision); required unless `quickStart` is true, which forbids it. */
  startTime?: number;
  /** When to stop, Unix seconds (minute precision); after the start, at most 72 hours later. */
  endTime: number;
  /** Where recording notifications are sent. */
  notifyUrl?: string;
  /** Recording format: `mp4` (default), `flv` or `m3u8`. */
  fileType?: "mp4" | "flv" | "m3u8";
  /** Join the pieces into one file; needs `fileType: "m3u8"`; not for third-party storage. */
  isConcat?: boolean;
  /** Record by pulling over HTTP (HTTP-FLV preferred, else HLS) instead of RTMP. */
  httpPullRecord?: boolean;
  /** Storage path (without suffix) for third-party storage. */
  key?: string;
}

const minute = (seconds: number) => Math.floor(seconds / 60);

/** Checks the input of {@link createRecordTask} before anything is sent. */
export const CreateRecordTaskSchema: Schema<CreateRecordTaskInput> = v.pipe(
  v.strictObject({
    pullId: id(),
    transNo: v.optional(v.pipe(id(), v.maxLength(32, "must be at most 32 characters"))),
    quickStart: v.boolean(),
    startTime: v.optional(unixSeconds()),
    endTime: unixSeconds(),
    notifyUrl: v.optional(httpUrl()),
    fileType: v.optional(
      v.picklist(["mp4", "flv", "m3u8"] as const, 'must be "mp4", "flv" or "m3u8"'),
    ),
    isConcat: v.optional(v.boolean()),
    httpPullRecord: v.optional(v.boolean()),
    key: v.optional(id()),
  }),
  v.forward(
    v.partialCheck(
      [["quickStart"], ["startTime"]],
      (input) => input.quickStart ? input.startTime === undefined : input.startTime !== undefined,
      "must be given when quickStart is false, and left out when it is true",
    ),
    ["startTime"],
  ),
  v.forward(
    v.partialCheck(
      [["startTime"], ["endTime"]],
      (input) => input.startTime === undefined || minute(input.endTime) > minute(input.startTime),
      "must be at least one minute after startTime (both are cut to the minute)",
    ),
    ["endTime"],
  ),
  v.forward(
    v.partialCheck(
      [["startTime"], ["endTime"]],
      (input) =>
        input.startTime === undefined || minute(input.endTime) - minute(input.startTime) <= 72 * 60,
      "must be at most 72 hours after startTime",
    ),
    ["endTime"],
  ),
  v.forward(
    v.partialCheck(
      [["isConcat"], ["fileType"]],
      (input) => !input.isConcat || input.fileType == "m3u8",
      'must be "m3u8" when isConcat is true',
    ),
    ["fileType"],
  ),
);

/** The recording task's id (the same one again for a repeated `transNo`). */
export interface CreateRecordTaskOutput {
  /** Task id. */
  taskId: string;
}

const createRecordTaskOutputSchema: Shape = {
  taskId: str,
};

/** Definition of {@link createRecordTask}: path, schemas and retry safety. */
export const createRecordTaskAction: ActionDefinition<
  CreateRecordTaskInput,
  CreateRecordTaskOutput
> = {
  name: "createRecordTask",
  path: "/live/channelManage/createRecordTask",
  readOnly: false,
  // The service creates one task per transNo, so a call that carries one is safe to repeat.
  repeatable: (input) => input.transNo !== undefined,
  input: CreateRecordTaskSchema,
  output: createRecordTaskOutputSchema,
};

/** Where {@link createRecordTask} belongs and what it does, for the docs, the gateway and OpenAPI. */
export const createRecordTaskInfo: ActionInfo = {
  resource: "recording",
  summary: "Schedules (or starts now) the recording of a channel between two times.",
};

/**
 * Schedules (or starts now) the recording of a channel between two times.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function createRecordTask(
  client: WangsuClient,
  input: CreateRecordTaskInput,
  options?: CallOptions,
): Promise<CreateRecordTaskOutput> {
  return callAction(client, createRecordTaskAction, input, options);
}
