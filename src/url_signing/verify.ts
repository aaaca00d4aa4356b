/**
 * Checks a signed push or play URL as the edge would: the signature against every key the rule
 * lists (compared in constant time), then the time by the rule's expiry mode and tolerance.
 *
 * @module
 */

import { WangsuValidationError } from "../errors.ts";
import {
  type LiveUrlRule,
  parseLiveUrlRule,
  secretsOf,
  type TimestampAntiLeechRule,
} from "./rule.ts";
import { expiryOf, isTimeText, MAX_ABSTIME_AHEAD_SECONDS, signatureOf } from "./signature.ts";
import { decodeQueryText, queryNameOf, signedPath, urlParts } from "./url_parts.ts";

/** Options of {@link verifyLiveUrl}. */
export interface VerifyLiveUrlOptions {
  /** Now, as Unix seconds (default the system clock). */
  now?: number;
}

/** Why {@link verifyLiveUrl} refused a URL. */
export type LiveUrlRefusal =
  /** Not an absolute URL with a path, or a path that cannot be decoded as the rule asks. */
  | "malformed-url"
  /** The signature or the time parameter is absent. */
  | "missing-parameter"
  /** The signature or the time parameter is given more than once. */
  | "duplicate-parameter"
  /** The time is not written in the rule's format (decimal, or hexadecimal in its case). */
  | "malformed-time"
  /** No key the rule lists gives this signature for this path and time. */
  | "bad-signature"
  /** Past the expiry (plus the tolerance where it applies). */
  | "expired"
  /** In `duration` mode, a time ahead of now by more than the tolerance. */
  | "not-yet-valid"
  /** In `abstime` mode, an expiry more than 3652 days (plus the tolerance) ahead. */
  | "expiry-too-far";

/** The outcome of {@link verifyLiveUrl}. */
export type LiveUrlCheck =
  | {
    /** Accepted. */
    ok: true;
    /** Which of the rule's keys signed it (0 for the signing key; more for an older one). */
    keyIndex: number;
    /** The time in the URL, Unix seconds. */
    time: number;
    /** When it stops being accepted, Unix seconds, before tolerance; none without a check. */
    expiresAt: number | undefined;
  }
  | {
    /** Refused. */
    ok: false;
    /** Why, as a code. */
    reason: LiveUrlRefusal;
    /** Why, as a sentence (never a key). */
    message: string;
  };

const refuse = (reason: LiveUrlRefusal, message: string): LiveUrlCheck => ({
  ok: false,
  reason,
  message,
});
const iso = (seconds: number) => {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `${seconds}` : date.toISOString();
};

/**
 * Checks a signed URL as the domain's edge would. It never throws on what the URL holds: a bad
 * URL is refused with a reason. A URL signed with any key the rule still lists is accepted, and
 * `keyIndex` tells which (rotation: sign with the first, accept the older ones until retired).
 *
 * @example
 * ```ts
 * import { signLiveUrl, verifyLiveUrl } from "@wangsu/sdk/url-signing";
 *
 * const rule = {
 *   secretKey: "a-key-from-the-console",
 *   timeFormat: "UNIX timestamp",
 *   effectiveTimeMode: "duration",
 *   effectiveTime: 1800,
 *   ciphe_combination: "key+path+time",
 * } as const;
 * const { url } = signLiveUrl("https://play.example.com/live/stream1.flv", rule);
 * console.log(verifyLiveUrl(url, rule).ok); // true
 * ```
 *
 * @param url The URL as the edge receives it.
 * @param rule The domain's rule as the vendor returns it, or parsed by `parseLiveUrlRule`.
 * @param options The clock.
 * @returns `{ ok: true, keyIndex, time, expiresAt }` or `{ ok: false, reason, message }`.
 * @throws {WangsuValidationError} Only when the rule or `now` is bad.
 */
export function verifyLiveUrl(
  url: string | URL,
  rule: TimestampAntiLeechRule | LiveUrlRule,
  options: VerifyLiveUrlOptions = {},
): LiveUrlCheck {
  const parsed = parseLiveUrlRule(rule);
  if (options.now !== undefined && !Number.isFinite(options.now)) {
    throw new WangsuValidationError([{
      path: "now",
      rule: "type",
      message: "now: must be Unix seconds",
    }]);
  }
  const now = Math.floor(options.now ?? Date.now() / 1000);
  const parts = urlParts(url);
  if (!parts) return refuse("malformed-url", "Not an absolute URL with a host and a path");

  // A Map, not an object: a parameter named `constructor` or `__proto__` is just a name.
  const values = new Map<string, (string | undefined)[]>([
    [parsed.cipherParam, []],
    [parsed.timeParam, []],
  ]);
  for (const part of parts.query) {
    const found = values.get(queryNameOf(part) ?? "");
    if (found) {
      const at = part.indexOf("=");
      found.push(at < 0 ? "" : decodeQueryText(part.slice(at + 1)));
    }
  }
  for (const [name, found] of values) {
    if (found.length == 0) return refuse("missing-parameter", `Missing parameter: ${name}`);
    if (found.length > 1) {
      return refuse("duplicate-parameter", `Parameter ${name} is given more than once`);
    }
  }
  const signature = values.get(parsed.cipherParam)![0] ?? "";
  const timeText = values.get(parsed.timeParam)![0] ?? "";
  if (!isTimeText(parsed, timeText)) {
    return refuse(
      "malformed-time",
      `${parsed.timeParam} must be ${
        parsed.timeFormat == "hex"
          ? `hexadecimal Unix seconds (${parsed.inferred.hexTimeCase} case)`
          : "decimal Unix seconds"
      }`,
    );
  }
  const path = signedPath(parts, parsed);
  if (path === undefined) {
    return refuse("malformed-url", "The path is not valid percent-encoded UTF-8");
  }

  // Every key is tried and every character compared, whichever matches: the time taken does not
  // tell where a forged signature first differs.
  const secrets = secretsOf(parsed);
  let keyIndex = -1;
  secrets.keys.forEach((key, index) => {
    const expected = signatureOf(parsed, secrets, key, path, timeText);
    let difference = expected.length ^ signature.length;
    for (let i = 0; i < expected.length; i++) {
      difference |= expected.charCodeAt(i) ^ signature.charCodeAt(i);
    }
    if (difference == 0 && keyIndex < 0) keyIndex = index;
  });
  if (keyIndex < 0) {
    return refuse("bad-signature", `${parsed.cipherParam} does not match the path and time`);
  }

  const time = parseInt(timeText, parsed.timeFormat == "hex" ? 16 : 10);
  const tolerance = parsed.tolerantTime;
  const late = parsed.inferred.tolerance == "both-ends" ? tolerance : 0;
  // None in `no verification` mode: the edge does not check the time.
  const expiresAt = expiryOf(parsed, time);
  if (expiresAt === undefined) return { ok: true, keyIndex, time, expiresAt };
  if (parsed.effectiveTimeMode == "duration" && now < time - tolerance) {
    return refuse(
      "not-yet-valid",
      `The URL's time ${iso(time)} is ahead of now (${iso(now)}) by more than ${tolerance} s`,
    );
  }
  if (now > expiresAt + late) {
    return refuse(
      "expired",
      `The URL expired at ${iso(expiresAt)} (now ${iso(now)}, tolerance ${late} s)`,
    );
  }
  if (
    parsed.effectiveTimeMode == "abstime" && time - now > MAX_ABSTIME_AHEAD_SECONDS + tolerance
  ) {
    return refuse("expiry-too-far", `The expiry ${iso(time)} is more than 3652 days ahead`);
  }
  return { ok: true, keyIndex, time, expiresAt };
}
