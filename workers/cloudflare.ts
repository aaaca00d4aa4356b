/**
 * Cloudflare Workers entry (`wrangler.toml`'s `main`): the gateway configured from the worker's
 * bindings, and the two Durable Object classes its `wrangler.toml` binds, all from
 * `@wangsu/sdk/adapters/cloudflare`.
 *
 * @module
 */

import { createGatewayWorker } from "../src/adapters/cloudflare/mod.ts";

export {
  GatewayEventHub,
  GatewayStateObject,
  GatewayWebhookLedger,
} from "../src/adapters/cloudflare/mod.ts";

// With the MCP endpoint at /mcp (bundled because named here; `workers/cloudflare_without_mcp.ts`
// is the same worker without it).
export default createGatewayWorker({ mcp: () => import("../src/gateway/mcp/mod.ts") });
