/**
 * How the simulator makes push and play URLs: shaped like the service's, on the channel's
 * domains, one per protocol and bit rate.
 *
 * @module
 */

import type { SimChannel } from "./store.ts";
import type { Random } from "./random.ts";

const RATES = [
  ["0", "origin"],
  ["1", "fluent"],
  ["2", "sd"],
  ["3", "high"],
  ["4", "hd"],
] as const;

const streamName = (channel: SimChannel) =>
  channel.mode == "push" ? channel.pushId : channel.pullId;

/** Play domain for a push domain: its first label becomes `play` (`push.x.com` -> `play.x.com`). */
export const playDomainFor = (pushDomain: string): string =>
  /^push[.-]/.test(pushDomain) ? pushDomain.replace(/^push/, "play") : `play.${pushDomain}`;

/** The push URL encoders use. */
export const pushUrl = (channel: SimChannel): string =>
  `rtmp://${channel.pushDomain}/${channel.channelType}/${channel.pushId}`;

/** The SRT push URL. */
export const srtPushUrl = (channel: SimChannel): string =>
  `srt://${channel.pushDomain}:9000?streamid=#!::r=${channel.channelType}/${channel.pushId},m=publish`;

const playUrl = (channel: SimChannel, protocol: string, stream: string, srt: boolean) => {
  const base = `${channel.pullDomain}/${channel.channelType}/${stream}`;
  if (srt) {
    return `srt://${channel.pullDomain}:9000?streamid=#!::r=${channel.channelType}/${stream},m=request`;
  }
  if (protocol == "0") return `rtmp://${base}`;
  if (protocol == "1") return `http://${base}.flv`;
  if (protocol == "2") return `http://${base}/playlist.m3u8`;
  return `http://${base}/manifest.f4m`;
};

/**
 * The play URLs of one protocol by bit rate, empty for rates the channel does not offer.
 *
 * @param channel The channel.
 * @param protocol Protocol code `0`..`3`.
 * @param options `smart` adds the smart-HD (`Zkgq`) variants, `audio` the audio URL, `srt` makes SRT URLs.
 */
export const playUrls = (
  channel: SimChannel,
  protocol: string,
  options: { smart?: boolean; audio?: boolean; srt?: boolean; token?: string } = {},
): Record<string, string> => {
  const offered = channel.pullRate.split(",");
  const suffix = options.token ?? "";
  const out: Record<string, string> = {};
  for (const [code, name] of RATES) {
    const stream = streamName(channel) + (code == "0" ? "" : `_${name}`);
    out[`${name}PullUrl`] = offered.includes(code)
      ? playUrl(channel, protocol, stream, !!options.srt) + suffix
      : "";
    if (options.smart) {
      out[`${name}ZkgqPullUrl`] = offered.includes(code)
        ? playUrl(channel, protocol, `${stream}_zkgq`, !!options.srt) + suffix
        : "";
    }
  }
  if (options.audio) {
    out.audioUrl = playUrl(channel, protocol, `${streamName(channel)}_audio`, !!options.srt) +
      suffix;
  }
  return out;
};

/** A Wangsu-style anti-leech query (`wsSecret`, `wsTime` as hex Unix seconds). */
export const antiLeechToken = (random: Random, expiresAtMs: number): string =>
  `?wsSecret=${random.hex(32)}&wsTime=${Math.floor(expiresAtMs / 1000).toString(16)}`;
