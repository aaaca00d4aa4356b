/**
 * The gateway as a Cloudflare module worker, configured from its bindings: the variables of
 * `src/gateway/config.ts` (secrets included) and the `GATEWAY_STATE` and `GATEWAY_EVENTS` Durable
 * Object namespaces. The gateway is built once per isolate, on the first request; every isolate
 * shares the replay memory, the account budget and the keys' quotas through the state objects,
 * and callbacks fan out to every isolate's `/events` subscribers through the hub object.
 *
 * @module
 */

import type { Gateway, GatewayOptions } from "../../gateway/mod.ts";
import {
  createGatewayFromEnvironment,
  type GatewayEnvironment,
  gatewayOptionsFromEnvironment,
  replayShardsFromEnvironment,
  webhookEndpointsFromEnvironment,
  webhookScheduleFromEnvironment,
} from "../../gateway/config.ts";
import { countCallers } from "../../gateway/keys.ts";
import { WangsuValidationError } from "../../errors.ts";
import { createDurableObjectStore, type StateObjectNamespace } from "./durable_object_store.ts";
import { createDurableObjectHub, type EventHubNamespace } from "./durable_object_hub.ts";
import { historyOptionsOf } from "../../gateway/event_hub.ts";
import { createDurableObjectChannelMemory } from "./channel_memory.ts";
import { createWebhookDelivery, type WebhookDelivery } from "../../gateway/webhooks/delivery.ts";
import {
  consumeWebhookBatch,
  createCloudflareWebhookQueue,
  createDurableObjectWebhookLedger,
  type QueueBatch,
  type QueueProducer,
  type WebhookLedgerNamespace,
} from "./webhook_queue.ts";

/**
 * The worker's bindings: its configuration variables (`WANGSU_ACCESS_KEY`, `WANGSU_SECRET_KEY`,
 * `GATEWAY_KEYS` and the optional ones of the gateway's configuration) and the state and event
 * hub namespaces.
 */
export type GatewayWorkerBindings = Record<string, unknown> & {
  /** The namespace of `GatewayStateObject`: shared state; per isolate when not bound. */
  GATEWAY_STATE?: StateObjectNamespace;
  /** The namespace of `GatewayEventHub`: callbacks reach every isolate's `/events`. */
  GATEWAY_EVENTS?: EventHubNamespace;
  /** The producer of the Cloudflare Queue the webhooks travel through (with `GATEWAY_WEBHOOKS`). */
  WEBHOOK_QUEUE?: QueueProducer;
  /** The namespace of `GatewayWebhookLedger`: delivered marks and dead letters. */
  GATEWAY_WEBHOOK_LEDGER?: WebhookLedgerNamespace;
};

/** What Workers passes a `scheduled()` handler: the Cron Trigger's schedule and time. */
export interface ScheduledController {
  /** The cron expression that fired. */
  cron: string;
  /** When it was due, Unix ms. */
  scheduledTime: number;
}

/** The part of a Workers execution context the worker uses. */
export interface WorkerContext {
  /** Keeps the isolate alive until `promise` settles. */
  waitUntil(promise: Promise<unknown>): void;
}

/** What the worker is made with besides its bindings: the modules it opts in to. */
export interface GatewayWorkerOptions {
  /**
   * The MCP endpoint at `/mcp` (`() => import("@wangsu/sdk/gateway/mcp")`), bundled and loaded
   * only when given: without it `/mcp` answers 404 and the worker's bundle holds no MCP SDK.
   */
  mcp?: GatewayOptions["mcp"];
}

