/**
 * Step 3 of an action request: the body, parsed and validated against the action's schema
 * (loaded with the action's first request).
 *
 * @module
 */

import type { ActionDefinition, CatalogEntry } from "../../action.ts";
import { GatewayError } from "../gateway_error.ts";
import type { ActionLoader, ActionModules } from "./action_modules.ts";

/** A valid body, and what forwarding it needs. */
export interface ValidBody {
  /** The validated input. */
  input: unknown;
  /** The action's definition. */
  definition: ActionDefinition;
  /** Sends a request upstream. */
  send: ActionModules["send"];
}

/**
 * Validates the body.
 *
 * @param action The action asked for.
 * @param text The body's text.
 * @param load Loads the action's modules.
 * @returns The input and what forwarding it needs.
 * @throws {GatewayError} 400 (`invalid-body`): not JSON, not an object, or against the rules
 *   (with `issues`, each naming the field and the rule).
 */
export async function validateBody(
  action: CatalogEntry,
  text: string,
  load: ActionLoader,
): Promise<ValidBody> {
  const { definition, readActionBody, send } = await load(action);
  const body = readActionBody(definition, text);
  if ("message" in body) {
    throw new GatewayError(400, "invalid-body", body.message, {
      details: body.issues.length ? { issues: body.issues } : {},
    });
  }
  return { input: body.input, definition, send };
}
