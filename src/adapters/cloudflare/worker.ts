/**
 * The gateway as a Cloudflare module worker, configured from its bindings: the variables of
 * `src/gateway/config.ts` (secrets included) and the `GATEWAY_STATE` and `GATEWAY_EVENTS` Durable
 * Object namespaces. The gateway is built once per isolate, on the first request; every isolate
 * shares the replay memory, the account budget and the keys' quotas through the state objects,
 * and callbacks fan out to every isolate's `/events` subscribers through the hub object.
 *
 * @module
 */

import type { Gateway } from "../../gateway/mod.ts";
import {
  createGatewayFromEnvironment,
  type GatewayEnvironment,
  gatewayOptionsFromEnvironment,
  replayShardsFromEnvironment,
} from "../../gateway/config.ts";
import { countCallers } from "../../gateway/keys.ts";
import { WangsuValidationError } from "../../errors.ts";
import { createDurableObjectStore, type StateObjectNamespace } from "./durable_object_store.ts";
import { createDurableObjectHub, type EventHubNamespace } from "./durable_object_hub.ts";

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
};

/** A module worker: what a Workers script exports as its default. */
export interface GatewayWorker {
  /** Answers a request with the gateway, built from `env` on first use. */
  fetch(request: Request, env: GatewayWorkerBindings): Promise<Response>;
}

/**
 * Creates the gateway's module worker. A worker script is then three lines (its `wrangler.toml`
 * binds the two classes):
 *
 * ```ts ignore
 * import { createGatewayWorker } from "@wangsu/sdk/adapters/cloudflare";
 * export { GatewayEventHub, GatewayStateObject } from "@wangsu/sdk/adapters/cloudflare";
 * export default createGatewayWorker();
 * ```
 *
 * While the configuration is wrong, every request (`/healthz` included) answers 503 with a
 * message naming the variables to fix, and the log says what is wrong, once; nothing is kept
 * from a failed start, so the first good configuration serves.
 *
 * @returns The worker.
 */
export function createGatewayWorker(): GatewayWorker {
  let gateway: Gateway | undefined;
  const log: { last?: string } = {};
  return {
    fetch(request, env) {
      if (!gateway) {
        // Every request tries again (cheap: the bindings are read and checked, nothing else).
        try {
          gateway = create(env);
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
      "GATEWAY_STATE is not bound: replay memory, budget and quotas are per isolate only",
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

function create(env: GatewayWorkerBindings): Gateway {
  const { GATEWAY_STATE: namespace, GATEWAY_EVENTS: events, ...rest } = env;
  const variables = rest as GatewayEnvironment;
  const options = gatewayOptionsFromEnvironment(variables);
  return createGatewayFromEnvironment({
    ...options,
    callbacks: options.callbacks &&
      { ...options.callbacks, hub: events && createDurableObjectHub(events) },
    store: namespace &&
      // The shard key is derived from a secret that is per deployment and never leaves it.
      createDurableObjectStore(namespace, {
        ...replayShardsFromEnvironment(variables),
        // Each caller an equal part of every shard, so that none can fill one for the others.
        owners: countCallers(options.keys),
      }),
  });
}
