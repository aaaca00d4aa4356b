/**
 * The operators' route of tenancy, `/admin/ownership`, for keys with `admin: true` only:
 * `POST` grants objects to a tenant (taking them from any other), `DELETE` revokes a tenant's
 * objects, `GET ?tenant=` lists what a tenant owns. For objects made before the gateway or
 * outside it. Each grant and revoke is audited (`action`, `key`, and `ownership`: what changed).
 *
 * Body of `POST` and `DELETE`: `{ "tenant": "team-b", "kind": "channel", "ids": ["p1", "p2"] }`.
 *
 * @module
 */

import { OBJECT_KINDS, type ObjectKind } from "../actions/ownership.ts";
import type { StateStore } from "../server/state_store.ts";
import type { AuditEntry } from "./audit.ts";
import { GatewayError, stateUnavailable } from "./gateway_error.ts";
import type { AuthFailure, Caller } from "./keys.ts";
import { authenticateAdmin } from "./steps/authenticate.ts";
import { askStore, ownershipLedger } from "./steps/ownership.ts";

/** What the route needs from the gateway. */
export interface AdminRouteOptions {
  /**
   * Authenticates a request (a signed one already remembered, so it cannot be replayed), reading
   * a signed request's body with `readBody` (the route always gives it).
   */
  authenticate(request: Request, readBody?: () => Promise<string>): Promise<Caller | AuthFailure>;
  /** The gateway's shared state. */
  store: StateStore;
  /** The gateway's clock, Unix ms. */
  now: () => number;
}

const ACTIONS: Record<string, string> = {
  POST: "grantOwnership",
  DELETE: "revokeOwnership",
  GET: "listOwnership",
};
const MAX_IDS = 100;

const invalid = (message: string) =>
  new GatewayError(400, "invalid-body", message, { details: { reason: "invalid-body" } });

/** A grant or revoke's body, checked: the tenant, the kind, and 1 to 100 ids. */
const changeOf = (text: string): { tenant: string; kind: ObjectKind; ids: string[] } => {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalid("The body must be JSON: { tenant, kind, ids }");
  }
  const { tenant, kind, ids } = (typeof body == "object" && body ? body : {}) as Record<
    string,
    unknown
  >;
  if (typeof tenant != "string" || !tenant) throw invalid("tenant: must be a key's name");
  if (!OBJECT_KINDS.includes(kind as ObjectKind)) {
    throw invalid(`kind: must be one of ${OBJECT_KINDS.join(", ")}`);
  }
  if (
    !Array.isArray(ids) || !ids.length || ids.length > MAX_IDS ||
    ids.some((id) => typeof id != "string" || !/^[\w.-]{1,128}$/.test(id))
  ) {
    throw invalid(`ids: must be 1 to ${MAX_IDS} ids of letters, digits, _ . -`);
  }
  return { tenant, kind: kind as ObjectKind, ids };
};

/**
 * Answers one request of `/admin/ownership`.
 *
 * @param request The request.
 * @param audit Its audit entry.
 * @param options The authenticator and the store.
 * @returns The JSON text of the answer (status 200).
 * @throws {GatewayError} 401 for a caller not authenticated, 403 for a key without the admin
 *   right, 400 for a bad body, 405 for another method, 503 when the store cannot answer.
 */
export async function answerOwnershipAdmin(
  request: Request,
  audit: AuditEntry,
  options: AdminRouteOptions,
): Promise<string> {
  const action = ACTIONS[request.method];
  if (!action) {
    throw new GatewayError(405, "method-not-allowed", "/admin/ownership takes GET, POST, DELETE", {
      headers: { allow: "GET, POST, DELETE" },
    });
  }
  audit.action = action;
  const { readBody } = await authenticateAdmin(options.authenticate, request, audit);
  const ledger = ownershipLedger(options.store, { now: options.now });
  if (!ledger.kept) throw stateUnavailable({});
  if (request.method == "GET") {
    const tenant = new URL(request.url).searchParams.get("tenant");
    if (!tenant) throw invalid("tenant: give ?tenant=<a key's name>");
    const ids = await askStore(ledger.ownedBy(tenant));
    const objects = ids.map((id) => {
      const at = id.indexOf(":");
      return { kind: id.slice(0, at), id: id.slice(at + 1) };
    });
    return JSON.stringify({ tenant, objects });
  }
  const { tenant, kind, ids } = changeOf(await readBody());
  const keys = ids.map((id) => `${kind}:${id}`);
  if (request.method == "POST") {
    await askStore(ledger.setOwners(keys, tenant));
    audit.ownership = `${kind} ${ids.join(",")} to ${tenant}`;
    return JSON.stringify({ granted: { tenant, kind, ids } });
  }
  // Revoke only what the tenant owns: a revoke never takes another tenant's object.
  const owners = await askStore(ledger.owners(keys));
  const theirs = keys.filter((_, index) => owners[index] === tenant);
  if (theirs.length) await askStore(ledger.setOwners(theirs, undefined));
  const revoked = theirs.map((id) => id.slice(kind.length + 1));
  audit.ownership = `${kind} ${revoked.join(",")} from ${tenant}`;
  return JSON.stringify({ revoked: { tenant, kind, ids: revoked } });
}
