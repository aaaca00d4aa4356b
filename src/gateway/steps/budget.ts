/**
 * Step 6 of an action request: a slot of the account's upstream budget, taken before anything is
 * forwarded. The budget says how long it waited; the request carries the slot to the upstream
 * client, whose further attempts take slots of their own.
 *
 * @module
 */

import {
  BudgetExhaustedError,
  type BudgetLimiter,
  type BudgetTicket,
  StateUnavailableError,
} from "../budget.ts";
import { GatewayError, retryAfter, stateUnavailable } from "../gateway_error.ts";

/**
 * The refusal for a failure of the budget, whether taking the first slot or a retry's.
 *
 * @param failure What the budget threw.
 * @param budget The budget.
 * @param waitedMs For the audit: the time the request waited, when the refusal ends the wait.
 * @returns The refusal, or nothing when the failure is not the budget's.
 */
export function budgetRefusal(
  failure: unknown,
  budget: BudgetLimiter,
  waitedMs?: number,
): GatewayError | undefined {
  const waited = waitedMs === undefined ? {} : { budgetWaitMs: Math.round(waitedMs) };
  if (failure instanceof BudgetExhaustedError) {
    const wait = retryAfter(failure.retryAfterMs);
    const { limit, windowSeconds } = budget.budget;
    return new GatewayError(
      429,
      "budget-exhausted",
      `The account's upstream budget of ${limit} requests per ${windowSeconds} s is used up; ` +
        `retry in ${wait} s`,
      { headers: { "retry-after": wait }, audit: { budget: "exhausted", ...waited } },
    );
  }
  if (failure instanceof StateUnavailableError) {
    return stateUnavailable({ budget: "unavailable", ...waited });
  }
  return undefined;
}

/**
 * Takes the slot of the request's first attempt.
 *
 * @param budget The account budget.
 * @returns The ticket: the slot, and the time waited for it.
 * @throws {GatewayError} 429 (`budget-exhausted`) with Retry-After when no slot frees within the
 *   wait bound; 503 when the store cannot answer. The audit notes the decision and the wait.
 */
export async function takeBudget(budget: BudgetLimiter): Promise<BudgetTicket> {
  try {
    return await budget.take();
  } catch (failure) {
    const { waitedMs } = failure as Partial<BudgetExhaustedError>;
    throw budgetRefusal(failure, budget, waitedMs) ?? failure;
  }
}