/** A module worker: what a Workers script exports as its default. */
export interface GatewayWorker {
  /** Answers a request with the gateway, built from `env` on first use. */
  fetch(request: Request, env: GatewayWorkerBindings): Promise<Response>;
  /**
   * The consumer of the webhooks' Queue (`[[queues.consumers]]` in `wrangler.toml`): one attempt
   * per job, each message acknowledged once what followed is recorded, retried otherwise.
   */
  queue(batch: QueueBatch, env: GatewayWorkerBindings): Promise<void>;
  /**
   * The Cron Trigger (`[triggers] crons` in `wrangler.toml`): runs the reconciler once when
   * `GATEWAY_RECONCILER=on`, logging what it did as one JSON line; nothing otherwise.
   */
  scheduled(
    controller: ScheduledController,
    env: GatewayWorkerBindings,
    ctx?: WorkerContext,
  ): Promise<void>;
}

/**
 * Creates the gateway's module worker. A worker script is then three lines (its `wrangler.toml`
 * binds the two classes):
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
 * With the MCP endpoint for AI agents at `/mcp` (without it, the bundle holds no MCP SDK):
 * `createGatewayWorker({ mcp: () => import("@wangsu/sdk/gateway/mcp") })`.
 *
 * While the configuration is wrong, every request (`/healthz` included) answers 503 with a
 * message naming the variables to fix, and the log says what is wrong, once; nothing is kept
 * from a failed start, so the first good configuration serves.
 *
 * @param options The modules the worker opts in to (`mcp`).
 * @returns The worker.
 */
export function createGatewayWorker(options: GatewayWorkerOptions = {}): GatewayWorker {
  let gateway: Gateway | undefined;
  const log: { last?: string } = {};
  const held: { webhooks?: WebhookDelivery } = {};
  return {
    async queue(batch, env) {
      if (!gateway) {
        try {
          gateway = create(env, held, options);
        } catch (error) {
          misconfigured(error, log);
          for (const message of batch.messages) message.retry({ delaySeconds: 60 });
          return;
        }
      }
      if (!held.webhooks) {
        console.error("webhooks: a queue batch arrived but GATEWAY_WEBHOOKS is not set; retried");
        for (const message of batch.messages) message.retry({ delaySeconds: 60 });
        return;
      }
      await consumeWebhookBatch(batch, held.webhooks);
    },
    async scheduled(controller, env, ctx) {
      if (!gateway) {
        try {
          gateway = create(env, held, options);
        } catch (error) {
          misconfigured(error, log);
          return;
        }
      }
      if (!gateway.reconcile) return;
      const run = gateway.reconcile().then((report) => {
        const { corrections, ...counts } = report;
        console.log(JSON.stringify({
          reconciler: { cron: controller.cron, ...counts, corrections: corrections.length },
        }));
      });
      ctx?.waitUntil(run);
      await run;
    },
    fetch(request, env) {
      if (!gateway) {
        // Every request tries again (cheap: the bindings are read and checked, nothing else).
        try {
          gateway = create(env, held, options);
        } catch (error) {
          return Promise.resolve(misconfigured(error, log));
        }
        warnUnbound(env);
      }
      // Cloudflare sets CF-Connecting-IP itself: the callback allow-list can trust it here. Read
      // only when the allow-list asks, not on every request.
      return gateway.fetch(request, {
        remoteAddr: {
          get hostname() {
            return request.headers.get("cf-connecting-ip") ?? undefined;
          },
        },
      });
    },
  };
}

/** Says, once the gateway is built, which shared bindings are missing and what that means. */
function warnUnbound(env: GatewayWorkerBindings): void {
  if (!env.GATEWAY_STATE) {
    console.warn(
      "GATEWAY_STATE is not bound: ownership records, replay memory, budget and quotas are " +
        "per isolate only",
    );
  }
  if (env.GATEWAY_CALLBACK_TOKEN && !env.GATEWAY_EVENTS) {
    console.warn("GATEWAY_EVENTS is not bound: /events only sees callbacks this isolate receives");
  }
}

/**
 * The answer while the configuration is wrong: 503 with a message naming the variables to fix
 * and nothing else (no stack, no value); what is wrong with them goes to the log, once (`log`
 * holds what was last logged, so that each failure is logged once, not per request).
 */
