/**
 * What a gateway and its MCP endpoint agree on, and nothing more: the gateway's parts the
 * endpoint is made with, and the route it gives back. Types only, so that the gateway names this
 * file and never the endpoint's module (`src/gateway/mcp/mod.ts`, `@wangsu/sdk/gateway/mcp`) nor
 * the MCP SDK: a deployment that does not pass `createGateway` its `mcp` option bundles neither.
 *
 * @module
 */

import type { AuditEntry } from "../audit.ts";
import type { KeyRateLimit } from "../keys.ts";

/** A key, as the MCP endpoint sees it. */
export interface McpCaller {
  /** The key's name. */
  name: string;
  /** The actions the key may call. */
  allowed: ReadonlySet<string>;
  /** The key's quota, when it has one. */
  rateLimit?: KeyRateLimit;
}

/** Why a request's credentials were refused. */
export interface McpAuthFailure {
  /** Short machine-readable reason (`unknown-token`, ...). */
  reason: string;
  /** A sentence for the caller (never a secret). */
  message: string;
}

/** One tool call, to run as an action request. */
export interface McpActionCall {
  /** The action's name, from the catalog. */
  action: string;
  /** The tool's arguments, as JSON text: the action's input. */
  input: string;
  /** The request's audit entry: each step's decision is written to it. */
  audit: AuditEntry;
}

/** The service's answer to an action, as the gateway passes it on. */
export interface McpAnswer {
  /** HTTP status. */
  status: number;
  /** The body, as the service wrote it. */
  text: string;
  /** Headers (`x-cnc-request-id`, `retry-after`). */
  headers: Record<string, string>;
}

/** The gateway's parts an MCP endpoint is made with. */
export interface McpGatewayParts {
  /** Authenticates a request from its headers: the caller's key, or why not. */
  authenticate(request: Request): Promise<McpCaller | McpAuthFailure>;
  /**
   * Runs an action through the gateway's steps (authentication from `request`'s headers, scope,
   * validation, quota, budget, forwarding, audit), as coming through MCP.
   *
   * @throws The gateway's refusal (a `GatewayError`: status, reason, message, details, headers).
   */
  runAction(request: Request, call: McpActionCall): Promise<McpAnswer>;
  /** The account budget, when there is one (for the tools' descriptions). */
  accountBudget?: { limit: number; windowSeconds: number };
  /** The gateway's version, as the server's. */
  version: string;
}

/**
 * The `/mcp` route: answers one request, writing to its audit entry. A refusal it throws (a
 * `GatewayError`) is rendered by the gateway like any other.
 */
export type McpRoute = (request: Request, audit: AuditEntry) => Promise<Response>;

/**
 * An MCP endpoint: the module `@wangsu/sdk/gateway/mcp` (`src/gateway/mcp/mod.ts`), which a
 * deployment passes to `createGateway({ mcp: () => import("@wangsu/sdk/gateway/mcp") })`.
 */
export interface McpEndpoint {
  /**
   * Makes the route from the gateway's parts.
   *
   * @param parts The gateway's authenticator, action runner, budget and version.
   * @returns The route.
   */
  createMcpRoute(parts: McpGatewayParts): McpRoute;
}
