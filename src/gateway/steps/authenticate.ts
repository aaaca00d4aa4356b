/**
 * Step 1 of an action request: who is calling. A caller comes back (a signed one with its
 * verified signature, not yet remembered); anything else is refused with 401 and the reason.
 *
 * @module
 */

import type { AuditEntry } from "../audit.ts";
import { GatewayError } from "../gateway_error.ts";
import type { Caller, createAuthenticator } from "../keys.ts";

/** The gateway's authenticator (see {@link createAuthenticator}). */
export type Authenticate = ReturnType<typeof createAuthenticator>;

/**
 * Authenticates the request.
 *
 * @param authenticate The gateway's authenticator.
 * @param request The request, whose headers carry the credentials.
 * @param readBody Reads the request's body (a signature covers it); without it, the authenticator
 *   reads the body from a clone of the request.
 * @returns The caller.
 * @throws {GatewayError} 401 with the reason (`unknown-token`, `bad-signature`, ...); the audit
 *   notes the reason it keeps apart (an unknown access key is answered as a bad signature).
 */
export async function authenticateCaller(
  authenticate: Authenticate,
  request: Request,
  readBody?: () => Promise<string>,
): Promise<Caller> {
  const caller = await authenticate(request, readBody);
  if ("reason" in caller) {
    throw new GatewayError(401, caller.reason, caller.message, {
      details: { reason: caller.reason },
      audit: { authFailure: caller.audited ?? caller.reason },
    });
  }
  return caller;
}

/** An authenticated request: its caller, and the reader of its body. */
export interface AuthenticatedRequest {
  /** The caller. */
  caller: Caller;
  /** Reads the request's body, once: every call answers the same text. */
  readBody: () => Promise<string>;
}

/** Options of {@link authenticateRequest} and {@link authenticateAdmin}. */
export interface AuthenticateRequestOptions {
  /**
   * Whether the route reads the body too: then the authenticator reads it through the returned
   * reader (default); otherwise from a clone of the request.
   */
  readsBody?: boolean;
}

/**
 * Authenticates a route's request and names the caller's key in its audit entry.
 *
 * @param authenticate The gateway's authenticator.
 * @param request The request.
 * @param audit The request's audit entry: its `key` is set to the caller's name.
 * @param options Whether the route reads the body too.
 * @returns The caller and the body's reader.
 * @throws {GatewayError} 401, as {@link authenticateCaller}.
 */
export async function authenticateRequest(
  authenticate: Authenticate,
  request: Request,
  audit: Pick<AuditEntry, "key">,
  { readsBody = true }: AuthenticateRequestOptions = {},
): Promise<AuthenticatedRequest> {
  let body: Promise<string> | undefined;
  const readBody = () => body ??= request.text();
  const caller = await authenticateCaller(authenticate, request, readsBody ? readBody : undefined);
  audit.key = caller.name;
  return { caller, readBody };
}

/**
 * Authenticates a request of an operator's route (`/admin/ownership`, the webhooks' dead
 * letters): as {@link authenticateRequest}, then refuses a key without the admin right.
 *
 * @param authenticate The gateway's authenticator.
 * @param request The request.
 * @param audit The request's audit entry: its `key` is set to the caller's name.
 * @param options Whether the route reads the body too.
 * @returns The caller (with the admin right) and the body's reader.
 * @throws {GatewayError} 401, as {@link authenticateCaller}; 403 (`not-admin`) for a key without
 *   the admin right.
 */
export async function authenticateAdmin(
  authenticate: Authenticate,
  request: Request,
  audit: Pick<AuditEntry, "key">,
  options?: AuthenticateRequestOptions,
): Promise<AuthenticatedRequest> {
  const authenticated = await authenticateRequest(authenticate, request, audit, options);
  const { caller } = authenticated;
  if (caller.admin !== true) {
    throw new GatewayError(403, "not-admin", `Key ${caller.name} has no admin right`);
  }
  return authenticated;
}
