/**
 * The account budget: the vendor allows an account a number of requests per window (300 per
 * 5 minutes), whichever isolate sends them. This limiter takes a slot in the gateway's shared
 * {@link StateStore} before every upstream attempt, waits up to a bound when none is free, and
 * otherwise refuses, so a request the vendor would refuse is never sent.
 *
 * @module
 */

import type { RateLimiter } from "../rate_limiter.ts";
import type { StateStore } from "../state_store.ts";

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

/** No slot frees within the wait bound. */
export class BudgetExhaustedError extends Error {
  /** When the next slot frees, ms from now. */
  readonly retryAfterMs: number;
  /** @param retryAfterMs When the next slot frees, ms from now. */
  constructor(retryAfterMs: number) {
    super("The account's request budget is used up");
    this.name = "BudgetExhaustedError";
    this.retryAfterMs = retryAfterMs;
  }
}

/** The shared state could not be asked. */
export class StateUnavailableError extends Error {
  /** @param cause What the store threw. */
  constructor(cause: unknown) {
    super("The gateway's shared state is unavailable", { cause });
    this.name = "StateUnavailableError";
  }
}

/** What a budgeted call went through, reported to the gateway's audit. */
export interface BudgetReport {
  /** Time spent waiting for a slot, ms. */
  waitedMs: number;
}

/**
 * Creates the limiter the gateway's upstream client sends through.
 *
 * @param store Where slots are kept.
 * @param budget Limit, window, wait bound and margin.
 * @param clock `now` and `sleep`.
 * @returns The limiter, and `reports`: per call (the request given to `send`), what its
 *   acquisitions waited.
 */
export function createBudgetLimiter(
  store: StateStore,
  budget: AccountBudget,
  clock: { now: () => number; sleep: (ms: number) => Promise<void> },
): RateLimiter & { reports: WeakMap<object, BudgetReport> } {
  const windowMs = budget.windowSeconds * 1000 + (budget.marginMs ?? 2_000);
  const maxWaitMs = budget.maxWaitMs ?? 5_000;
  const reports = new WeakMap<object, BudgetReport>();
  let pausedUntil = 0;
  let waiting = 0;
  return {
    reports,
    async acquire(signal, call) {
      const started = clock.now();
      const report = call && reports.get(call);
      try {
        for (;;) {
          signal?.throwIfAborted();
          let due = pausedUntil - clock.now();
          if (due <= 0) {
            const reservation = await store.reserve("account", budget.limit, windowMs).catch(
              (error) => {
                throw new StateUnavailableError(error);
              },
            );
            if (reservation.ok) return () => {};
            due = reservation.retryAfterMs;
          }
          if (clock.now() + due - started > maxWaitMs) throw new BudgetExhaustedError(due);
          // Waiters wake spread out, not all on the same millisecond.
          const wait = due + Math.random() * 50;
          waiting++;
          try {
            await clock.sleep(wait);
          } finally {
            waiting--;
          }
        }
      } finally {
        if (report) report.waitedMs += clock.now() - started;
      }
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, clock.now() + ms);
    },
    get waiting() {
      return waiting;
    },
  };
}
