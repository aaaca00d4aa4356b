// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { pipe, strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { int, str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { id, optional, orEmpty, taskIdOrTransNo, text } from "../rules.ts";

/** Input of {@link recordTaskQuery}. */
export interface RecordTaskQueryInput {
  /** Task id; used when both ids are given. */
  taskId?: string;
  /** Your own id given at creation. */
  transNo?: string;
}

/** Checks the input of {@link recordTaskQuery} before anything is sent. */
export const RecordTaskQuerySchema: Schema<RecordTaskQueryInput> = pipe(
  strictObject({
    taskId: optional(orEmpty(id(), "must be an id or empty")),
    transNo: optional(orEmpty(text(32), "must be an id of at most 32 characters, or empty")),
  }),
  taskIdOrTransNo(),
);

/** Definition of {@link recordTaskQuery}: path, schemas and retry safety. */
export const recordTaskQueryAction: ActionDefinition<
  RecordTaskQueryInput,
  RecordTaskQueryOutput
> = {
  name: "recordTaskQuery",
  path: "/live/channelManage/recordTaskQuery",
  readOnly: true,
  input: RecordTaskQuerySchema,
  output: {
    status: int,
    transNo: str,
    taskId: str,
    fileList: [{
      fileName: str,
      videoId: str,
      fileSize: str,
      videoDuration: str,
      startTime: str,
      endTime: str,
      fileUrl: str,
    }],
  },
};

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

/** Response data of {@link recordTaskQuery}. */
export type RecordTaskQueryOutput = RecordTask;

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
  input?: RecordTaskQueryInput,
  options?: CallOptions,
): Promise<RecordTaskQueryOutput> {
  return callAction(client, recordTaskQueryAction, input, options);
}
