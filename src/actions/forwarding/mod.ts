export * from "./end_forward_task.ts";
export * from "./get_forward_task_list.ts";
export * from "./start_forward_task.ts";
