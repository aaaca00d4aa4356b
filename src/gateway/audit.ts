/**
 * The gateway's audit trail: one entry per request, as a JSON line on the console (which Workers
 * Logs and Deno Deploy collect) and to an `onAudit` hook. An entry names the caller's key, never
 * its secret or token, and holds no body and no `Authorization` header.
 *
 * @module
 */

/** One gateway request, as audited. */
export interface AuditEntry {
  /** When the request arrived, ISO 8601. */
  time: string;
  /** The gateway's id for the request (its `x-gateway-request-id`). */
  requestId: string;
  /** HTTP method. */
  method: string;
  /** Path, without the query (a callback ingress path's token shown as `[token]`). */
  path: string;
  /** The API action, when the path is one. */
  action?: string;
  /**
   * The gateway route an action came through, when it is not the action's own HTTP path (which
   * is the default, `"http"`, and left out): set by the gateway's routes (e.g. `"mcp"`), never
   * from anything the request carries.
   */
  via?: string;
  /** The caller's key name, once authenticated. */
  key?: string;
  /** Why authentication failed (`bad-signature`, `replay`, `unknown-token`, ...). */
  authFailure?: string;
  /** The status answered. */
  status: number;
  /**
   * Why the gateway refused the request (the refusal's reason: `out-of-scope`,
   * `quota-exceeded`, `invalid-body`, ...), also when the answer's status does not say so: an MCP
   * tool call refused is answered with HTTP 200 and a tool error.
   */
  refusal?: string;
  /** The vendor's `x-cnc-request-id`, when the request went upstream. */
  upstreamRequestId?: string;
  /** Time from arrival to the response, ms. */
  durationMs: number;
  /** Request body size, bytes. */
  bytesIn: number;
  /** Response body size, bytes. */
  bytesOut: number;
  /** For signed callers: whether the signature was new, a replay, or could not be checked. */
  replay?: "fresh" | "replayed" | "unavailable";
  /** For keys with a quota: whether the request fitted. */
  quota?: "ok" | "exceeded" | "unavailable";
  /** For forwarded requests: the account budget's decision, and how long it waited. */
  budget?: "ok" | "exhausted" | "unavailable";
  /** Time waited for the account budget, ms. */
  budgetWaitMs?: number;
  /** For callbacks received: the event's type and id, and whether it was a redelivery. */
  callback?: { type: string; id: string; duplicate: boolean };
  /** For the operators' ownership route: what was granted or revoked (tenancy). */
  ownership?: string;
}

/** Writes an entry to the console as one JSON line. */
export const logAuditEntry = (entry: AuditEntry): void =>
  console.log(JSON.stringify({ type: "gateway.audit", ...entry }));
