/**
 * The gateway's MCP endpoint (`@wangsu/sdk/gateway/mcp`): AI agents operate the API at `/mcp`
 * through the gateway's keys, over MCP's Streamable HTTP transport. Opt in by passing this module
 * to the gateway, which imports it on the first request to `/mcp`; a deployment that does not
 * pass it bundles none of it, and its `/mcp` answers 404.
 *
 * @example
 * ```ts
 * import { createGateway } from "@wangsu/sdk/gateway";
 *
 * const gateway = createGateway({
 *   upstream: { accessKey: "AK_MASTER", secretKey: "SK_MASTER" },
 *   keys: [{ name: "agent", token: Deno.env.get("AGENT_TOKEN")!, actions: ["read"] }],
 *   mcp: () => import("@wangsu/sdk/gateway/mcp"),
 * });
 * Deno.serve(gateway.fetch);
 * ```
 *
 * On Workers: `createGatewayWorker({ mcp: () => import("@wangsu/sdk/gateway/mcp") })`.
 *
 * @module
 */

export { createMcpRoute } from "./route.ts";
export type {
  McpActionCall,
  McpAnswer,
  McpAuthFailure,
  McpCaller,
  McpEndpoint,
  McpGatewayParts,
  McpRoute,
} from "./endpoint.ts";
export type { AuditEntry } from "../audit.ts";
export type { KeyRateLimit } from "../keys.ts";
