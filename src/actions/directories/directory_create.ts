// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import type { CallOptions } from "../../transport.ts";
import { directoryLevel, firstLevelDirectory, matches, optional } from "../rules.ts";
import { type RecordDirectory, recordDirectoryShape } from "./record_directory.ts";

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
export const DirectoryCreateSchema: Schema<DirectoryCreateInput> = strictObject({
  directoryType: matches("^\\w{1,40}$", "must be 1 to 40 letters, digits or underscores"),
  firstLevelDirectory: firstLevelDirectory(),
  secondLevelDirectory: optional(directoryLevel),
  thirdLevelDirectory: optional(directoryLevel),
});

/** Definition of {@link directoryCreate}: path, schemas and retry safety. */
export const directoryCreateAction: ActionDefinition<
  DirectoryCreateInput,
  DirectoryCreateOutput
> = {
  name: "directoryCreate",
  path: "/live/recordDirectoryManage/directoryCreate",
  readOnly: false,
  input: DirectoryCreateSchema,
  output: recordDirectoryShape,
};

/** Response data of {@link directoryCreate}. */
export type DirectoryCreateOutput = RecordDirectory;

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
