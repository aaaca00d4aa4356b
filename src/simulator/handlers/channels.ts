/** Push-mode channel actions. */

import type { CreateChannelInput } from "../../actions/channels/create_channel.ts";
import type { ChannelEditInput } from "../../actions/channels/channel_edit.ts";
import type { GetChannelListInput } from "../../actions/channels/get_channel_list.ts";
import type { GetSinglePullCodeInput } from "../../actions/channels/get_single_pull_code.ts";
import type { SetPushTsatcInput } from "../../actions/channels/set_push_tsatc.ts";
import {
  channelOf,
  channelsOf,
  chinaTime,
  endSpan,
  type Handler,
  liveState,
  page,
  type SimChannel,
  type SimContext,
  SimError,
} from "../store.ts";
import { antiLeechToken, playDomainFor, playUrls, pushUrl, srtPushUrl } from "../urls.ts";

const requireDirectory = (context: SimContext, directoryId?: string) => {
  if (directoryId && !context.store.directories.has(directoryId)) {
    throw new SimError("DirectoryNotFound", `No record directory with id ${directoryId}`);
  }
};

/** Builds a new channel record with the defaults the service applies. */
export const newChannel = (
  context: SimContext,
  fields: Partial<SimChannel> & Pick<SimChannel, "mode" | "channelName">,
): SimChannel => {
  const pullId = context.random.hex(20);
  return {
    pullId,
    pushId: context.random.hex(12),
    channelType: "live",
    pushDomain: "",
    pullDomain: "",
    pullProtocol: "0",
    pullRate: "0",
    playerId: "",
    directoryId: "",
    check: "",
    live2vod: "0",
    appScenario: "",
    videoEncrypted: 0,
    hlsEncryptDuration: 0,
    sourcePullUrl: "",
    sourcePullProtocol: "",
    createdAt: context.now,
    sequence: ++context.store.sequence,
    userId: context.accessKey,
    spans: [],
    ...fields,
  };
};

const pullConfigurations = (channel: SimChannel, srt: boolean) =>
  channel.pullProtocol.split(",").map((protocol) => ({
    pullDomain: channel.pullDomain,
    pullProtocol: protocol,
    pullUrlList: [playUrls(channel, protocol, { smart: true, audio: true, srt })],
  }));

/** Newest first (order 0) or oldest first (order 1), by creation. */
export const byCreation = (channels: SimChannel[], listOrder = 0): SimChannel[] =>
  channels.sort((a, b) =>
    (listOrder == 1 ? 1 : -1) * (a.createdAt - b.createdAt || a.sequence - b.sequence)
  );

