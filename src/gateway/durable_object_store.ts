/**
 * The gateway's shared state on Cloudflare Durable Objects. Each call goes (by RPC) to the
 * object that owns its key: the replay memory is spread over `replayShards` objects by a hash of
 * the signature, so no single object is hot; each budget or quota bucket has one object, which
 * serialises its requests and so counts exactly. The object class is `GatewayStateObject` in
 * `workers/gateway_state_object.ts`, exported by the Workers entry and bound as `GATEWAY_STATE`.
 *
 * @module
 */

import type { StateStore } from "../state_store.ts";

/** The binding of the Durable Object namespace, as much of it as the store uses. */
export interface StateObjectNamespace {
  /** The id of the object with that name. */
  idFromName(name: string): unknown;
  /** A stub: RPC calls to the object. */
  get(id: never): StateStore;
}

/** 32-bit FNV-1a of a string: cheap and evenly spread, to pick a shard. */
const hash = (text: string) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
};

/**
 * Creates the store over a Durable Object namespace.
 *
 * @param namespace The `GATEWAY_STATE` binding.
 * @param options `replayShards`: how many objects share the replay memory (default 16).
 * @returns The store.
 */
export function createDurableObjectStore(
  namespace: StateObjectNamespace,
  options: { replayShards?: number } = {},
): StateStore {
  const shards = options.replayShards ?? 16;
  const object = (name: string) => namespace.get(namespace.idFromName(name) as never);
  return {
    remember: (id, expiresAt) => object(`replay:${hash(id) % shards}`).remember(id, expiresAt),
    reserve: (bucket, limit, windowMs) =>
      object(`bucket:${bucket}`).reserve(bucket, limit, windowMs),
  };
}
