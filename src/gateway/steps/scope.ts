/**
 * Step 2 of an action request: whether the caller's key may call the action.
 *
 * @module
 */

import type { CatalogEntry } from "../../action.ts";
import { GatewayError } from "../gateway_error.ts";
import type { Caller } from "../keys.ts";

/**
 * Checks the action is in the caller's scope.
 *
 * @param caller The authenticated caller.
 * @param action The action asked for.
 * @throws {GatewayError} 403 (`out-of-scope`) naming the key and the action.
 */
export function checkScope(caller: Caller, action: CatalogEntry): void {
  if (!caller.allowed.has(action.name)) {
    throw new GatewayError(403, "out-of-scope", `Key ${caller.name} may not call ${action.name}`);
  }
}
