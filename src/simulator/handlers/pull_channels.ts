/** Pull-mode (origin pull) channel actions. */

import { channelOf, chinaTime, type Handlers, liveState, page } from "../store.ts";
import { playUrls } from "../urls.ts";
import { byCreation, newChannel } from "./channels.ts";

/** The handlers of the pull channels actions. */
export const pullChannelHandlers = {
  createPullChannel(context, input) {
    const channel = newChannel(context, {
      ...input,
      mode: "pull",
      channelType: "pull",
      pullProtocol: input.pullProtocol ?? "0",
    });
    context.store.channels.set(channel.pullId, channel);
    return { pullId: channel.pullId };
  },

  editPullChannel(context, input) {
    const channel = channelOf(context, input.pullId, "pull");
    const { pullId: _, ...changes } = input;
    Object.assign(channel, changes);
    return {};
  },

  getPullChannelConfigure(context, input) {
    const channel = channelOf(context, input.pullId, "pull");
    return {
      channelName: channel.channelName,
      channelStatus: String(liveState(channel, context.now)),
      createTime: chinaTime(channel.createdAt),
      createUser: channel.userId,
      playerId: channel.playerId,
      sourcePullConfigureInfoList: [{
        sourcePullUrl: channel.sourcePullUrl,
        sourcePullProtocol: channel.sourcePullProtocol,
        pullConfigureList: channel.pullProtocol.split(",").map((protocol) => {
          const urls = playUrls(channel, protocol);
          return {
            pullProtocol: protocol,
            pullUrlList: [{
              originPullUrl: urls.originPullUrl,
              fluentPullUrl: urls.fluentPullUrl,
              sdPullUrl: urls.sdPullUrl,
              highPullUrl: urls.highPullUrl,
              hdPullUrl: urls.hdPullUrl,
            }],
          };
        }),
      }],
    };
  },

  getPullChannelList(context, input) {
    const channels = byCreation(
      [...context.store.channels.values()].filter((channel) => channel.mode == "pull"),
      input.listOrder,
    );
    const channelList = page(channels, input).map((channel) => ({
      channelName: channel.channelName,
      channelType: channel.channelType,
      sourcePullProtocol: channel.sourcePullProtocol,
      sourcePullUrl: channel.sourcePullUrl,
      createTime: chinaTime(channel.createdAt),
      userId: channel.userId,
      pullId: channel.pullId,
    }));
    // The service sends this count as a string here (and as a number in getChannelList).
    return { channelToal: String(channelList.length), channelList };
  },
} satisfies Partial<Handlers>;
