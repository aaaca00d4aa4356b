// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
/**
 * The record-directory shape shared by the directory actions' responses.
 *
 * @module
 */

import { type ObjectShape, str } from "../../shape.ts";

/** A record directory: where a channel's recordings are stored. */
export interface RecordDirectory {
  /** Directory id, used by channels' `directoryId`. */
  directoryId: string;
  /** The account-unique type name of the directory. */
  directoryType: string;
  /** First path level. */
  firstLevelDirectory: string;
  /** Second path level (may be empty). */
  secondLevelDirectory: string;
  /** Third path level (may be empty). */
  thirdLevelDirectory: string;
  /** Creation time, `YYYY-MM-DD hh:mm:ss`. */
  createTime: string;
  /** Last change time, `YYYY-MM-DD hh:mm:ss`. */
  updateTime: string;
}

/** Internal: the response shape of {@link RecordDirectory}. */
export const recordDirectoryShape: ObjectShape = {
  directoryId: str,
  directoryType: str,
  firstLevelDirectory: str,
  secondLevelDirectory: str,
  thirdLevelDirectory: str,
  createTime: str,
  updateTime: str,
};
