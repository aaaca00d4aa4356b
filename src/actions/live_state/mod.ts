// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
export * from "./batch_channel_live_state.ts";
export * from "./channel_forbidden.ts";
export * from "./channel_re_brodcast.ts";
export * from "./disconnect_stream.ts";
export * from "./get_channel_live_state.ts";
export * from "./set_channel_state_realtime_back.ts";
export {
  batchChannelLiveStateInfo,
  channelForbiddenInfo,
  channelReBrodcastInfo,
  disconnectStreamInfo,
  getChannelLiveStateInfo,
  setChannelStateRealtimeBackInfo,
} from "../info.ts";
