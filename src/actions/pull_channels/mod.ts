export * from "./create_pull_channel.ts";
export * from "./edit_pull_channel.ts";
export * from "./get_pull_channel_configure.ts";
export * from "./get_pull_channel_list.ts";
