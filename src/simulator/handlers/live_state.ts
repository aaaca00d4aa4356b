/** Live-state actions: state queries, bans, re-opening, cutting a stream, state callbacks. */

import type { SetChannelStateRealtimeBackInput } from "../../actions/live_state/set_channel_state_realtime_back.ts";
import {
  BAN_MS,
  channelOf,
  channelsOf,
  endSpan,
  type Handler,
  liveState,
  notifyState,
} from "../store.ts";

export const liveStateHandlers: Record<string, Handler> = {
  getChannelLiveState(context, input: { pullId: string }) {
    return { channelState: String(liveState(channelOf(context, input.pullId), context.now)) };
  },

  batchChannelLiveState(context, input: { pullIds: string }) {
    const channels = input.pullIds
      ? channelsOf(context, input.pullIds)
      : [...context.store.channels.values()];
    return channels.map((channel) => ({
      channelStatus: String(liveState(channel, context.now)),
      pullId: channel.pullId,
    }));
  },

  channelForbidden(context, input: { pullId: string }) {
    for (const channel of channelsOf(context, input.pullId)) {
      endSpan(context, channel, "forbid");
      channel.bannedUntil = context.now + BAN_MS;
      notifyState(context, channel, "forbid");
    }
    return "";
  },

  channelReBrodcast(context, input: { pullId: string }) {
    for (const channel of channelsOf(context, input.pullId)) {
      if (liveState(channel, context.now) == 3) notifyState(context, channel, "resume");
      channel.bannedUntil = undefined;
    }
    return "";
  },

  disconnectStream(context, input: { pullId: string }) {
    endSpan(context, channelOf(context, input.pullId, "push"), "disconnect");
    return "";
  },

  setChannelStateRealtimeBack(context, input: SetChannelStateRealtimeBackInput) {
    context.store.stateCallbacks.set(input.domainName, {
      notifyUrl: input.notifyUrl,
      open: input.open,
    });
    return {};
  },
};
