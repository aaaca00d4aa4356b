/**
 * Signs a push or play URL offline with a domain's timestamp anti-leech rule: no API call, no
 * request budget spent. With a client, the clock correction it learned from the service applies.
 *
 * @module
 */

import { issueOf, type ValidationIssue, WangsuValidationError } from "../errors.ts";
import { stateOf, type WangsuClient } from "../client.ts";
import {
  type LiveUrlRule,
  parseLiveUrlRule,
  secretsOf,
  type TimestampAntiLeechRule,
} from "./rule.ts";
import { expiryOf, MAX_ABSTIME_AHEAD_SECONDS, signatureOf, timeTextOf } from "./signature.ts";
import { otherQuery, signedPath, urlParts } from "./url_parts.ts";

/** Options of {@link signLiveUrl}. */
export interface SignLiveUrlOptions {
  /**
   * Seconds from the signing time to the expiry, in `abstime` mode (or {@link expiresAt}). In
   * `duration` mode the rule's `effectiveTime` sets the life, and `no verification` has none:
   * both refuse it.
   */
  expiresIn?: number;
  /** The expiry as Unix seconds, in `abstime` mode (instead of {@link expiresIn}). */
  expiresAt?: number;
  /** Now, as Unix seconds; the client's clock, or the system's, by default. */
  now?: number;
  /**
   * A client (from `createClient`): the clock correction it learned from the service (after the
   * service refused its timestamp) is added to the signing time, as it is to its calls.
   */
  client?: WangsuClient;
}

/** A URL signed by {@link signLiveUrl}. */
export interface SignedLiveUrl {
  /** The URL with the signature and time parameters (replacing any it had). */
  url: string;
  /** The time written in the URL, Unix seconds: the signing time, or the expiry in `abstime`. */
  time: number;
  /** When the edge stops accepting it, Unix seconds (before tolerance); none without a check. */
  expiresAt: number | undefined;
}

const whole = (value: unknown): value is number =>
  typeof value == "number" && Number.isSafeInteger(value);

/**
 * Signs a push or play URL with a domain's timestamp anti-leech rule: MD5 over the key, the path
 * and the time in the rule's order, appended as the rule's signature and time parameters. Other
 * query parameters are kept; an old signature and time are replaced.
 *
 * @example
 * ```ts
 * import { signLiveUrl } from "@wangsu/sdk/url-signing";
 *
 * const rule = {
 *   secretKey: "a-key-from-the-console",
 *   timeFormat: "hex",
 *   effectiveTimeMode: "abstime",
 *   ciphe_combination: "time+path+key",
 * } as const;
 * const { url } = signLiveUrl("rtmp://push.example.com/live/stream1", rule, { expiresIn: 3600 });
 * console.log(url); // rtmp://push.example.com/live/stream1?wsSecret=
 * ```
 *
 * @param url An absolute URL with a path (`rtmp://`, `http(s)://`, ...).
 * @param rule The domain's rule as the vendor returns it, or parsed by `parseLiveUrlRule`.
 * @param options The expiry (in `abstime` mode), the clock, and a client whose clock correction
 *   applies.
 * @returns The signed URL, its time and its expiry.
 * @throws {WangsuValidationError} When the rule, the URL or an option is bad, naming each.
 */
export function signLiveUrl(
  url: string | URL,
  rule: TimestampAntiLeechRule | LiveUrlRule,
  options: SignLiveUrlOptions = {},
): SignedLiveUrl {
  const parsed = parseLiveUrlRule(rule);
  const issues: ValidationIssue[] = [];
  const problem = (path: string, rule: string, text: string) =>
    issues.push(issueOf(path, rule, text));
  const { expiresIn, expiresAt, now } = options;
  if (now !== undefined && !(typeof now == "number" && Number.isFinite(now))) {
    problem("now", "type", "must be Unix seconds");
  }
  const clock = options.client && stateOf(options.client);
  const nowMs = now !== undefined ? now * 1000 : clock ? clock.now() : Date.now();
  const signedAt = Math.floor((nowMs + (clock?.clockOffsetMs ?? 0)) / 1000);

  let time = signedAt;
  if (parsed.effectiveTimeMode == "abstime") {
    const ahead = `at most 3652 days (${MAX_ABSTIME_AHEAD_SECONDS} s) ahead`;
    if (expiresIn !== undefined && expiresAt !== undefined) {
      problem("expiresAt", "exclusive", "give expiresIn or expiresAt, not both");
    } else if (expiresAt !== undefined) {
      if (!whole(expiresAt)) problem("expiresAt", "integer", "must be whole Unix seconds");
      else if (expiresAt <= signedAt) {
        problem("expiresAt", "min_value", `must be after the signing time (${signedAt})`);
      } else if (expiresAt - signedAt > MAX_ABSTIME_AHEAD_SECONDS) {
        problem("expiresAt", "max_value", `must be Unix seconds ${ahead} of ${signedAt}`);
      } else time = expiresAt;
    } else if (expiresIn === undefined) {
      problem("expiresIn", "required", "required in abstime mode (or expiresAt)");
    } else if (!whole(expiresIn)) {
      problem("expiresIn", "integer", "must be whole seconds");
    } else if (expiresIn < 1) {
      problem("expiresIn", "min_value", "must be 1 or more");
    } else if (expiresIn > MAX_ABSTIME_AHEAD_SECONDS) {
      problem("expiresIn", "max_value", `must be ${ahead}`);
    } else time = signedAt + expiresIn;
  } else {
    const why = parsed.effectiveTimeMode == "duration"
      ? `a URL is valid for effectiveTime (${parsed.effectiveTime} s) from its signing time`
      : "the edge does not check the time";
    for (const [field, value] of [["expiresIn", expiresIn], ["expiresAt", expiresAt]] as const) {
      if (value !== undefined) {
        problem(field, "mode", `not taken in ${parsed.effectiveTimeMode} mode: ${why}`);
      }
    }
  }

  const parts = urlParts(url);
  const path = parts && signedPath(parts, parsed);
  if (!parts) {
    problem(
      "url",
      "url",
      "must be an absolute URL with a host and a path, such as rtmp://push.example.com/live/s " +
        "(an SRT URL, whose stream is in its query, cannot be signed this way)",
    );
  } else if (path === undefined) {
    problem("url", "encoding", "its path must be valid percent-encoded UTF-8 to be decoded");
  }
  if (issues.length) throw new WangsuValidationError(issues);

  const secrets = secretsOf(parsed);
  const timeText = timeTextOf(parsed, time);
  const signature = signatureOf(parsed, secrets, secrets.keys[0], path!, timeText);
  const query = [
    ...otherQuery(parts!, parsed),
    `${parsed.cipherParam}=${signature}`,
    `${parsed.timeParam}=${timeText}`,
  ];
  return {
    url: `${parts!.base}?${query.join("&")}${parts!.hash}`,
    time,
    expiresAt: expiryOf(parsed, time),
  };
}
