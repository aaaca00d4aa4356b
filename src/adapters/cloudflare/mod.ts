/**
 * The gateway on Cloudflare Workers: its shared state (replay memory, account budget, key
 * quotas) and its callback event hub on Durable Objects, the two Durable Object classes they
 * call, and the whole gateway as a module worker configured from its bindings. A worker script
 * exports the classes, so that its `wrangler.toml` can bind them:
 *
 * ```ts ignore
 * import { createGatewayWorker } from "@wangsu/sdk/adapters/cloudflare";
 * export {
 *   GatewayEventHub,
 *   GatewayStateObject,
 *   GatewayWebhookLedger,
 * } from "@wangsu/sdk/adapters/cloudflare";
 * export default createGatewayWorker();
 * ```
 *
 * with, in `wrangler.toml`, a `[[durable_objects.bindings]]` of `GATEWAY_STATE` to class
 * `GatewayStateObject` and one of `GATEWAY_EVENTS` to `GatewayEventHub`, and a migration adding
 * both to `new_sqlite_classes` (as the repository's `wrangler.toml` does). A worker that builds
 * its own gateway hands the bindings to the store and the hub:
 *
 * ```ts ignore
 * gateway ??= createGateway({
 *   ...options,
 *   store: createDurableObjectStore(env.GATEWAY_STATE, { shardSecret: env.SHARD_SECRET }),
 *   callbacks: { token: env.GATEWAY_CALLBACK_TOKEN, hub: createDurableObjectHub(env.GATEWAY_EVENTS) },
 * });
 * ```
 *
 * The classes import `cloudflare:workers`, which only workerd provides (the package leaves that
 * import to the platform): import this module in a worker, not in Deno or Node.
 *
 * @module
 */

export { createDurableObjectStore, type StateObjectNamespace } from "./durable_object_store.ts";
export { createDurableObjectChannelMemory } from "./channel_memory.ts";
export type { ChannelBelief, ChannelMemory } from "../../gateway/reconciler.ts";
export type { ChannelLiveState } from "../../callbacks/parse.ts";
export {
  createDurableObjectHub,
  type EventHubNamespace,
  type EventHubRpcOptions,
  type EventHubStub,
} from "./durable_object_hub.ts";
export {
  createGatewayWorker,
  type GatewayWorker,
  type GatewayWorkerBindings,
  type GatewayWorkerOptions,
  type ScheduledController,
  type WorkerContext,
} from "./worker.ts";
export { GatewayStateObject } from "./gateway_state_object.ts";
export { GatewayEventHub } from "./event_hub_object.ts";
export {
  consumeWebhookBatch,
  createCloudflareWebhookQueue,
  createDurableObjectWebhookLedger,
  type QueueBatch,
  type QueueMessage,
  type QueueProducer,
  type WebhookLedgerNamespace,
} from "./webhook_queue.ts";
export { GatewayWebhookLedger } from "./webhook_ledger_object.ts";
export type { DurableObject, DurableObjectState, SqlCursor } from "./workers_types.ts";
export type { CallbackEvent } from "../../callbacks/parse.ts";
