/**
 * Cloudflare Workers entry (`wrangler.toml`'s `main`): the gateway configured from the worker's
 * bindings, and the two Durable Object classes its `wrangler.toml` binds, all from
 * `@wangsu/sdk/adapters/cloudflare`.
 *
 * @module
 */

import { createGatewayWorker } from "../src/adapters/cloudflare/mod.ts";

export { GatewayEventHub, GatewayStateObject } from "../src/adapters/cloudflare/mod.ts";

export default createGatewayWorker();
