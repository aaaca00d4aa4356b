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
  createGateway,
  type EventHubNamespace,
  type Gateway,
  type StateObjectNamespace,
} from "../src/gateway/mod.ts";
import { type GatewayEnvironment, gatewayOptionsFromEnvironment } from "../src/gateway/config.ts";

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
    gateway ??= create(env);
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

function create(env: Bindings): Gateway {
  const { GATEWAY_STATE: namespace, GATEWAY_EVENTS: events, ...variables } = env;
  const options = gatewayOptionsFromEnvironment(variables as GatewayEnvironment);
  if (!namespace) {
    console.warn(
      "GATEWAY_STATE is not bound: replay memory, budget and quotas are per isolate only",
    );
  }
  if (options.callbacks && !events) {
    console.warn("GATEWAY_EVENTS is not bound: /events only sees callbacks this isolate receives");
  }
  return createGateway({
    ...options,
    callbacks: options.callbacks &&
      { ...options.callbacks, hub: events && createDurableObjectHub(events) },
    store: namespace &&
      createDurableObjectStore(namespace, {
        replayShards: Number(variables.GATEWAY_REPLAY_SHARDS) || undefined,
      }),
  });
}
