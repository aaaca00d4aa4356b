// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { int } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { optional, pageIndex, pageSize } from "../rules.ts";
import { type RecordDirectory, recordDirectoryShape } from "./record_directory.ts";

/** Input of {@link getDirectoryList}. */
export interface GetDirectoryListInput {
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

/** Checks the input of {@link getDirectoryList} before anything is sent. */
export const GetDirectoryListSchema: Schema<GetDirectoryListInput> = strictObject({
  pageIndex: optional(pageIndex),
  pageSize: optional(pageSize),
});

/** Definition of {@link getDirectoryList}: path, schemas and retry safety. */
export const getDirectoryListAction: ActionDefinition<
  GetDirectoryListInput,
  GetDirectoryListOutput
> = {
  name: "getDirectoryList",
  path: "/live/recordDirectoryManage/getDirectoryList",
  readOnly: true,
  input: GetDirectoryListSchema,
  output: {
    $oneOrMany: {
      totalCount: int,
      directoryList: [recordDirectoryShape],
    },
  },
};

/** One page of record directories, with the account's total. */
export interface DirectoryListPage {
  /** Number of record directories on the account. */
  totalCount: number;
  /** The directories on this page. */
  directoryList: RecordDirectory[];
}

/** Response data of {@link getDirectoryList}. */
export type GetDirectoryListOutput = DirectoryListPage[];

/**
 * Lists record directories a page at a time (see `paginateDirectoryList`).
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function getDirectoryList(
  client: WangsuClient,
  input?: GetDirectoryListInput,
  options?: CallOptions,
): Promise<GetDirectoryListOutput> {
  return callAction(client, getDirectoryListAction, input, options);
}
