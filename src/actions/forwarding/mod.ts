// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
export * from "./end_forward_task.ts";
export * from "./get_forward_task_list.ts";
export * from "./start_forward_task.ts";
export { endForwardTaskInfo, getForwardTaskListInfo, startForwardTaskInfo } from "../info.ts";
