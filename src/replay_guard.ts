/**
 * Server-side signature checking with replay protection: {@link verifyRequest}, then a memory of
 * recently accepted signatures, so that an identical signed request sent again while its
 * timestamp is still inside the clock window is refused. Used by the simulator (as the service
 * does) and by the gateway (which re-signs upstream, so the service could not catch a replay for
 * it).
 *
 * @module
 */

import { verifyRequest, type VerifyResult } from "./signer.ts";

/** Options of {@link createSignatureVerifier}. */
export interface SignatureVerifierOptions {
  /** Returns the secret of an access key, or `undefined` when the key is unknown. */
  lookupSecret: (accessKey: string) => string | undefined;
  /** Current time in Unix milliseconds. */
  now: () => number;
  /** Largest accepted timestamp skew, seconds; also how long a signature is remembered. */
  maxSkewSeconds: number;
  /** Refuse a signature seen before inside the window (default true). */
  replayProtection?: boolean;
  /** Most signatures remembered at once (default 100 000); the oldest are dropped first. */
  capacity?: number;
}

/** A replayed request: its signature was already accepted inside the window. */
export type ReplayFailure = { ok: false; reason: "replay"; message: string; accessKey: string };

/**
 * Creates the verifier and its memory of accepted signatures.
 *
 * @param options Secrets, clock, window and capacity.
 * @returns `verify(request)`: {@link verifyRequest}'s result, or a {@link ReplayFailure}.
 */
export function createSignatureVerifier(
  options: SignatureVerifierOptions,
): (request: Request) => Promise<VerifyResult | ReplayFailure> {
  const seen = new Map<string, number>();
  const capacity = options.capacity ?? 100_000;
  return async (request) => {
    const now = options.now();
    const result = await verifyRequest(request, options.lookupSecret, {
      now: now / 1000,
      maxSkewSeconds: options.maxSkewSeconds,
    });
    if (!result.ok || options.replayProtection === false) return result;
    for (const [id, expires] of seen) {
      if (expires > now && seen.size < capacity) break;
      seen.delete(id);
    }
    const id = `${result.accessKey}:${result.signature}`;
    if (seen.has(id)) {
      return {
        ok: false,
        reason: "replay",
        message: "This signed request was already received; sign each attempt anew",
        accessKey: result.accessKey,
      };
    }
    seen.set(id, (result.timestamp + options.maxSkewSeconds) * 1000);
    return result;
  };
}
