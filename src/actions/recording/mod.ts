export * from "./create_record_task.ts";
export * from "./end_record_task.ts";
export * from "./get_record_file_info.ts";
export * from "./record_task_query.ts";
