// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
export * from "./create_pull_channel.ts";
export * from "./edit_pull_channel.ts";
export * from "./get_pull_channel_configure.ts";
export * from "./get_pull_channel_list.ts";
export {
  createPullChannelInfo,
  editPullChannelInfo,
  getPullChannelConfigureInfo,
  getPullChannelListInfo,
} from "../info.ts";
