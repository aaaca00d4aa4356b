/**
 * Step 8 of an action request: the outcome upstream turned into the caller's answer. The
 * service's own answer goes back as it came (status, body, request id); a failure that is the
 * gateway's or the upstream's becomes its refusal.
 *
 * @module
 */

import { WangsuApiError, WangsuTimeoutError } from "../../errors.ts";
import type { BudgetLimiter } from "../budget.ts";
import { GatewayError } from "../gateway_error.ts";
import { budgetRefusal } from "./budget.ts";
import type { Outcome } from "./forward.ts";

/** An answer with a body from upstream: its status, text and headers. */
export interface Answer {
  /** HTTP status. */
  status: number;
  /** The body, as the service wrote it. */
  text: string;
  /** Headers (`x-cnc-request-id`, `retry-after`). */
  headers: Record<string, string>;
}

/** Statuses with which the service refuses the gateway's own credentials. */
const UPSTREAM_AUTH_STATUSES = new Set([401, 403, 462]);

/**
 * Makes the answer.
 *
 * @param outcome What came back from upstream.
 * @param budget The account budget, whose refusal of a retry is answered as its own.
 * @returns The service's answer.
 * @throws {GatewayError} 429 or 503 when the budget refused a retry; 502 when the service
 *   refused the gateway's credentials (`upstream-credentials`, not the caller's fault), could not
 *   be reached or answered garbage (`upstream-unreachable`); 504 when it did not answer in time
 *   (`upstream-timeout`).
 */
export function answer(outcome: Outcome, budget?: BudgetLimiter): Answer {
  if ("exchange" in outcome) {
    const { text, requestId } = outcome.exchange;
    // The service's answer as it came: checked to be a successful envelope, not re-encoded.
    return { status: 200, text, headers: requestId ? { "x-cnc-request-id": requestId } : {} };
  }
  const { failure, requestId } = outcome;
  const refusal = budget && budgetRefusal(failure, budget);
  if (refusal) throw refusal;
  if (failure instanceof WangsuApiError && UPSTREAM_AUTH_STATUSES.has(failure.status)) {
    throw new GatewayError(
      502,
      "upstream-credentials",
      "The upstream service refused the gateway's credentials",
      { details: { upstreamStatus: failure.status } },
    );
  }
  if (failure instanceof WangsuApiError && failure.code != "INVALID_RESPONSE") {
    // The service's own answer goes back as it came: status, body, request id.
    const text = typeof failure.body == "string" ? failure.body : JSON.stringify(failure.body);
    const headers: Record<string, string> = requestId ? { "x-cnc-request-id": requestId } : {};
    // Every 429 says when to come back: the service's own figure, or a second.
    if (failure.status == 429) {
      headers["retry-after"] = String(Math.max(1, Math.ceil(failure.retryAfterSeconds ?? 1)));
    }
    return { status: failure.status, text, headers };
  }
  if (failure instanceof WangsuTimeoutError) {
    throw new GatewayError(
      504,
      "upstream-timeout",
      `The upstream service did not answer within ${failure.timeoutMs} ms`,
    );
  }
  throw new GatewayError(
    502,
    "upstream-unreachable",
    "The upstream service could not be reached or answered garbage",
    { headers: requestId ? { "x-cnc-request-id": requestId } : {} },
  );
}
