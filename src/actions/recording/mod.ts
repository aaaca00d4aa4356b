// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
export * from "./create_record_task.ts";
export * from "./end_record_task.ts";
export * from "./get_record_file_info.ts";
export * from "./record_task_query.ts";
export {
  createRecordTaskInfo,
  endRecordTaskInfo,
  getRecordFileInfoInfo,
  recordTaskQueryInfo,
} from "../info.ts";
