/**
 * A client-side rate limiter: a sliding window of `limit` requests per `windowMs`, preset to the
 * service's 300 requests per 5 minutes per account. Calls over the limit wait in line instead of
 * failing; a 429's `Retry-After` pauses the line; a waiting call can be aborted. Share one limiter
 * between the clients of one account.
 *
 * The service counts a request when it arrives, which is after the limiter lets it go. So a slot
 * is counted as in flight from the grant, and its window starts only when its response is back:
 * never earlier than the service counted it.
 *
 * @module
 */

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Requests allowed per window (default 300). */
  limit?: number;
  /** Window length in ms (default 300 000). */
  windowMs?: number;
  /** Clock, Unix ms (default `Date.now`). */
  now?: () => number;
  /** Waits `ms` (default `setTimeout`); tests pass a virtual clock's. */
  sleep?: (ms: number) => Promise<void>;
}

/** A rate limiter. */
export interface RateLimiter {
  /**
   * Resolves when the caller may send, with a `release` to call once the response is back;
   * rejects with the signal's reason if aborted first. `call` is the same object for every
   * attempt of one call (the client passes its request), for limiters that report per call.
   */
  acquire(signal?: AbortSignal, call?: object): Promise<() => void>;
  /** Holds every caller back for `ms` (on a 429 with `Retry-After`). */
  pause(ms: number): void;
  /** Calls waiting in line. */
  readonly waiting: number;
}

/** Waits `ms` milliseconds on the real clock. */
const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates a limiter.
 *
 * @param options Limit, window and clock.
 * @returns The limiter.
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const limit = options.limit ?? 300;
  const windowMs = options.windowMs ?? 300_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  /** Slots in the window: when each response came back (`Infinity` while in flight). */
  const slots: { done: number }[] = [];
  const line: { go(release: () => void): void }[] = [];
  let pausedUntil = 0;
  let pumping = false;

  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      while (line.length) {
        const at = now();
        for (let i = slots.length - 1; i >= 0; i--) {
          if (slots[i].done <= at - windowMs) slots.splice(i, 1);
        }
        const full = slots.length >= limit;
        const wait = Math.max(
          pausedUntil - at,
          full ? Math.min(...slots.map((slot) => slot.done)) + windowMs - at : 0,
        );
        if (wait == Infinity) return; // every slot is in flight: a release pumps again
        if (wait > 0) {
          await sleep(wait);
          continue;
        }
        const slot = { done: Infinity };
        slots.push(slot);
        line.shift()!.go(() => {
          if (slot.done == Infinity) slot.done = now();
          pump();
        });
      }
    } finally {
      pumping = false;
    }
  };

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise((resolve, reject) => {
        const abort = () => {
          const index = line.indexOf(entry);
          if (index >= 0) line.splice(index, 1);
          reject(signal!.reason);
        };
        const entry = {
          go(release: () => void) {
            signal?.removeEventListener("abort", abort);
            resolve(release);
          },
        };
        signal?.addEventListener("abort", abort, { once: true });
        line.push(entry);
        pump();
      });
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
    get waiting() {
      return line.length;
    },
  };
}
