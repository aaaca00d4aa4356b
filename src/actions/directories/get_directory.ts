import * as v from "valibot";
import type { WangsuClient } from "../../client.ts";
import type { CallOptions } from "../../transport.ts";
import type { Schema } from "../../schema.ts";
import { type ActionDefinition, type ActionInfo, callAction } from "../../action.ts";
import { id } from "../rules.ts";
import { type RecordDirectory, recordDirectorySchema } from "../directories/record_directory.ts";

/** Input of {@link getDirectory}. */
export interface GetDirectoryInput {
  /** Record directory id (from `directoryCreate`). */
  directoryId: string;
}

/** Checks the input of {@link getDirectory} before anything is sent. */
export const GetDirectorySchema: Schema<GetDirectoryInput> = v.strictObject({
  directoryId: id(),
});

/** Response data of {@link getDirectory}. */
export type GetDirectoryOutput = RecordDirectory;

/** Definition of {@link getDirectory}: path, schemas and retry safety. */
export const getDirectoryAction: ActionDefinition<GetDirectoryInput, GetDirectoryOutput> = {
  name: "getDirectory",
  path: "/live/recordDirectoryManage/getDirectory",
  readOnly: true,
  input: GetDirectorySchema,
  output: recordDirectorySchema,
};

/** Where {@link getDirectory} belongs and what it does, for the docs, the gateway and OpenAPI. */
export const getDirectoryInfo: ActionInfo = {
  resource: "directories",
  summary: "Reads one record directory.",
};

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
