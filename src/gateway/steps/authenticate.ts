/**
 * Step 1 of an action request: who is calling. A caller comes back (a signed one with its
 * verified signature, not yet remembered); anything else is refused with 401 and the reason.
 *
 * @module
 */

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
