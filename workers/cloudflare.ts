/**
 * Cloudflare Workers entry: a module worker over `createGateway`, configured from bindings (see
 * `src/gateway/config.ts`), its shared state on the `GATEWAY_STATE` Durable Object namespace
 * (declared in `wrangler.toml`). The gateway is built once per isolate; every isolate shares the
 * replay memory, the account budget and the keys' quotas through the objects.
 *
 * @module
 */

import {
  createDurableObjectStore,
  createGateway,
  type Gateway,
  type StateObjectNamespace,
} from "../src/gateway/mod.ts";
import { type GatewayEnvironment, gatewayOptionsFromEnvironment } from "../src/gateway/config.ts";

export { GatewayStateObject } from "./gateway_state_object.ts";

/** The worker's bindings: configuration variables, and the state namespace. */
type Bindings = GatewayEnvironment & { GATEWAY_STATE?: StateObjectNamespace };

let gateway: Gateway | undefined;

export default {
  fetch(request: Request, env: Bindings): Promise<Response> {
    gateway ??= create(env);
    return gateway.fetch(request);
  },
};

function create(env: Bindings): Gateway {
  const { GATEWAY_STATE: namespace, ...variables } = env;
  const options = gatewayOptionsFromEnvironment(variables as GatewayEnvironment);
  if (!namespace) {
    console.warn(
      "GATEWAY_STATE is not bound: replay memory, budget and quotas are per isolate only",
    );
  }
  return createGateway({
    ...options,
    store: namespace &&
      createDurableObjectStore(namespace, {
        replayShards: Number(variables.GATEWAY_REPLAY_SHARDS) || undefined,
      }),
  });
}
