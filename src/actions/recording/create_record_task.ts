// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { boolean, pipe, strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import {
  atMost72Hours,
  concatNeedsM3u8,
  endAfterStartMinute,
  httpUrl,
  id,
  oneOf,
  optional,
  startTimeUnlessQuickStart,
  text,
  unixSeconds,
} from "../rules.ts";

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
  /**
   * Recording format: `mp4` (default), `flv` or `m3u8`.
   *
   * @default "mp4"
   */
  fileType?: "mp4" | "flv" | "m3u8";
  /** Join the pieces into one file; needs `fileType: "m3u8"`; not for third-party storage. */
  isConcat?: boolean;
  /** Record by pulling over HTTP (HTTP-FLV preferred, else HLS) instead of RTMP. */
  httpPullRecord?: boolean;
  /** Storage path (without suffix) for third-party storage. */
  key?: string;
}

/** Checks the input of {@link createRecordTask} before anything is sent. */
export const CreateRecordTaskSchema: Schema<CreateRecordTaskInput> = pipe(
  strictObject({
    pullId: id(),
    transNo: optional(text(32)),
    quickStart: boolean(),
    startTime: optional(unixSeconds),
    endTime: unixSeconds(),
    notifyUrl: optional(httpUrl),
    fileType: optional(oneOf(["mp4", "flv", "m3u8"], 'must be "mp4", "flv" or "m3u8"')),
    isConcat: optional(boolean),
    httpPullRecord: optional(boolean),
    key: optional(id),
  }),
  startTimeUnlessQuickStart(),
  endAfterStartMinute(),
  atMost72Hours(),
  concatNeedsM3u8(),
);

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
  output: {
    taskId: str,
  },
};

/** The recording task's id (the same one again for a repeated `transNo`). */
export interface CreateRecordTaskOutput {
  /** Task id. */
  taskId: string;
}

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
