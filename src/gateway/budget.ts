/**
 * The account budget: the vendor allows an account a number of requests per window (300 per
 * 5 minutes), whichever isolate sends them. The gateway takes a slot in its shared
 * {@link StateStore} before it forwards a request ({@link BudgetLimiter.take}, which says how long
 * it waited), and the upstream client's limiter takes one for every further attempt of that
 * request; each waits up to a bound when none is free and is otherwise refused, so a request the
 * vendor would refuse is never sent.
 *
 * @module
 */

import type { RateLimiter } from "../rate_limiter.ts";
import type { StateStore } from "../server/state_store.ts";

/** The account budget as configured. */
export interface AccountBudget {
  /** Requests per window (default 300, the vendor's). */
  limit: number;
  /** The window, seconds (default 300). */
  windowSeconds: number;
  /** Longest a request waits for a slot before it is refused with 429, ms (default 5 000). */
  maxWaitMs?: number;
  /**
   * How long a slot is held beyond the window, ms (default 2 000): the vendor counts a request
   * when it arrives, a little after the slot was taken, so the slot must outlast its window by at
   * least that delay.
   */
  marginMs?: number;
}

/** The account budget the vendor grants: 300 requests per 300 s. */
export const VENDOR_BUDGET: AccountBudget = { limit: 300, windowSeconds: 300 };

/**
 * How long a slot of the budget is held: its window and the margin beyond it.
 *
 * @param budget The budget.
 * @returns The slot's window, ms.
 */
export const slotWindowMs = (budget: AccountBudget): number =>
  budget.windowSeconds * 1000 + (budget.marginMs ?? 2_000);

/** No slot frees within the wait bound. */
export class BudgetExhaustedError extends Error {
  /** When the next slot frees, ms from now. */
  readonly retryAfterMs: number;
  /** Time spent waiting before giving up, ms. */
  readonly waitedMs: number;
  /**
   * @param retryAfterMs When the next slot frees, ms from now.
   * @param waitedMs Time spent waiting before giving up, ms.
   */
  constructor(retryAfterMs: number, waitedMs = 0) {
    super("The account's request budget is used up");
    this.name = "BudgetExhaustedError";
    this.retryAfterMs = retryAfterMs;
    this.waitedMs = waitedMs;
  }
}

/** The shared state could not be asked. */
export class StateUnavailableError extends Error {
  /** Time spent waiting before the store failed, ms. */
  readonly waitedMs: number;
  /**
   * @param cause What the store threw.
   * @param waitedMs Time spent waiting before the store failed, ms.
   */
  constructor(cause: unknown, waitedMs = 0) {
    super("The gateway's shared state is unavailable", { cause });
    this.name = "StateUnavailableError";
    this.waitedMs = waitedMs;
  }
}

/**
 * One forwarded request's hold on the budget: the slot {@link BudgetLimiter.take} took for its
 * first attempt, and the time the request has waited for slots. The request carries it to the
 * upstream client (as `budget`), whose limiter spends the slot on the first attempt and adds
 * each further attempt's wait.
 */
export interface BudgetTicket {
  /** Time waited for slots so far, ms. */
  waitedMs: number;
  /** Whether the slot taken for the first attempt is still to be spent. */
  unspent: boolean;
}

/** The account budget: a slot per request before it is forwarded, and the client's limiter. */
export interface BudgetLimiter extends RateLimiter {
  /** The budget as configured. */
  readonly budget: AccountBudget;
  /**
   * Takes a slot for a request's first attempt, waiting up to the bound.
   *
   * @returns The ticket: the slot, still to spend, and what taking it waited.
   * @throws {BudgetExhaustedError} When no slot frees within the bound.
   * @throws {StateUnavailableError} When the store cannot be asked.
   */
  take(): Promise<BudgetTicket>;
}

/**
 * Creates the account budget, which is also the limiter the gateway's upstream client sends
 * through: an attempt of a request whose `budget` ticket is unspent spends it; any other attempt
 * takes a slot of its own (adding its wait to the request's ticket, when it has one).
 *
 * @param store Where slots are kept.
 * @param budget Limit, window, wait bound and margin.
 * @param clock `now` and `sleep`.
 * @returns The budget.
 */
export function createBudgetLimiter(
  store: StateStore,
  budget: AccountBudget,
  clock: { now: () => number; sleep: (ms: number) => Promise<void> },
): BudgetLimiter {
  const windowMs = slotWindowMs(budget);
  const maxWaitMs = budget.maxWaitMs ?? 5_000;
  let pausedUntil = 0;
  let waiting = 0;
  /** Takes a slot, waiting up to the bound; resolves with the time waited, ms. */
  const takeSlot = async (signal?: AbortSignal): Promise<number> => {
    const started = clock.now();
    for (;;) {
      signal?.throwIfAborted();
      let due = pausedUntil - clock.now();
      if (due <= 0) {
        const reservation = await store.reserve("account", budget.limit, windowMs).catch(
          (error) => {
            throw new StateUnavailableError(error, clock.now() - started);
          },
        );
        if (reservation.ok) return clock.now() - started;
        due = reservation.retryAfterMs;
      }
      if (clock.now() + due - started > maxWaitMs) {
        throw new BudgetExhaustedError(due, clock.now() - started);
      }
      // Waiters wake spread out, not all on the same millisecond.
      const wait = due + Math.random() * 50;
      waiting++;
      try {
        await clock.sleep(wait);
      } finally {
        waiting--;
      }
    }
  };
  const release = () => {};
  return {
    budget,
    take: async () => ({ waitedMs: await takeSlot(), unspent: true }),
    async acquire(signal, call) {
      const ticket = (call as { budget?: BudgetTicket } | undefined)?.budget;
      if (ticket?.unspent) {
        ticket.unspent = false;
        return release;
      }
      const started = clock.now();
      try {
        await takeSlot(signal);
      } finally {
        if (ticket) ticket.waitedMs += clock.now() - started;
      }
      return release;
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, clock.now() + ms);
    },
    get waiting() {
      return waiting;
    },
  };
}
