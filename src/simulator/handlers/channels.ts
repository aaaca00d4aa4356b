/** Push-mode channel actions. */

import type { PlayUrls, PullUrlSet } from "../../actions/channels/pull_urls.ts";
import {
  channelOf,
  channelsOf,
  chinaTime,
  endSpan,
  type Handlers,
  liveState,
  page,
  type SimChannel,
  type SimContext,
  SimError,
} from "../store.ts";
import { WangsuValidationError } from "../../errors.ts";
import { playDomainFor, playUrls, pushUrl, srtPushUrl } from "../urls.ts";

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

// playUrls (../urls.ts) returns a plain record; with these options it holds exactly these fields.

/** The play URLs of one protocol with their smart-HD variants: what {@link PlayUrls} names. */
const smartPlayUrls = (channel: SimChannel, protocol: string, srt: boolean) =>
  playUrls(channel, protocol, { smart: true, srt }) as unknown as PlayUrls;

/** Those and the audio URL: what {@link PullUrlSet} names. */
const pullUrlSet = (channel: SimChannel, protocol: string, srt: boolean) =>
  playUrls(channel, protocol, { smart: true, audio: true, srt }) as unknown as PullUrlSet;

const pullConfigurations = (channel: SimChannel, srt: boolean) =>
  channel.pullProtocol.split(",").map((protocol) => ({
    pullDomain: channel.pullDomain,
    pullProtocol: protocol,
    pullUrlList: [pullUrlSet(channel, protocol, srt)],
  }));

/** The longest life the URL signer gives (3652 days); the service takes any whole number. */
const LONGEST_LIFE_SECONDS = 3652 * 86_400;

/**
 * A URL signed with its domain's timestamp anti-leech rule (each URL on its own, as the edge
 * checks each path), valid `seconds` from now in `abstime` mode (a longer life than the signer's
 * is cut to it: the service accepts any duration its rule allows).
 */
const signedUrl = (context: SimContext, url: string, seconds: string) => {
  try {
    const life = Math.min(Number(seconds), LONGEST_LIFE_SECONDS);
    return context.urls.sign(url, life, context.now);
  } catch (error) {
    if (!(error instanceof WangsuValidationError)) throw error;
    throw new SimError(
      "InvalidParameter",
      `effectiveHourLong: ${error.issues[0].message.replace(/^expiresIn: /, "")}`,
    );
  }
};

/** Newest first (order 0) or oldest first (order 1), by creation. */
export const byCreation = (channels: SimChannel[], listOrder = 0): SimChannel[] =>
  channels.sort((a, b) =>
    (listOrder == 1 ? 1 : -1) * (a.createdAt - b.createdAt || a.sequence - b.sequence)
  );

/** The handlers of the channels actions. */
export const channelHandlers = {
  createChannel(context, input) {
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

  channelEdit(context, input) {
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

  deleteChannel(context, input) {
    const channels = channelsOf(context, input.pullId);
    for (const channel of channels) {
      endSpan(context, channel, "disconnect");
      context.store.channels.delete(channel.pullId);
    }
    return channels.map((channel) => channel.pullId).join(",");
  },

  getChannelConf(context, input) {
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

  getChannelList(context, input) {
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

  getSinglePullCode(context, input) {
    const channel = channelOf(context, input.pullId);
    const codeType = input.codeType ?? "0";
    const [width, height] = (input.playerSize ?? "480*360").split("*");
    const player = input.playerId ?? channel.playerId ?? "default";
    const entries = (srt: boolean) =>
      channel.pullProtocol.split(",").map((protocol) => ({
        pullProtocol: protocol,
        urlInfo: smartPlayUrls(channel, protocol, srt),
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

  getChannelShareUrl(context, input) {
    if (input.pullId) channelOf(context, input.pullId);
    return `https://share.sim.example/live/${input.pullId ?? ""}`;
  },

  setPushTsatc(context, input) {
    const channel = channelOf(context, input.pullId, "push");
    return { pushUrl: signedUrl(context, pushUrl(channel), input.effectiveHourLong) };
  },

  setPullTsatc(context, input) {
    const channel = channelOf(context, input.pullId);
    return channel.pullProtocol.split(",").map((protocol) => {
      const urls = pullUrlSet(channel, protocol, false);
      for (const name of Object.keys(urls) as (keyof PullUrlSet)[]) {
        if (urls[name]) urls[name] = signedUrl(context, urls[name], input.effectiveHourLong);
      }
      return { pullDomain: channel.pullDomain, pullProtocol: protocol, ...urls };
    });
  },
} satisfies Partial<Handlers>;
