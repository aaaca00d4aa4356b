/**
 * Sign push and play URLs offline with a domain's timestamp anti-leech rule (Wangsu's `wsSecret` /
 * `wsTime`), and check them as the edge would: no API call per viewer or encoder, no request
 * budget spent. Browser-, Worker- and Node-safe: no `node:` import; MD5, which Web Crypto lacks,
 * is a small pure-TypeScript module.
 *
 * The rule is the domain's configuration as the vendor's API returns it (field names as the vendor
 * spells them); what the vendor does not document (MD5 as lowercase hexadecimal, which part of the
 * URL is the signed path, the case of hexadecimal times, where the tolerance applies) is set by the
 * rule's `inferred` options, each one option away from being changed.
 *
 * @example
 * ```ts
 * import { signLiveUrl, verifyLiveUrl } from "@wangsu/sdk/url-signing";
 *
 * const rule = {
 *   secretKey: "a-key-from-the-console",
 *   timeFormat: "hex",
 *   effectiveTimeMode: "abstime",
 *   ciphe_combination: "time+path+key",
 * } as const;
 * const { url } = signLiveUrl("rtmp://push.example.com/live/stream1", rule, { expiresIn: 3600 });
 * console.log(verifyLiveUrl(url, rule)); // { ok: true, keyIndex: 0, ... }
 * ```
 *
 * @module
 */

export { md5, md5Hex } from "./md5.ts";
export {
  CIPHER_COMBINATIONS,
  type CipherCombination,
  type EffectiveTimeMode,
  INFERRED_DEFAULTS,
  type InferredSigningOptions,
  type LiveUrlRule,
  parseLiveUrlRule,
  type TimeFormat,
  type TimestampAntiLeechRule,
} from "./rule.ts";
export { type SignedLiveUrl, signLiveUrl, type SignLiveUrlOptions } from "./sign.ts";
export {
  type LiveUrlCheck,
  type LiveUrlRefusal,
  verifyLiveUrl,
  type VerifyLiveUrlOptions,
} from "./verify.ts";
export { MAX_ABSTIME_AHEAD_SECONDS } from "./signature.ts";
export { type ValidationIssue, WangsuError, WangsuValidationError } from "../errors.ts";
// The type of signLiveUrl's `client` option, and what it refers to.
export type { AttemptInfo, ResponseInfo, RetryInfo, WangsuClient } from "../client.ts";
