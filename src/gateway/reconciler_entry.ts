/**
 * The gateway's reconciler (`@wangsu/sdk/gateway/reconciler`), apart from `@wangsu/sdk/gateway` so
 * that a gateway without one never loads it: the channel memories it keeps (in this process or
 * in Deno KV), the cron expression of its interval, and its loop in one process. The gateway runs
 * it with its `reconciler` option; these are what a deployment needs around it.
 *
 * @example
 * ```ts
 * import { createGateway } from "@wangsu/sdk/gateway";
 * import { runReconcilerEvery } from "@wangsu/sdk/gateway/reconciler";
 *
 * const gateway = createGateway({
 *   upstream: { accessKey: "AK_MASTER", secretKey: "SK_MASTER" },
 *   keys: [{ name: "ops", token: Deno.env.get("OPS_TOKEN")!, actions: ["read"] }],
 *   callbacks: { token: Deno.env.get("CALLBACK_TOKEN")! },
 *   reconciler: { intervalMs: 300_000 },
 * });
 * runReconcilerEvery(gateway.reconcile!, { intervalMs: 300_000 });
 * ```
 *
 * @module
 */

export {
  type ChannelBelief,
  type ChannelKv,
  type ChannelMemory,
  createKvChannelMemory,
  createMemoryChannelMemory,
  cronOf,
  type ReconcileReport,
  type ReconcilerOptions,
  runReconcilerEvery,
} from "./reconciler.ts";
export type {
  CallbackEventBase,
  ChannelLiveState,
  ChannelStateCorrectedEvent,
} from "../callbacks/parse.ts";
