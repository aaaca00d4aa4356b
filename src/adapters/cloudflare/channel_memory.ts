/**
 * The reconciler's channel memory on Workers: on the `GATEWAY_STATE` Durable Object (one object,
 * named `channels`), so that every isolate of the deployment notes the channels whose events it
 * publishes in one place, and the isolate a Cron Trigger wakes polls them all. An isolate's own
 * memory would know only the channels whose callbacks that isolate happened to receive.
 *
 * @module
 */

import type { ChannelBelief, ChannelMemory } from "../../gateway/reconciler.ts";
import type { StateObjectNamespace } from "./durable_object_store.ts";

/** The channel memory's RPC methods on `GatewayStateObject`. */
interface ChannelObject {
  noteChannel(
    belief: ChannelBelief,
    expiresAt: number,
    now: number,
    capacity: number,
  ): Promise<boolean>;
  recentChannels(now: number, limit: number): Promise<ChannelBelief[]>;
}

/**
 * Creates the channel memory over the `GATEWAY_STATE` namespace (`GatewayStateObject`). The
 * Workers entry (`createGatewayWorker`) gives it to the reconciler when `GATEWAY_STATE` is bound.
 * A belief is kept until its expiry, unless the channel holds a later one; the object's alarm
 * deletes expired rows.
 *
 * @param namespace The `GATEWAY_STATE` binding.
 * @param options `now`: the clock expiry is judged by, Unix ms (default `Date.now`).
 *   `capacity`: most channels held (default 100 000); beyond it a new channel takes the place of
 *   the one noted least lately. `recent()` answers with every channel held, so keep the capacity
 *   within what one RPC answer carries (about 200 bytes a channel).
 * @returns The memory.
 */
export function createDurableObjectChannelMemory(
  namespace: StateObjectNamespace,
  options: { now?: () => number; capacity?: number } = {},
): ChannelMemory {
  const now = options.now ?? Date.now;
  const capacity = options.capacity ?? 100_000;
  const object = () =>
    namespace.get(namespace.idFromName("channels") as never) as unknown as ChannelObject;
  return {
    async note(belief, expiresAt) {
      await object().noteChannel(belief, expiresAt, now(), capacity);
    },
    async recent() {
      // Called from outside workerd the answer is a proxy: copy the plain beliefs out of it.
      return (await object().recentChannels(now(), capacity)).map((belief) => ({ ...belief }));
    },
  };
}
