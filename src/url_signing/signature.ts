/**
 * The signature of a URL under a rule: MD5 over key, path and time concatenated in the rule's
 * order, the time written in the rule's format, and the expiry the time gives.
 *
 * @module
 */

import { md5Hex } from "./md5.ts";
import type { LiveUrlRule, RuleSecrets } from "./rule.ts";

/** The most an `abstime` expiry may be ahead of now: 3652 days, as the vendor documents. */
export const MAX_ABSTIME_AHEAD_SECONDS = 3652 * 86400;

/** The time as written in the URL and hashed: decimal, or hexadecimal in the inferred case. */
export const timeTextOf = (rule: LiveUrlRule, time: number): string => {
  if (rule.timeFormat != "hex") return String(time);
  const hex = time.toString(16);
  return rule.inferred.hexTimeCase == "upper" ? hex.toUpperCase() : hex;
};

/**
 * When a URL of this time stops being accepted, Unix seconds before tolerance: the time itself in
 * `abstime` mode, `effectiveTime` after it in `duration` mode, none in `no verification` mode.
 */
export const expiryOf = (rule: LiveUrlRule, time: number): number | undefined =>
  rule.effectiveTimeMode == "abstime"
    ? time
    : rule.effectiveTimeMode == "duration"
    ? time + rule.effectiveTime!
    : undefined;

/** Whether `text` is a time written in the rule's format (and case). */
export const isTimeText = (rule: LiveUrlRule, text: string): boolean =>
  rule.timeFormat != "hex"
    ? /^\d{1,15}$/.test(text)
    : (rule.inferred.hexTimeCase == "upper" ? /^[0-9A-F]{1,13}$/ : /^[0-9a-f]{1,13}$/).test(text);

/** MD5 over the key, the path and the time in the rule's order, in the inferred letter case. */
export function signatureOf(
  rule: LiveUrlRule,
  { order }: RuleSecrets,
  key: string,
  path: string,
  time: string,
): string {
  let text = "";
  for (const part of order) text += part == "key" ? key : part == "path" ? path : time;
  const digest = md5Hex(text);
  return rule.inferred.digestCase == "upper" ? digest.toUpperCase() : digest;
}
