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

import { verifyRequest, type VerifyResult } from "../verifier.ts";
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

/**
 * A refused request: replayed (`replay`), or not known to be fresh, so refused to fail closed:
 * the replay memory could not be asked or answered too late (`replay-check-unavailable`), or it
 * has no room for the signature (`replay-memory-full`: it never forgets an unexpired one).
 */
export type ReplayFailure = {
  ok: false;
  reason: "replay" | "replay-check-unavailable" | "replay-memory-full";
  message: string;
  accessKey: string;
};

/** Options of {@link rememberSignature}. */
export interface RememberOptions {
  /**
   * A monotonic clock, ms, to time the memory's answer (default `performance.now`); a fresh
   * answer slower than 10 s is not trusted (see {@link rememberSignature}).
   */
  elapsed?: () => number;
  /**
   * Whose share of the memory the signature counts against (default its access key). The
   * gateway passes the caller's name, so that keys sharing a name (a rotation) share one share.
   */
  owner?: string;
}

/**
 * How long a signature is kept beyond the last instant its timestamp can be accepted, ms: the
 * Durable Object and Deno KV stores expire entries by their own clocks, which may run ahead of the
 * verifier's. Together with `SLOW_ANSWER_MS` it covers a store clock up to 20 s ahead,
 * plus the time the caller took between verifying and remembering (server clocks under NTP agree
 * to milliseconds).
 */
const STORE_CLOCK_MARGIN_MS = 30_000;
/** A "fresh" answer that took longer than this, ms, is refused as unavailable. */
const SLOW_ANSWER_MS = 10_000;

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
 * The last instant a signature's timestamp can be accepted, plus the store clock margin, Unix ms.
 * {@link verifyRequest} floors its clock to whole seconds and accepts `|floor(now) - ts| <=
 * maxSkew`, so it accepts `ts` until `(ts + maxSkew + 1) * 1000` ms, exclusive.
 */
const rememberUntil = (timestamp: number, maxSkewSeconds: number) =>
  (timestamp + maxSkewSeconds + 1) * 1000 + STORE_CLOCK_MARGIN_MS;

const refusal = (
  accessKey: string,
  reason: ReplayFailure["reason"],
  message: string,
): ReplayFailure => ({ ok: false, reason, message, accessKey });

/**
 * Remembers a verified signature for as long as any clock can accept its timestamp, and refuses
 * it when it was remembered before (a replay). It fails closed: when the memory cannot be asked,
 * has no room (it never forgets an unexpired signature; each access key has a share of it), or
 * answers "fresh" only after 10 s (by then its clock may be past the margin the signature was
 * kept with), the request is refused too.
 *
 * The signature is kept until 30 s after the last instant {@link verifyRequest} can accept its
 * timestamp, `(ts + maxSkew + 1) * 1000` ms: the stores expire entries by their own clocks (a
 * Durable Object's `Date.now()`, Deno KV's `expireIn`), which may run ahead of the verifier's.
 *
 * @param memory Where signatures are remembered.
 * @param verified The verified request's key, signature and timestamp.
 * @param maxSkewSeconds The clock window the signature was accepted in.
 * @param options The clock that times the memory's answer.
 * @returns `undefined` for a fresh signature, else the {@link ReplayFailure}.
 */
export async function rememberSignature(
  memory: Pick<StateStore, "remember">,
  verified: VerifiedSignature,
  maxSkewSeconds: number,
  options: RememberOptions = {},
): Promise<ReplayFailure | undefined> {
  const { accessKey } = verified;
  const elapsed = options.elapsed ?? (() => performance.now());
  const started = elapsed();
  let answer: boolean | "full" | undefined;
  try {
    answer = await memory.remember(
      `${accessKey}:${verified.signature}`,
      rememberUntil(verified.timestamp, maxSkewSeconds),
      options.owner ?? accessKey,
    );
  } catch {
    // The memory could not be asked: `answer` stays undefined, and the request is refused.
  }
  if (answer === false) {
    return refusal(
      accessKey,
      "replay",
      "This signed request was already received; sign each attempt anew",
    );
  }
  if (answer === "full") {
    return refusal(
      accessKey,
      "replay-memory-full",
      "The replay memory holds all the signatures it can for now (for this key, or in all), so " +
        "the request was not accepted; try again shortly",
    );
  }
  if (answer !== true || elapsed() - started > SLOW_ANSWER_MS) {
    return refusal(
      accessKey,
      "replay-check-unavailable",
      "The replay check is unavailable, so the request was not accepted; try again",
    );
  }
  return undefined;
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
