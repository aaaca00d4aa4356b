/**
 * What the service checks before running an action: the signature and clock window, replays of
 * an identical signed request, and the per-account rate limit.
 *
 * @module
 */

import type { Credentials } from "../signer.ts";
import type { VerifyFailureReason } from "../verifier.ts";
import { createSignatureVerifier, type ReplayFailure } from "../server/replay_guard.ts";

/** Error codes the simulator answers authentication failures with (HTTP 462, as the service). */
export const AUTH_CODES: Record<VerifyFailureReason | ReplayFailure["reason"], string> = {
  "missing-header": "MissingAuthorization",
  "malformed": "MalformedAuthorization",
  "unknown-key": "InvalidAccessKey",
  "skew": "RequestTimeTooSkewed",
  "bad-signature": "SignatureDoesNotMatch",
  "replay": "ReplayedRequest",
  "replay-check-unavailable": "ServiceUnavailable",
  "replay-memory-full": "ServiceUnavailable",
};

/** Outcome of the guard: the caller's access key, or the response to send instead. */
export type GuardResult = { ok: true; accessKey: string } | {
  ok: false;
  status: number;
  code: string;
  message: string;
  retryAfterSeconds?: number;
};

/** Guard settings. */
export interface GuardOptions {
  credentials: Credentials[];
  now: () => number;
  maxSkewSeconds: number;
  replayProtection: boolean;
  rateLimit: { limit: number; windowMs: number } | false;
}

/** Creates the guard, with its memory of recent signatures and request times. */
export function createGuard(options: GuardOptions): (request: Request) => Promise<GuardResult> {
  const secrets = new Map(options.credentials.map((c) => [c.accessKey, c.secretKey]));
  const verify = createSignatureVerifier({
    lookupSecret: (key) => secrets.get(key),
    now: options.now,
    maxSkewSeconds: options.maxSkewSeconds,
    replayProtection: options.replayProtection,
  });
  const history = new Map<string, number[]>();

  return async (request) => {
    const now = options.now();
    const result = await verify(request);
    if (!result.ok) {
      return { ok: false, status: 462, code: AUTH_CODES[result.reason], message: result.message };
    }
    if (options.rateLimit) {
      const { limit, windowMs: rateWindow } = options.rateLimit;
      const times = (history.get(result.accessKey) ?? []).filter((t) => t > now - rateWindow);
      history.set(result.accessKey, times);
      if (times.length >= limit) {
        const retryAfterSeconds = Math.max(1, Math.ceil((times[0] + rateWindow - now) / 1000));
        return {
          ok: false,
          status: 429,
          code: "RateLimitExceeded",
          message: `More than ${limit} requests in ${rateWindow / 1000} s for this account`,
          retryAfterSeconds,
        };
      }
      times.push(now);
    }
    return { ok: true, accessKey: result.accessKey };
  };
}
