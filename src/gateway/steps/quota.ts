/**
 * Step 5 of an action request: the caller's key takes a slot of its quota (every key has one
 * unless it opts out), kept in the gateway's shared store.
 *
 * @module
 */

import type { StateStore } from "../../server/state_store.ts";
import { GatewayError, retryAfter, stateUnavailable } from "../gateway_error.ts";
import type { Caller } from "../keys.ts";

/**
 * Takes a slot of the key's quota.
 *
 * @param store Where the quotas are kept.
 * @param caller The authenticated caller.
 * @returns `"ok"` with a slot taken; nothing for a key without a quota.
 * @throws {GatewayError} 429 (`quota-exceeded`) with Retry-After when the quota is used up; 503
 *   when the store cannot answer.
 */
export async function checkQuota(store: StateStore, caller: Caller): Promise<"ok" | undefined> {
  if (!caller.rateLimit) return undefined;
  const { limit, windowSeconds } = caller.rateLimit;
  // Only a store's failure to answer is an outage; a store that throws at once is a bug.
  const reservation = await store.reserve(`key:${caller.name}`, limit, windowSeconds * 1000)
    .catch(() => undefined);
  if (!reservation) throw stateUnavailable({ quota: "unavailable" });
  if (!reservation.ok) {
    const wait = retryAfter(reservation.retryAfterMs);
    throw new GatewayError(
      429,
      "quota-exceeded",
      `Key ${caller.name} is over its quota of ${limit} requests per ${windowSeconds} s; ` +
        `retry in ${wait} s`,
      { headers: { "retry-after": wait }, audit: { quota: "exceeded" } },
    );
  }
  return "ok";
}
