// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import type { CallOptions } from "../../transport.ts";
import { id } from "../rules.ts";
import { type RecordDirectory, recordDirectoryShape } from "./record_directory.ts";

/** Input of {@link getDirectory}. */
export interface GetDirectoryInput {
  /** Record directory id (from `directoryCreate`). */
  directoryId: string;
}

/** Checks the input of {@link getDirectory} before anything is sent. */
export const GetDirectorySchema: Schema<GetDirectoryInput> = strictObject({
  directoryId: id(),
});

/** Definition of {@link getDirectory}: path, schemas and retry safety. */
export const getDirectoryAction: ActionDefinition<
  GetDirectoryInput,
  GetDirectoryOutput
> = {
  name: "getDirectory",
  path: "/live/recordDirectoryManage/getDirectory",
  readOnly: true,
  input: GetDirectorySchema,
  output: recordDirectoryShape,
};

/** Response data of {@link getDirectory}. */
export type GetDirectoryOutput = RecordDirectory;

/**
 * Reads one record directory.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function getDirectory(
  client: WangsuClient,
  input: GetDirectoryInput,
  options?: CallOptions,
): Promise<GetDirectoryOutput> {
  return callAction(client, getDirectoryAction, input, options);
}
