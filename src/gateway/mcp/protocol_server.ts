/**
 * A minimal MCP server on the SDK's own `Protocol` (the JSON-RPC engine its `Server` is built
 * on): it answers `initialize` as `Server` does (the client's protocol version when supported,
 * else the latest; the capabilities, the server's name and version, the instructions) and takes
 * `notifications/initialized`; everything else is the handlers the route registers.
 *
 * Not `Server` itself: that class imports Ajv, ajv-formats and fast-uri statically (to validate
 * elicitation answers, which this server never asks for), and a Workers bundle carries every
 * static import. Measured (`wrangler deploy --dry-run`, `workers/cloudflare.ts`): 237.1 KiB
 * gzipped with `Server`, 175.1 KiB with this.
 *
 * @module
 */

// @ts-types="@modelcontextprotocol/sdk/shared/protocol"
import { Protocol } from "@modelcontextprotocol/sdk/shared/protocol.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import {
  type Implementation,
  InitializedNotificationSchema,
  InitializeRequestSchema,
  LATEST_PROTOCOL_VERSION,
  type ServerCapabilities,
  type ServerNotification,
  type ServerRequest,
  type ServerResult,
  SUPPORTED_PROTOCOL_VERSIONS,
} from "@modelcontextprotocol/sdk/types.js";

/** What the server tells a client at `initialize`. */
export interface ServerIdentity {
  /** The server's name and version. */
  info: Implementation;
  /** What it offers (`tools`, `resources`, ...). */
  capabilities: ServerCapabilities;
  /** How an agent should use it. */
  instructions?: string;
}

/**
 * The server: the SDK's `Protocol`, whose abstract capability checks pass everything (this
 * server sends no requests or notifications of its own, and registers only what it offers).
 */
class ProtocolServer extends Protocol<ServerRequest, ServerNotification, ServerResult> {
  protected assertCapabilityForMethod(): void {}
  protected assertNotificationCapability(): void {}
  protected assertRequestHandlerCapability(): void {}
  protected assertTaskCapability(): void {}
  protected assertTaskHandlerCapability(): void {}
}

/**
 * Creates a server that answers the initialisation handshake.
 *
 * @param identity Its name, version, capabilities and instructions.
 * @returns The server: register the request handlers, then `connect` a transport.
 */
export function createProtocolServer(identity: ServerIdentity): ProtocolServer {
  const server = new ProtocolServer();
  server.setRequestHandler(InitializeRequestSchema, ({ params }) => ({
    protocolVersion: SUPPORTED_PROTOCOL_VERSIONS.includes(params.protocolVersion)
      ? params.protocolVersion
      : LATEST_PROTOCOL_VERSION,
    capabilities: identity.capabilities,
    serverInfo: identity.info,
    ...(identity.instructions ? { instructions: identity.instructions } : {}),
  }));
  server.setNotificationHandler(InitializedNotificationSchema, () => {});
  return server;
}
