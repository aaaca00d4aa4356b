/**
 * The gateway on Deno and Deno Deploy: its shared state (replay memory, account budget, key
 * quotas) on Deno KV, and its callback event hubs on Deno KV (every process and isolate sharing
 * one database) and on `BroadcastChannel` (the isolates of one Deno Deploy deployment, or the
 * workers of one process):
 *
 * ```ts ignore
 * import { createGateway } from "@wangsu/sdk/gateway";
 * import { createDenoKvHub, createDenoKvStore } from "@wangsu/sdk/adapters/deno";
 *
 * const kv = await Deno.openKv();
 * const gateway = createGateway({
 *   upstream: {
 *     accessKey: Deno.env.get("WANGSU_ACCESS_KEY")!,
 *     secretKey: Deno.env.get("WANGSU_SECRET_KEY")!,
 *   },
 *   keys: JSON.parse(Deno.env.get("GATEWAY_KEYS")!),
 *   store: createDenoKvStore(kv),
 *   callbacks: { token: Deno.env.get("GATEWAY_CALLBACK_TOKEN")!, hub: createDenoKvHub(kv) },
 * });
 * Deno.serve(gateway.fetch);
 * ```
 *
 * (`workers/deno.ts` in the repository is a complete server, configured from its environment.)
 * Each function takes the database as an argument, so nothing here needs Deno itself.
 *
 * @module
 */

export {
  createDenoKvStore,
  type DenoKvLike,
  type DenoKvStoreOptions,
  type KvEntry,
} from "./deno_kv_store.ts";
export {
  createDenoKvHub,
  type DenoKvHubLike,
  type DenoKvHubOptions,
  type KvAtomicLike,
  type KvKeyLike,
} from "./deno_kv_hub.ts";
export {
  createDenoKvWebhookLedger,
  createDenoKvWebhookQueue,
  type DenoKvWebhookLike,
  type DenoKvWebhookOptions,
  type DenoKvWebhookQueue,
} from "./webhook_queue.ts";
export {
  type BroadcastChannelHubOptions,
  createBroadcastChannelHub,
} from "./broadcast_channel_hub.ts";
