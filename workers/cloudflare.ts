/**
 * Cloudflare Workers entry: a module worker over `createGateway`, configured from bindings (see
 * `src/gateway/config.ts`), its shared state on the `GATEWAY_STATE` Durable Object namespace
 * (declared in `wrangler.toml`). The gateway is built once per isolate; every isolate shares the
 * replay memory, the account budget and the keys' quotas through the objects, and callbacks fan
 * out to every isolate's `/events` subscribers through the `GATEWAY_EVENTS` hub object.
 *
 * @module
 */

import {
  createDurableObjectHub,
  createDurableObjectStore,
  type EventHubNamespace,
  type Gateway,
  type StateObjectNamespace,
} from "../src/gateway/mod.ts";
import {
  createGatewayFromEnvironment,
  type GatewayEnvironment,
  gatewayOptionsFromEnvironment,
  replayShardsFromEnvironment,
} from "../src/gateway/config.ts";
import { countCallers } from "../src/gateway/keys.ts";
import { WangsuValidationError } from "../src/errors.ts";

export { GatewayStateObject } from "./gateway_state_object.ts";
export { GatewayEventHub } from "./event_hub_object.ts";

/** The worker's bindings: configuration variables, the state and event hub namespaces. */
type Bindings = GatewayEnvironment & {
  GATEWAY_STATE?: StateObjectNamespace;
  GATEWAY_EVENTS?: EventHubNamespace;
};

let gateway: Gateway | undefined;

export default {
  fetch(request: Request, env: Bindings): Promise<Response> {
    if (!gateway) {
      // Nothing is kept from a failed start: every request tries again (cheap: the bindings are
      // read and checked, nothing else), and the first good configuration serves.
      try {
        gateway = create(env);
      } catch (error) {
        return Promise.resolve(misconfigured(error));
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

/** Says, once the gateway is built, which shared bindings are missing and what that means. */
function warnUnbound(env: Bindings): void {
  if (!env.GATEWAY_STATE) {
    console.warn(
      "GATEWAY_STATE is not bound: replay memory, budget and quotas are per isolate only",
    );
  }
  if (env.GATEWAY_CALLBACK_TOKEN && !env.GATEWAY_EVENTS) {
    console.warn("GATEWAY_EVENTS is not bound: /events only sees callbacks this isolate receives");
  }
}

/** What was last logged about a failed start: each failure is logged once, not per request. */
let logged: string | undefined;

/**
 * The answer while the configuration is wrong: 503 with a message naming the variables to fix
 * and nothing else (no stack, no value); what is wrong with them goes to the log, once.
 */
function misconfigured(error: unknown): Response {
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
  if (detail != logged) {
    logged = detail;
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

function create(env: Bindings): Gateway {
  const { GATEWAY_STATE: namespace, GATEWAY_EVENTS: events, ...variables } = env;
  const options = gatewayOptionsFromEnvironment(variables as GatewayEnvironment);
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
