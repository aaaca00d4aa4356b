/**
 * How the simulator makes push and play URLs: shaped like the service's, on the channel's
 * domains, one per protocol and bit rate.
 *
 * @module
 */

import type { SimChannel, SimStore } from "./store.ts";
import { createRandom, deriveSeed } from "./random.ts";
import { WangsuValidationError } from "../errors.ts";
import {
  issuesUnder,
  type LiveUrlRule,
  parseLiveUrlRule,
  type TimestampAntiLeechRule,
} from "../url_signing/rule.ts";
import { signLiveUrl } from "../url_signing/sign.ts";
import { type LiveUrlCheck, verifyLiveUrl } from "../url_signing/verify.ts";

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
  options: { smart?: boolean; audio?: boolean; srt?: boolean } = {},
): Record<string, string> => {
  const offered = channel.pullRate.split(",");
  const out: Record<string, string> = {};
  for (const [code, name] of RATES) {
    const stream = streamName(channel) + (code == "0" ? "" : `_${name}`);
    out[`${name}PullUrl`] = offered.includes(code)
      ? playUrl(channel, protocol, stream, !!options.srt)
      : "";
    if (options.smart) {
      out[`${name}ZkgqPullUrl`] = offered.includes(code)
        ? playUrl(channel, protocol, `${stream}_zkgq`, !!options.srt)
        : "";
    }
  }
  if (options.audio) {
    out.audioUrl = playUrl(channel, protocol, `${streamName(channel)}_audio`, !!options.srt);
  }
  return out;
};

/** The outcome of a simulator's URL check: the edge's, or a domain it does not serve. */
export type SimUrlCheck =
  | LiveUrlCheck
  | {
    /** Refused. */
    ok: false;
    /** No push or play domain of the simulator has this host. */
    reason: "unknown-domain";
    /** Why, as a sentence naming the host. */
    message: string;
  };

/** The timestamp anti-leech rules of the simulator's push and play domains. */
export interface SimUrlRules {
  /**
   * The rule of a domain: the one given for it, else a random key made the first time the
   * domain is used (`hex`, `abstime`, `time+path+key`, `wsSecret` / `wsTime`).
   */
  ruleOf(domain: string): LiveUrlRule;
  /** Signs a push or play URL with its host's rule; `expiresIn` applies in `abstime` mode. */
  sign(url: string, expiresIn: number, nowMs: number): string;
  /** Checks a URL as its host's edge would; a host no channel uses is `unknown-domain`. */
  check(url: string, nowMs: number): SimUrlCheck;
}

/**
 * The domains' rules, parsed once: `given` is checked at once (a bad one throws, naming
 * `urlRules.<domain>.<field>`, never a key).
 *
 * @param given Rules by domain, as the vendor returns them or parsed.
 * @param seed The simulator's seed: default keys repeat under the same seed.
 * @param store The state, to know which domains channels use.
 * @returns The rules.
 * @throws {WangsuValidationError} For a bad rule, naming the domain and the field.
 */
export function createUrlRules(
  given: Readonly<Record<string, TimestampAntiLeechRule | LiveUrlRule>> = {},
  seed: number,
  store: SimStore,
): SimUrlRules {
  const rules = new Map<string, LiveUrlRule>();
  for (const [domain, rule] of Object.entries(given)) {
    try {
      rules.set(domain.toLowerCase(), parseLiveUrlRule(rule));
    } catch (error) {
      if (!(error instanceof WangsuValidationError)) throw error;
      throw new WangsuValidationError(issuesUnder(`urlRules.${domain}`, error.issues));
    }
  }
  const keys = createRandom(deriveSeed(seed, "url-rules"));
  const ruleOf = (domain: string) => {
    const name = domain.toLowerCase();
    let rule = rules.get(name);
    if (!rule) {
      rule = parseLiveUrlRule({
        secretKey: keys.hex(32),
        timeFormat: "hex",
        effectiveTimeMode: "abstime",
        ciphe_combination: "time+path+key",
      });
      rules.set(name, rule);
    }
    return rule;
  };
  const served = (host: string) =>
    rules.has(host) ||
    [...store.channels.values()].some((channel) =>
      channel.pushDomain.toLowerCase() == host || channel.pullDomain.toLowerCase() == host
    );
  return {
    ruleOf,
    sign(url, expiresIn, nowMs) {
      const rule = ruleOf(new URL(url).hostname);
      return signLiveUrl(url, rule, {
        now: Math.floor(nowMs / 1000),
        ...(rule.effectiveTimeMode == "abstime" ? { expiresIn } : {}),
      }).url;
    },
    check(url, nowMs) {
      let host: string;
      try {
        host = new URL(url).hostname.toLowerCase();
      } catch {
        return { ok: false, reason: "malformed-url", message: "Not an absolute URL" };
      }
      if (!served(host)) {
        return {
          ok: false,
          reason: "unknown-domain",
          message: `No push or play domain of the simulator is ${host}`,
        };
      }
      return verifyLiveUrl(url, ruleOf(host), { now: Math.floor(nowMs / 1000) });
    },
  };
}
