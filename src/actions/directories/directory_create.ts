import * as v from "valibot";
import type { WangsuClient } from "../../client.ts";
import type { CallOptions } from "../../transport.ts";
import type { Schema } from "../../schema.ts";
import { type ActionDefinition, type ActionInfo, callAction } from "../../action.ts";
import { directoryLevel, firstLevelDirectory } from "../rules.ts";
import { type RecordDirectory, recordDirectorySchema } from "../directories/record_directory.ts";

/** Input of {@link directoryCreate}. */
export interface DirectoryCreateInput {
  /** A name for the directory, unique on the account: up to 40 letters, digits, underscores. */
  directoryType: string;
  /** First path level: lowercase letters, digits and `-`, up to 128; not starting with `cloudv`, not a reserved word. */
  firstLevelDirectory: string;
  /** Second path level: lowercase letters, digits and `-`, up to 128; not starting with `cloudv`. */
  secondLevelDirectory?: string;
  /** Third path level: lowercase letters, digits and `-`, up to 128; not starting with `cloudv`. */
  thirdLevelDirectory?: string;
}

/** Checks the input of {@link directoryCreate} before anything is sent. */
export const DirectoryCreateSchema: Schema<DirectoryCreateInput> = v.strictObject({
  directoryType: v.pipe(
    v.string(),
    v.regex(/^\w{1,40}$/, "must be 1 to 40 letters, digits or underscores"),
  ),
  firstLevelDirectory: firstLevelDirectory(),
  secondLevelDirectory: v.optional(directoryLevel()),
  thirdLevelDirectory: v.optional(directoryLevel()),
});

/** Response data of {@link directoryCreate}. */
export type DirectoryCreateOutput = RecordDirectory;

/** Definition of {@link directoryCreate}: path, schemas and retry safety. */
export const directoryCreateAction: ActionDefinition<DirectoryCreateInput, DirectoryCreateOutput> =
  {
    name: "directoryCreate",
    path: "/live/recordDirectoryManage/directoryCreate",
    readOnly: false,
    input: DirectoryCreateSchema,
    output: recordDirectorySchema,
  };

/** Where {@link directoryCreate} belongs and what it does, for the docs, the gateway and OpenAPI. */
export const directoryCreateInfo: ActionInfo = {
  resource: "directories",
  summary: "Creates a record directory that channels can store recordings in.",
};

/**
 * Creates a record directory that channels can store recordings in.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function directoryCreate(
  client: WangsuClient,
  input: DirectoryCreateInput,
  options?: CallOptions,
): Promise<DirectoryCreateOutput> {
  return callAction(client, directoryCreateAction, input, options);
}
