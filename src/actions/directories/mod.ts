export * from "./directory_create.ts";
export * from "./get_directory.ts";
export * from "./get_directory_list.ts";
export type { RecordDirectory } from "./record_directory.ts";
