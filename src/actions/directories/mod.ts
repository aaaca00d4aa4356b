// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
export * from "./directory_create.ts";
export * from "./get_directory.ts";
export * from "./get_directory_list.ts";
export { directoryCreateInfo, getDirectoryInfo, getDirectoryListInfo } from "../info.ts";
export type { RecordDirectory } from "./record_directory.ts";