function misconfigured(error: unknown, log: { last?: string }): Response {
  const issues = error instanceof WangsuValidationError ? error.issues : [];
  // A configuration issue's path starts with the variable's name (src/gateway/config.ts).
  const variables = [
    ...new Set(issues.flatMap((issue) => /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+/.exec(issue.path) ?? [])),
  ];
  // Issue messages name a variable and a rule, never a value; anything else thrown is a bug, of
  // which only the name and where it was thrown are logged (its message might quote a value).
  const detail = issues.length
    ? issues.map((issue) => issue.message).join("; ")
    : error instanceof Error
    ? [error.name, ...(error.stack?.split("\n").filter((line) => /^\s+at /.test(line)) ?? [])]
      .join("\n")
    : typeof error;
  if (detail != log.last) {
    log.last = detail;
    console.error(
      `gateway: not started; every request answers 503 until the configuration is fixed: ${detail}`,
    );
  }
  const message = "The gateway is not configured" +
    (variables.length ? `: check ${variables.join(", ")}` : "") +
    " (the worker's log says what is wrong)";
  return new Response(JSON.stringify({ code: 503, message }), {
    status: 503,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

/**
 * The webhooks' delivery when `GATEWAY_WEBHOOKS` is set: through the `WEBHOOK_QUEUE` Queue, with
 * the `GATEWAY_WEBHOOK_LEDGER` object's ledger (both required: an isolate's memory would lose
 * retries and dead letters when it is evicted).
 */
function webhooksOf(env: GatewayWorkerBindings, variables: GatewayEnvironment) {
  const endpoints = webhookEndpointsFromEnvironment(variables);
  if (!endpoints) return undefined;
  const unbound = (name: string, what: string) =>
    new WangsuValidationError([{
      path: name,
      rule: "binding",
      message: `${name}: must be bound to ${what} when GATEWAY_WEBHOOKS is set`,
    }]);
  if (!env.WEBHOOK_QUEUE) throw unbound("WEBHOOK_QUEUE", "a Queue (producer and consumer)");
  if (!env.GATEWAY_WEBHOOK_LEDGER) {
    throw unbound("GATEWAY_WEBHOOK_LEDGER", "the GatewayWebhookLedger Durable Object class");
  }
  return createWebhookDelivery({
    endpoints,
    queue: createCloudflareWebhookQueue(env.WEBHOOK_QUEUE),
    ledger: createDurableObjectWebhookLedger(env.GATEWAY_WEBHOOK_LEDGER),
    scheduleMs: webhookScheduleFromEnvironment(variables),
  });
}

function create(
  env: GatewayWorkerBindings,
  held: { webhooks?: WebhookDelivery },
  { mcp }: GatewayWorkerOptions,
): Gateway {
  const {
    GATEWAY_STATE: namespace,
    GATEWAY_EVENTS: events,
    WEBHOOK_QUEUE: _queue,
    GATEWAY_WEBHOOK_LEDGER: _ledger,
    ...rest
  } = env;
  const variables = rest as GatewayEnvironment;
  const options = gatewayOptionsFromEnvironment(variables);
  const webhooks = webhooksOf(env, variables);
  const gateway = createGatewayFromEnvironment({
    ...options,
    mcp,
    webhooks,
    callbacks: options.callbacks &&
      {
        ...options.callbacks,
        hub: events && createDurableObjectHub(events, historyOptionsOf(options.callbacks)),
      },
    // The channels every isolate published events for, on the state object: the isolate a Cron
    // Trigger wakes polls them all, not only those whose callbacks it received itself.
    reconciler: options.reconciler && namespace
      ? { ...options.reconciler, memory: createDurableObjectChannelMemory(namespace) }
      : options.reconciler,
    store: namespace &&
      // The shard key is derived from a secret that is per deployment and never leaves it.
      createDurableObjectStore(namespace, {
        ...replayShardsFromEnvironment(variables),
        // Each caller an equal part of every shard, so that none can fill one for the others.
        owners: countCallers(options.keys),
      }),
  });
  held.webhooks = webhooks;
  return gateway;
}
