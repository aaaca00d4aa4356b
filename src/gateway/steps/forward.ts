/**
 * Step 7 of an action request: the input, re-signed with the account's key, sent upstream under
 * the client's retry policy. Whatever comes back (an exchange or a failure) is the outcome the
 * answer is made of.
 *
 * @module
 */

import type { ActionDefinition, CatalogEntry } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import { WangsuApiError } from "../../errors.ts";
import type { Exchange } from "../../transport.ts";
import type { BudgetTicket } from "../budget.ts";
import type { ActionModules } from "./action_modules.ts";

/** What forwarding one request needs. */
export interface Forwarding {
  /** Sends a request upstream (the transport's `send`). */
  send: ActionModules["send"];
  /** The upstream client, holding the account's key. */
  upstream: WangsuClient;
  /** The action. */
  action: CatalogEntry;
  /** Its definition (whether this input is safe to repeat). */
  definition: ActionDefinition;
  /** The validated input. */
  input: unknown;
  /** The gateway's request id, sent (and signed) as `x-gateway-request-id`. */
  requestId: string;
  /** Whether the request id is signed, so that no two requests can sign alike. */
  distinct: boolean;
  /** The request's slot of the account budget, when there is a budget. */
  ticket?: BudgetTicket;
}

/** What came back from upstream, with the service's request id when it gave one. */
export type Outcome =
  | { exchange: Exchange; requestId?: string }
  | { failure: unknown; requestId?: string };

/**
 * Sends the request upstream.
 *
 * @param forwarding The request and what sending it needs.
 * @returns The outcome; a failure is returned, not thrown.
 */
export async function forward(forwarding: Forwarding): Promise<Outcome> {
  const { send, upstream, action, definition, input, requestId, distinct, ticket } = forwarding;
  // No signal: the request's is aborted by Deno once the response is sent, and one of our own
  // would cost an `AbortSignal.any` per attempt.
  const request = {
    path: action.path,
    body: input,
    headers: { "x-gateway-request-id": requestId },
    distinct,
    ...(ticket ? { budget: ticket } : {}),
  };
  // The same policy as any client: only what is safe to repeat is ever sent twice.
  const repeatable = action.readOnly || (definition.repeatable?.(input) ?? false);
  try {
    const exchange = await send(upstream, request, action.name, repeatable);
    return { exchange, requestId: exchange.requestId };
  } catch (failure) {
    return {
      failure,
      requestId: failure instanceof WangsuApiError ? failure.requestId : undefined,
    };
  }
}
