/** Live-state actions: state queries, bans, re-opening, cutting a stream, state callbacks. */

import {
  BAN_MS,
  channelOf,
  channelsOf,
  endSpan,
  type Handlers,
  liveState,
  notifyState,
} from "../store.ts";

/** The handlers of the live state actions. */
export const liveStateHandlers = {
  getChannelLiveState(context, input) {
    return { channelState: String(liveState(channelOf(context, input.pullId), context.now)) };
  },

  batchChannelLiveState(context, input) {
    const channels = input.pullIds
      ? channelsOf(context, input.pullIds)
      : [...context.store.channels.values()];
    return channels.map((channel) => ({
      channelStatus: String(liveState(channel, context.now)),
      pullId: channel.pullId,
    }));
  },

  channelForbidden(context, input) {
    for (const channel of channelsOf(context, input.pullId)) {
      endSpan(context, channel, "forbid");
      channel.bannedUntil = context.now + BAN_MS;
      notifyState(context, channel, "forbid");
    }
    return "";
  },

  channelReBrodcast(context, input) {
    for (const channel of channelsOf(context, input.pullId)) {
      if (liveState(channel, context.now) == 3) notifyState(context, channel, "resume");
      channel.bannedUntil = undefined;
    }
    return "";
  },

  disconnectStream(context, input) {
    endSpan(context, channelOf(context, input.pullId, "push"), "disconnect");
    return "";
  },

  setChannelStateRealtimeBack(context, input) {
    context.store.stateCallbacks.set(input.domainName, {
      notifyUrl: input.notifyUrl,
      open: input.open,
    });
    return {};
  },
} satisfies Partial<Handlers>;
