/**
 * A gateway action request as its list of steps: authenticate, scope, body, replay, ownership,
 * quota, budget, forward, answer, and what the answer changes of ownership (record, forget,
 * filter). Each step passes the request on with what the next one needs, or
 * throws one {@link GatewayError}; the audit entry records each decision. The HTTP route runs
 * every action through {@link createActionRunner}'s `runAction`, and so can any other route of
 * the gateway (naming itself in `via`).
 *
 * @module
 */

import type { CatalogEntry } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { StateStore } from "../../server/state_store.ts";
import type { AuditEntry } from "../audit.ts";
import type { BudgetLimiter } from "../budget.ts";
import { GatewayError } from "../gateway_error.ts";
import { createActionLoader } from "./action_modules.ts";
import { type Answer, answer } from "./answer.ts";
import { type Authenticate, authenticateRequest } from "./authenticate.ts";
import { validateBody } from "./body.ts";
import { takeBudget } from "./budget.ts";
import { forward } from "./forward.ts";
import { checkQuota } from "./quota.ts";
import { checkReplay, type RememberSignature } from "./replay.ts";
import { checkScope } from "./scope.ts";
import { checkOwnership, ownershipLedger, ownOnly } from "./ownership.ts";
import { afterAnswer, ownedPage } from "./ownership_answer.ts";
import type { OwnedCatalogEntry } from "../../actions/ownership.ts";

/** What the steps are made with: the gateway's authenticator, state, budget and upstream. */
export interface ActionRunnerOptions {
  /** The gateway's authenticator. */
  authenticate: Authenticate;
  /** The memory of signed callers' signatures. */
  remember: RememberSignature;
  /** Where the keys' quotas are kept. */
  store: StateStore;
  /** The account budget; none when it is off. */
  budget?: BudgetLimiter;
  /** The upstream client. */
  upstream: WangsuClient;
  /** Whether the upstream client signs the request id. */
  distinct: boolean;
  /** Whether to measure a body sent without a declared length (for the audit). */
  measureBody: boolean;
  /** Clock, Unix ms (the ownership cache's). */
  now?: () => number;
  /** Most upstream pages one list request of an `own` key reads (default 5). */
  maxListPages?: number;
}

/** One action to run. */
export interface ActionRun {
  /** The action, from the catalog. */
  action: CatalogEntry;
  /** The request's audit entry: each step's decision is written to it. */
  audit: AuditEntry;
  /**
   * The route the action came through, for the audit: `"http"` (the action's own path) by
   * default. Set only by the gateway's routes, never from the request.
   */
  via?: string;
  /**
   * The action's input as JSON text, when it is not the request's body (e.g. a tool call's
   * arguments). The request's body is still what a signature covers.
   */
  input?: string;
}

/**
 * Runs an action through the steps.
 *
 * @param request The request: its headers authenticate the caller, its body is read once.
 * @param run The action, the audit entry, the route and the input.
 * @returns The answer (the service's, as it came).
 * @throws {GatewayError} The refusal of the step that stopped the request, already noted in the
 *   audit entry.
 */
export type RunAction = (request: Request, run: ActionRun) => Promise<Answer>;

const encoder = new TextEncoder();

/**
 * Creates the runner of the gateway's action requests.
 *
 * @param options The authenticator, state, budget and upstream the steps use.
 * @returns `runAction`.
 */
export function createActionRunner(options: ActionRunnerOptions): RunAction {
  const { store, budget, upstream, distinct } = options;
  const load = createActionLoader();
  const now = options.now ?? Date.now;
  const ledger = ownershipLedger(store, { now });
  return async (request, { action, audit, via, input }) => {
    audit.action = action.name;
    if (via && via != "http") audit.via = via;
    try {
      const { caller, readBody } = await authenticateRequest(options.authenticate, request, audit);
      checkScope(caller, action);
      const text = input ?? await readBody();
      if (options.measureBody && input === undefined && !request.headers.has("content-length")) {
        audit.bytesIn = encoder.encode(text).length;
      }
      const valid = await validateBody(action, text, load);
      const replay = await checkReplay(options.remember, caller);
      if (replay) audit.replay = replay;
      await checkOwnership(ledger, caller, action, valid.input);
      const quota = await checkQuota(store, caller);
      if (quota) audit.quota = quota;
      const fetchPage = async (input: unknown) => {
        const ticket = budget && await takeBudget(budget);
        const outcome = await forward({
          ...valid,
          input,
          upstream,
          action,
          requestId: audit.requestId,
          distinct,
          ticket,
        });
        if (outcome.requestId) audit.upstreamRequestId ??= outcome.requestId;
        if (ticket && !audit.budget) {
          audit.budget = "ok";
          audit.budgetWaitMs = Math.round(ticket.waitedMs);
        }
        return answer(outcome, budget);
      };
      if (ownOnly(caller) && (action as OwnedCatalogEntry).ownership?.lists?.paged) {
        const input = valid.input as Record<string, unknown>;
        return await ownedPage(ledger, caller, action, input, fetchPage, {
          now,
          maxPages: options.maxListPages,
          // Each further upstream page costs the key a quota slot, as its own request would.
          charge: () => checkQuota(store, caller),
        });
      }
      return await afterAnswer(ledger, caller, action, valid.input, await fetchPage(valid.input));
    } catch (failure) {
      if (failure instanceof GatewayError) Object.assign(audit, failure.audit);
      throw failure;
    }
  };
}
