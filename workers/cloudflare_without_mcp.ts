/**
 * The Workers entry of `workers/cloudflare.ts` without the MCP endpoint: what a deployment that
 * does not serve `/mcp` bundles (`deno task bench` builds both and prints their sizes side by
 * side; `/mcp` answers 404 here).
 *
 * @module
 */

import { createGatewayWorker } from "../src/adapters/cloudflare/mod.ts";

export {
  GatewayEventHub,
  GatewayStateObject,
  GatewayWebhookLedger,
} from "../src/adapters/cloudflare/mod.ts";

export default createGatewayWorker();
