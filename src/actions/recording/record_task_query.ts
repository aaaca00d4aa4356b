import * as v from "valibot";
import type { WangsuClient } from "../../client.ts";
import type { CallOptions } from "../../transport.ts";
import type { Schema } from "../../schema.ts";
import { type ActionDefinition, type ActionInfo, callAction } from "../../action.ts";
import { id } from "../rules.ts";
import { int, type Shape, str } from "../wire.ts";

/** Input of {@link recordTaskQuery}. */
export interface RecordTaskQueryInput {
  /** Task id; used when both ids are given. */
  taskId?: string;
  /** Your own id given at creation. */
  transNo?: string;
}

/** Checks the input of {@link recordTaskQuery} before anything is sent. */
export const RecordTaskQuerySchema: Schema<RecordTaskQueryInput> = v.pipe(
  v.strictObject({
    // One of the two may be empty while the other is given (checked below).
    taskId: v.optional(v.union([v.literal(""), id()], "must be an id or empty")),
    transNo: v.optional(
      v.union([
        v.literal(""),
        v.pipe(id(), v.maxLength(32, "must be at most 32 characters")),
      ], "must be an id of at most 32 characters, or empty"),
    ),
  }),
  v.forward(
    v.check((input) => !!(input.taskId || input.transNo), "is required unless transNo is given"),
    ["taskId"],
  ),
);

/** A file a recording task produced. */
export interface RecordedFile {
  /** File name. */
  fileName: string;
  /** Video id. */
  videoId: string;
  /** Size. */
  fileSize: string;
  /** Duration. */
  videoDuration: string;
  /** Start. */
  startTime: string;
  /** End. */
  endTime: string;
  /** Where the file can be fetched. */
  fileUrl: string;
}

const recordedFileSchema: Shape = {
  /** File name. */
  fileName: str,
  /** Video id. */
  videoId: str,
  /** Size. */
  fileSize: str,
  /** Duration. */
  videoDuration: str,
  startTime: str,
  endTime: str,
  /** Where the file can be fetched. */
  fileUrl: str,
};

/** A recording task's state and the files it has produced. */
export interface RecordTask {
  /** Task state. */
  status: number;
  /** Your own id given at creation. */
  transNo: string;
  /** Task id. */
  taskId: string;
  /** Files recorded so far. */
  fileList: RecordedFile[];
}

const recordTaskSchema: Shape = {
  status: int,
  transNo: str,
  taskId: str,
  fileList: [recordedFileSchema],
};

/** Response data of {@link recordTaskQuery}. */
export type RecordTaskQueryOutput = RecordTask;

/** Definition of {@link recordTaskQuery}: path, schemas and retry safety. */
export const recordTaskQueryAction: ActionDefinition<RecordTaskQueryInput, RecordTaskQueryOutput> =
  {
    name: "recordTaskQuery",
    path: "/live/channelManage/recordTaskQuery",
    readOnly: true,
    input: RecordTaskQuerySchema,
    output: recordTaskSchema,
  };

/** Where {@link recordTaskQuery} belongs and what it does, for the docs, the gateway and OpenAPI. */
export const recordTaskQueryInfo: ActionInfo = {
  resource: "recording",
  summary: "Reads a recording task's status and the files it has produced.",
};

/**
 * Reads a recording task's status and the files it has produced.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function recordTaskQuery(
  client: WangsuClient,
  input: RecordTaskQueryInput = {},
  options?: CallOptions,
): Promise<RecordTaskQueryOutput> {
  return callAction(client, recordTaskQueryAction, input, options);
}
