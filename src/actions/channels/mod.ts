// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
export * from "./channel_edit.ts";
export * from "./create_channel.ts";
export * from "./delete_channel.ts";
export * from "./get_channel_conf.ts";
export * from "./get_channel_list.ts";
export * from "./get_channel_share_url.ts";
export * from "./get_single_pull_code.ts";
export * from "./set_pull_tsatc.ts";
export * from "./set_push_tsatc.ts";
export {
  channelEditInfo,
  createChannelInfo,
  deleteChannelInfo,
  getChannelConfInfo,
  getChannelListInfo,
  getChannelShareUrlInfo,
  getSinglePullCodeInfo,
  setPullTsatcInfo,
  setPushTsatcInfo,
} from "../info.ts";
export type { ChannelSettings } from "./channel_settings.ts";
export type { PlayUrls, PullConfiguration, PullUrlSet } from "./pull_urls.ts";
