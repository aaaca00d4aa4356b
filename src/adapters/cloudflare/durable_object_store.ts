/**
 * The gateway's shared state on Cloudflare Durable Objects. Each call goes (by RPC) to the
 * object that owns its key: the replay memory is spread over `replayShards` objects by a keyed
 * hash of the signature (HMAC-SHA256 under a key derived from a per-deployment secret, so a
 * caller cannot choose its shard and pile its requests onto one object); each budget or quota
 * bucket has one object, which serialises its requests and so counts exactly. The object class
 * is `GatewayStateObject` (`gateway_state_object.ts`), which the worker exports and binds as
 * `GATEWAY_STATE`.
 *
 * @module
 */

import { WangsuValidationError } from "../../errors.ts";
import { ownerShareOf, type StateStore } from "../../server/state_store.ts";
import { wholeOption } from "../../server/whole_option.ts";

/** The binding of the Durable Object namespace, as much of it as the store uses. */
export interface StateObjectNamespace {
  /** The id of the object with that name. */
  idFromName(name: string): unknown;
  /**
   * A stub: RPC calls to the object. Its `remember` takes a fourth argument, the shard's bounds
   * (`{ capacity, ownerShare }`), which a plain {@link StateStore} may ignore.
   */
  get(id: never): StateStore;
}

/** What the shard key is derived under, so that it is never the deployment's secret itself. */
const SHARD_KEY_LABEL = "wangsu-gateway/replay-shard-key/v1";

const invalid = (path: string, rule: string, text: string) =>
  new WangsuValidationError([{ path, rule, message: `${path}: ${text}` }]);

/**
 * Creates the store over a Durable Object namespace.
 *
 * @param namespace The `GATEWAY_STATE` binding.
 * @param options `shardSecret` (required): a secret of the deployment, at least 16 characters,
 *   that never leaves it (the Workers entry passes the master secret key); the shard key is
 *   derived from it by HMAC under a label, and every isolate of the deployment derives the same.
 *   `replayShards`: how many objects share the replay memory (default 16). `capacity`: most
 *   signatures one shard holds (default 100 000); `ownerShare`: most one caller holds in a
 *   shard (default an equal part for each of `owners` callers, or half of `capacity`). A full
 *   shard refuses new signatures; it never forgets an unexpired one.
 * @returns The store.
 * @throws {WangsuValidationError} When `shardSecret` is missing or short, or a count is not a
 *   whole number of at least 1 (naming the option; never its value).
 */
export function createDurableObjectStore(
  namespace: StateObjectNamespace,
  options: {
    shardSecret: string;
    replayShards?: number;
    capacity?: number;
    ownerShare?: number;
    owners?: number;
  },
): StateStore {
  const { shardSecret } = options ?? {};
  if (typeof shardSecret != "string" || shardSecret.length < 16) {
    throw invalid(
      "shardSecret",
      "min_length",
      "must be a per-deployment secret of at least 16 characters",
    );
  }
  for (const name of ["replayShards", "capacity", "ownerShare", "owners"] as const) {
    wholeOption(options[name], name, 1, undefined);
  }
  const shards = options.replayShards ?? 16;
  const capacity = options.capacity ?? 100_000;
  const bounds = { capacity, ownerShare: ownerShareOf(capacity, options) };
  // The shard of an id: HMAC-SHA256 under the derived key. The SHA-256 module is loaded with the
  // first signed request, not by every isolate at start-up.
  let shardOf: Promise<(id: string) => number> | undefined;
  const object = (name: string) => namespace.get(namespace.idFromName(name) as never);
  return {
    async remember(id, expiresAt, owner) {
      const shard =
        await (shardOf ??= import("../../sha256.ts").then(({ hmacSha256, wordsToHex }) => {
          const keyed = hmacSha256(wordsToHex(hmacSha256(shardSecret)(SHARD_KEY_LABEL)));
          return (text: string) => (keyed(text)[0] >>> 0) % shards;
        }));
      const stub = object(`replay:${shard(id)}`) as unknown as { remember: StateObjectRemember };
      return await stub.remember(id, expiresAt, owner, bounds);
    },
    reserve: (bucket, limit, windowMs) =>
      object(`bucket:${bucket}`).reserve(bucket, limit, windowMs),
    // Tenancy: every owner in one object (owners change seldom, and the gateway caches them).
    owners: (ids) => object("ownership").owners!(ids),
    setOwners: (ids, owner) => object("ownership").setOwners!(ids, owner),
    ownedBy: (owner) => object("ownership").ownedBy!(owner),
  };
}

/** The object's `remember`: the store's, with the shard's bounds. */
type StateObjectRemember = (
  id: string,
  expiresAt: number,
  owner: string | undefined,
  bounds: { capacity: number; ownerShare: number },
) => Promise<boolean | "full">;