export const channelHandlers: Record<string, Handler> = {
  createChannel(context, input: CreateChannelInput) {
    requireDirectory(context, input.directoryId);
    const channel = newChannel(context, {
      ...input,
      mode: "push",
      pullDomain: playDomainFor(input.pushDomain),
      pullProtocol: input.pullProtocol ?? "0",
      hlsEncryptDuration: input.videoEncrypted == 1 ? input.hlsEncryptDuration ?? 604800 : 0,
    });
    context.store.channels.set(channel.pullId, channel);
    return { createTime: chinaTime(channel.createdAt), pullId: channel.pullId };
  },

  channelEdit(context, input: ChannelEditInput) {
    const channel = channelOf(context, input.pullId, "push");
    requireDirectory(context, input.directoryId);
    const { pullId: _, resetPushId, ...changes } = input;
    if (changes.videoEncrypted == 1 && channel.videoEncrypted != 1) {
      changes.hlsEncryptDuration ??= 604800;
    }
    Object.assign(channel, changes);
    if (resetPushId == "1") channel.pushId = context.random.hex(12);
    return {
      channelName: channel.channelName,
      pushUrl: pushUrl(channel),
      srtPushUrl: srtPushUrl(channel),
    };
  },

  deleteChannel(context, input: { pullId: string }) {
    const channels = channelsOf(context, input.pullId);
    for (const channel of channels) {
      endSpan(context, channel, "disconnect");
      context.store.channels.delete(channel.pullId);
    }
    return channels.map((channel) => channel.pullId).join(",");
  },

  getChannelConf(context, input: { pullId: string }) {
    const channel = channelOf(context, input.pullId, "push");
    return {
      appScenario: channel.appScenario,
      channelName: channel.channelName,
      channelStatus: liveState(channel, context.now),
      createTime: chinaTime(channel.createdAt),
      createUser: channel.userId,
      ...(channel.directoryId ? { directoryId: channel.directoryId } : {}),
      live2vod: channel.live2vod,
      playerId: channel.playerId,
      videoEncrypted: channel.videoEncrypted,
      hlsEncryptDuration: channel.hlsEncryptDuration,
      pullConfigureList: pullConfigurations(channel, false),
      pushConfigureInfo: [{ pushProtocol: "RTMP", pushUrl: pushUrl(channel) }, {
        pushProtocol: "SRT",
        pushUrl: srtPushUrl(channel),
      }],
      srtPullConfigureList: pullConfigurations(channel, true),
    };
  },

  getChannelList(context, input: GetChannelListInput) {
    const channels = byCreation(
      [...context.store.channels.values()].filter((channel) =>
        channel.mode == "push" &&
        (input.appScenario === undefined || channel.appScenario == input.appScenario)
      ),
      input.listOrder,
    );
    const channelList = page(channels, input).map((channel) => ({
      appScenario: channel.appScenario,
      channelName: channel.channelName,
      channelStatus: liveState(channel, context.now),
      channelType: channel.channelType,
      createTime: chinaTime(channel.createdAt),
      ...(channel.directoryId ? { directoryId: channel.directoryId } : {}),
      live2vod: channel.live2vod,
      pullId: channel.pullId,
      pushUrl: pushUrl(channel),
      srtPushUrl: srtPushUrl(channel),
      userId: channel.userId,
    }));
    return { channelList, channelToal: channelList.length };
  },

  getSinglePullCode(context, input: GetSinglePullCodeInput) {
    const channel = channelOf(context, input.pullId);
    const codeType = input.codeType ?? "0";
    const [width, height] = (input.playerSize ?? "480*360").split("*");
    const player = input.playerId ?? channel.playerId ?? "default";
    const entries = (srt: boolean) =>
      channel.pullProtocol.split(",").map((protocol) => ({
        pullProtocol: protocol,
        urlInfo: playUrls(channel, protocol, { smart: true, srt }),
      }));
    const wants = (type: string) => codeType == "0" || codeType == type;
    const source = playUrls(channel, channel.pullProtocol.split(",")[0]).originPullUrl;
    const encrypted = channel.videoEncrypted != 0;
    return {
      pullId: channel.pullId,
      videoUrl: wants("4") ? entries(false) : [],
      srtVideoUrl: wants("4") ? entries(true) : [],
      swfCode: wants("2")
        ? `<embed src="https://player.sim.example/${player}.swf?src=${
          encodeURIComponent(source)
        }&autoplay=${input.autoPlay ?? 0}" width="${width}" height="${height}"></embed>`
        : "",
      autoCode: wants("5") && !encrypted
        ? `<script src="https://player.sim.example/${player}.js" data-src="${source}" data-width="${width}" data-height="${height}"></script>`
        : "",
      audioAutoCode: wants("5") && !encrypted
        ? `<script src="https://player.sim.example/${player}.js" data-audio="${source}"></script>`
        : "",
    };
  },

  getChannelShareUrl(context, input: { pullId?: string }) {
    if (input.pullId) channelOf(context, input.pullId);
    return `https://share.sim.example/live/${input.pullId ?? ""}`;
  },

  setPushTsatc(context, input: SetPushTsatcInput) {
    const channel = channelOf(context, input.pullId, "push");
    const token = antiLeechToken(context.random, context.now + +input.effectiveHourLong * 1000);
    return { pushUrl: pushUrl(channel) + token };
  },

  setPullTsatc(context, input: SetPushTsatcInput) {
    const channel = channelOf(context, input.pullId);
    const token = antiLeechToken(context.random, context.now + +input.effectiveHourLong * 1000);
    return channel.pullProtocol.split(",").map((protocol) => ({
      pullDomain: channel.pullDomain,
      pullProtocol: protocol,
      ...playUrls(channel, protocol, { smart: true, audio: true, token }),
    }));
  },
};
