/**
 * Server-side signature checking with replay protection: {@link verifyRequest}, then a memory of
 * recently accepted signatures, so that an identical signed request sent again while its
 * timestamp is still inside the clock window is refused. Used by the simulator (as the service
 * does) and by the gateway (which re-signs upstream, so the service could not catch a replay for
 * it), whose memory is shared between isolates through its {@link StateStore}. The gateway calls
 * the two halves apart ({@link verifyRequest}, then {@link rememberSignature} once the request is
 * known to be in scope and valid), so that requests which can never pass fill no memory.
 *
 * @module
 */

import { verifyRequest, type VerifyResult } from "./verifier.ts";
import { createMemoryStore, type StateStore } from "./state_store.ts";

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
  /** Where accepted signatures are remembered (default this isolate's memory). */
  memory?: Pick<StateStore, "remember">;
}

/** A refused request: replayed, or the replay memory could not be asked (so it fails closed). */
export type ReplayFailure = {
  ok: false;
  reason: "replay" | "replay-check-unavailable";
  message: string;
  accessKey: string;
};

/** What {@link rememberSignature} needs of a verified request. */
export interface VerifiedSignature {
  /** The caller's access key. */
  accessKey: string;
  /** The request's signature (lower-case hex). */
  signature: string;
  /** The request's `x-cnc-timestamp`, Unix seconds. */
  timestamp: number;
}

/**
 * Remembers a verified signature for as long as its timestamp can be accepted, and refuses it
 * when it was remembered before (a replay) or the memory cannot be asked (fails closed).
 *
 * @param memory Where signatures are remembered.
 * @param verified The verified request's key, signature and timestamp.
 * @param maxSkewSeconds The clock window the signature was accepted in.
 * @returns `undefined` for a fresh signature, else the {@link ReplayFailure}.
 */
export async function rememberSignature(
  memory: Pick<StateStore, "remember">,
  verified: VerifiedSignature,
  maxSkewSeconds: number,
): Promise<ReplayFailure | undefined> {
  const { accessKey } = verified;
  let fresh: boolean;
  try {
    fresh = await memory.remember(
      `${accessKey}:${verified.signature}`,
      (verified.timestamp + maxSkewSeconds) * 1000,
    );
  } catch {
    return {
      ok: false,
      reason: "replay-check-unavailable",
      message: "The replay check is unavailable, so the request was not accepted; try again",
      accessKey,
    };
  }
  return fresh ? undefined : {
    ok: false,
    reason: "replay",
    message: "This signed request was already received; sign each attempt anew",
    accessKey,
  };
}

/**
 * Creates the verifier over its memory of accepted signatures.
 *
 * @param options Secrets, clock, window and memory.
 * @returns `verify(request, body?)`, where `body` is the request's body when already read:
 *   {@link verifyRequest}'s result, or a {@link ReplayFailure}.
 */
export function createSignatureVerifier(
  options: SignatureVerifierOptions,
): (request: Request, body?: string) => Promise<VerifyResult | ReplayFailure> {
  const memory = options.memory ?? createMemoryStore({ now: options.now });
  return async (request, body) => {
    const result = await verifyRequest(request, options.lookupSecret, {
      now: options.now() / 1000,
      maxSkewSeconds: options.maxSkewSeconds,
      body,
    });
    if (!result.ok || options.replayProtection === false) return result;
    return await rememberSignature(memory, result, options.maxSkewSeconds) ?? result;
  };
}
