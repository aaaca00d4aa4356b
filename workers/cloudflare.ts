/**
 * Cloudflare Workers entry: a module worker over `createGateway`, configured from bindings
 * (see `src/gateway/config.ts`). The gateway is built once per isolate.
 *
 * @module
 */

import { createGateway, type Gateway } from "../src/gateway/mod.ts";
import { type GatewayEnvironment, gatewayOptionsFromEnvironment } from "../src/gateway/config.ts";

let gateway: Gateway | undefined;

export default {
  fetch(request: Request, env: GatewayEnvironment): Promise<Response> {
    gateway ??= createGateway(gatewayOptionsFromEnvironment(env));
    return gateway.fetch(request);
  },
};
