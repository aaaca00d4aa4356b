/**
 * The gateway's `/mcp` route: the Model Context Protocol over Streamable HTTP, built with the
 * official SDK (`@modelcontextprotocol/sdk`: its transport and its protocol engine, see
 * `protocol_server.ts`), stateless (a server and a transport per request, no
 * session, JSON answers rather than event streams), so that it runs alike on Workers, Deno Deploy
 * and a Deno server. Imported by the gateway on the first request to `/mcp`, never at start-up,
 * and only by a gateway given this endpoint (`src/gateway/mcp/mod.ts`).
 *
 * A caller authenticates with a gateway bearer token; it sees as tools the actions its key may
 * call, and each tool call runs through the gateway's action steps (`runAction`, `via: "mcp"`):
 * validation, scope, quota, account budget, forwarding and the audit entry, as on the action's
 * own path. Refusals and the service's errors come back as tool errors.
 *
 * @module
 */

// @ts-types="@modelcontextprotocol/sdk/server/webStandardStreamableHttp"
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import {
  CallToolRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { catalog } from "../../actions/catalog.ts";
import type { AuditEntry } from "../audit.ts";
import { GatewayError, internalError } from "../gateway_error.ts";
import type { McpCaller, McpGatewayParts, McpRoute } from "./endpoint.ts";
import { createProtocolServer } from "./protocol_server.ts";
import { answerResult, refusalResult, toolError, type ToolResult } from "./tool_result.ts";
import { toolsOf } from "./tools.ts";

/** The resource that tells a key what it may do. */
const KEY_RESOURCE = "wangsu-gateway://key";

/** The MCP server's instructions to the agent. */
const INSTRUCTIONS = "Operates Wangsu live-streaming channels through a gateway key. Each tool " +
  "is one API action this key may call; read-only tools change nothing. Every call counts " +
  "against the account's upstream budget and the key's quota: when a call is refused for " +
  "either, wait the retryAfterSeconds it gives. Read " + KEY_RESOURCE + " for this key's scope " +
  "and quota.";

/** 401 for a request without a valid bearer token. */
const unauthorized = (reason: string, message: string) =>
  new GatewayError(401, reason, message, {
    details: { reason },
    headers: { "www-authenticate": 'Bearer realm="wangsu-gateway"' },
    audit: { authFailure: reason },
  });

/** The audit entry notes a tool call's refusal, which the client gets as a tool error (HTTP 200). */
const refused = (audit: AuditEntry, refusal: GatewayError): ToolResult => {
  audit.refusal = refusal.reason;
  return refusalResult(refusal);
};

/**
 * Creates the `/mcp` route.
 *
 * @param parts The gateway's authenticator, action runner, account budget and version.
 * @returns The route: `POST` speaks MCP; `GET` and `DELETE` (event streams and sessions, which
 *   a stateless server does not keep) answer 405.
 */
export function createMcpRoute(parts: McpGatewayParts): McpRoute {
  const { authenticate, runAction, accountBudget, version } = parts;
  return async (request, audit) => {
    if (request.method != "POST") {
      throw new GatewayError(
        405,
        "method-not-allowed",
        "/mcp takes POST (a stateless server: no event stream, no session)",
        { headers: { allow: "POST" } },
      );
    }
    if (!/^bearer /i.test(request.headers.get("authorization") ?? "")) {
      throw unauthorized("missing-token", "Send a gateway bearer token: Authorization: Bearer ...");
    }
    const caller = await authenticate(request);
    if ("reason" in caller) throw unauthorized(caller.reason, caller.message);
    audit.key = caller.name;
    // The tool calls authenticate with the same headers; the body stays the transport's.
    const credentials = new Request(request.url, { method: "POST", headers: request.headers });
    // The body is read here (the gateway's body limit already bounds it) so that a JSON-RPC batch
    // is refused before any of its messages runs: one HTTP request, one call, one audit entry.
    let message: unknown;
    try {
      message = JSON.parse(await request.text());
    } catch {
      audit.refusal = "invalid-json";
      return jsonRpcError(-32700, "Parse error: the body must be one JSON-RPC message");
    }
    if (Array.isArray(message)) {
      audit.refusal = "batch";
      return jsonRpcError(
        -32600,
        "Invalid Request: batches are not accepted; send one JSON-RPC message per request",
      );
    }
    // Set before the first await of a call, so a second call in the same request sees it.
    let called = false;
    const server = mcpServer(caller, {
      version,
      accountBudget,
      call: async (name, input) => {
        if (!catalog.some((entry) => entry.name == name)) {
          audit.refusal = "unknown-tool";
          return toolError(`No tool named ${name.slice(0, 100)}`, { reason: "unknown-tool" });
        }
        // One audit entry per HTTP request: any call past the first is refused.
        if (called) {
          return refusalResult(
            new GatewayError(400, "one-call-per-request", "Send one tools/call per request"),
          );
        }
        called = true;
        try {
          const answer = await runAction(credentials, { action: name, audit, input });
          return answerResult(name, answer);
        } catch (failure) {
          if (failure instanceof GatewayError) return refused(audit, failure);
          // Nothing of an unexpected error reaches the agent or the log but its name.
          return refused(audit, internalError(failure, audit.requestId));
        }
      },
    });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(request, { parsedBody: message });
    } finally {
      await server.close();
    }
  };
}

/** A JSON-RPC error answered before the transport reads the request (HTTP 400, no id). */
const jsonRpcError = (code: number, message: string) =>
  Response.json({ jsonrpc: "2.0", id: null, error: { code, message } }, { status: 400 });

/** One request's server: the caller's tools and resource, and the tool calls. */
const mcpServer = (
  caller: McpCaller,
  { version, accountBudget, call }: {
    version: string;
    accountBudget: McpGatewayParts["accountBudget"];
    call: (name: string, input: string) => Promise<ToolResult>;
  },
) => {
  const server = createProtocolServer({
    info: { name: "wangsu-gateway", version },
    capabilities: { tools: {}, resources: {} },
    instructions: INSTRUCTIONS,
  });
  const allowed = catalog.filter((action) => caller.allowed.has(action.name));
  const costs = { accountBudget, quota: caller.rateLimit };
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: await toolsOf(allowed, costs),
  }));
  server.setRequestHandler(
    CallToolRequestSchema,
    ({ params }) => call(params.name, JSON.stringify(params.arguments ?? {})),
  );
  server.setRequestHandler(ListResourcesRequestSchema, () => ({
    resources: [{
      uri: KEY_RESOURCE,
      name: "This key",
      description: "The key's name, the actions it may call, its quota and the account budget",
      mimeType: "application/json",
    }],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, ({ params }) => {
    if (params.uri != KEY_RESOURCE) {
      throw new GatewayError(404, "not-found", `No resource ${params.uri.slice(0, 100)}`);
    }
    const key = {
      name: caller.name,
      actions: allowed.map((action) => action.name),
      quota: caller.rateLimit ?? null,
      accountBudget: accountBudget ?? null,
    };
    return {
      contents: [{ uri: KEY_RESOURCE, mimeType: "application/json", text: JSON.stringify(key) }],
    };
  });
  return server;
};
