/**
 * Step 4 of an action request: a signed caller's signature is remembered, so that the same
 * signed request sent again is refused. It runs once the request is known to be in scope and
 * valid (a refusal that can never pass need not be remembered), and before quota and budget (a
 * refusal that can pass later must stay remembered, or its replay would run what its sender
 * believes failed).
 *
 * @module
 */

import type { StateStore } from "../../server/state_store.ts";
import { GatewayError } from "../gateway_error.ts";
import type { AuthFailure, Caller } from "../keys.ts";

/** Remembers a caller's signature: a failure when it was seen before or cannot be checked. */
export type RememberSignature = (caller: Caller) => Promise<AuthFailure | undefined>;

/**
 * Creates the gateway's memory of signatures, in its shared store. The replay guard is loaded
 * with the first signed request that gets this far.
 *
 * @param store Where signatures are remembered.
 * @param maxSkewSeconds The signatures' clock window (how long one must be remembered).
 * @returns The memory; bearer callers pass it untouched.
 */
export function createSignatureMemory(
  store: StateStore,
  maxSkewSeconds: number,
): RememberSignature {
  let replayGuard: Promise<typeof import("../../server/replay_guard.ts")> | undefined;
  return async (caller) => {
    if (!caller.signature) return undefined;
    const { rememberSignature } = await (replayGuard ??= import("../../server/replay_guard.ts"));
    return await rememberSignature(store, caller.signature, maxSkewSeconds, {
      owner: caller.name,
    });
  };
}

/**
 * Refuses a replayed signed request.
 *
 * @param remember The memory of signatures.
 * @param caller The authenticated caller.
 * @returns `"fresh"` for a signature seen now for the first time; nothing for a bearer caller.
 * @throws {GatewayError} 401 (`replay`) for a replay, the caller's fault; 503 with Retry-After
 *   when the memory cannot answer, ours.
 */
export async function checkReplay(
  remember: RememberSignature,
  caller: Caller,
): Promise<"fresh" | undefined> {
  const failure = await remember(caller);
  if (!failure) return caller.signature ? "fresh" : undefined;
  const replayed = failure.reason == "replay";
  throw new GatewayError(replayed ? 401 : 503, failure.reason, failure.message, {
    details: { reason: failure.reason },
    headers: replayed ? {} : { "retry-after": "1" },
    audit: { authFailure: failure.reason, replay: replayed ? "replayed" : "unavailable" },
  });
}
