/**
 * Delivers the callbacks the simulator raises: a real HTTP GET to each `notifyUrl` (or an
 * injected fetch, in-process), retried with exponential backoff while the receiver fails, each
 * attempt and the outcome recorded on the notification. With callback faults set, a seeded share
 * is never delivered, and each is held before its first try (a delay, and a random hold within a
 * reorder window, so that callbacks arrive late and out of event-time order); the event's time
 * stays in the URL as it was raised.
 *
 * @module
 */

import type { SimNotification } from "./store.ts";
import { createCallbackFaultPlanner, type FaultOptions } from "./faults.ts";

/** How the simulator delivers callbacks. */
export interface CallbackDeliveryOptions {
  /** Sends one GET (default the global `fetch`; pass a gateway's or a test's for no sockets). */
  fetch?: (request: Request) => Promise<Response>;
  /** Tries per callback, the first included (default 5). */
  attempts?: number;
  /** Wait before the second try, ms; doubled before each next one (default 1000). */
  backoffMs?: number;
  /** How long one try may take, ms (default 5000). */
  timeoutMs?: number;
  /**
   * Waits between tries and before a held callback's first try (default real timers); a test
   * passes a virtual clock's.
   */
  sleep?: (ms: number) => Promise<void>;
  /** Clock of the attempt times, Unix ms (default `Date.now`). */
  now?: () => number;
}

/** The delivery queue of one simulator. */
export interface CallbackDelivery {
  /** Starts delivering a raised notification. */
  deliver(notification: SimNotification): void;
  /** Resolves once no delivery is in flight or waiting for a retry. */
  settled(): Promise<void>;
  /** Stops retrying (attempts in flight finish; waiting ones are marked failed). */
  close(): void;
}

/**
 * Creates the delivery queue; `false` records notifications without sending them.
 *
 * @param options Fetch, attempts, backoff, timeout and timers; or `false`.
 * @param faults The simulator's fault settings: the `callback*` ones and the seed apply here.
 * @returns The queue.
 * @throws {WangsuValidationError} When a fault setting is out of range.
 */
export function createCallbackDelivery(
  options: CallbackDeliveryOptions | false = {},
  faults: FaultOptions = {},
): CallbackDelivery {
  const planFaults = createCallbackFaultPlanner(faults);
  const inFlight = new Set<Promise<void>>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let closed = false;
  let stop!: () => void;
  const stopped = new Promise<false>((resolve) => stop = () => resolve(false));
  if (options === false) {
    return {
      deliver: (notification) => void (notification.state = "recorded"),
      settled: () => Promise.resolve(),
      close() {},
    };
  }
  const attempts = Math.max(1, options.attempts ?? 5);
  const backoffMs = options.backoffMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 5000;
  const send = options.fetch ?? ((request: Request) => fetch(request));
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) =>
    new Promise<void>((resolve) => {
      const id = setTimeout(() => {
        timers.delete(id);
        resolve();
      }, ms);
      timers.add(id);
    }));

  /** Resolves `true` after `ms`, or `false` once the queue is closed. */
  const wait = (ms: number) =>
    closed ? Promise.resolve(false) : Promise.race([sleep(ms).then(() => !closed), stopped]);

  const attempt = async (notification: SimNotification) => {
    const started = now();
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const response = await send(
        new Request(notification.url, {
          headers: { "user-agent": "wangsu-simulator-callback/1" },
          signal: timeout,
        }),
      );
      await response.body?.cancel();
      notification.attempts.push({
        at: started,
        status: response.status,
        durationMs: now() - started,
      });
      return response.ok;
    } catch (error) {
      notification.attempts.push({
        at: started,
        error: timeout.aborted
          ? `no answer within ${timeoutMs} ms`
          : error instanceof Error
          ? error.message
          : String(error),
        durationMs: now() - started,
      });
      return false;
    }
  };

  const run = async (notification: SimNotification, holdMs: number) => {
    if (holdMs > 0 && !await wait(holdMs)) {
      notification.state = "failed";
      return;
    }
    for (let tried = 0; tried < attempts; tried++) {
      if (tried > 0 && !await wait(backoffMs * 2 ** (tried - 1))) break;
      if (await attempt(notification)) {
        notification.state = "delivered";
        return;
      }
    }
    notification.state = "failed";
  };

  return {
    deliver(notification) {
      if (closed) {
        notification.state = "failed";
        return;
      }
      const plan = planFaults();
      if (plan.drop && notification.redeliveryOf === undefined) {
        notification.attempts.push({
          at: now(),
          error: "Dropped (simulated fault, faults.callbackDropRate): the platform gave up",
          durationMs: 0,
        });
        notification.state = "failed";
        return;
      }
      const job = run(notification, plan.holdMs).finally(() => inFlight.delete(job));
      inFlight.add(job);
    },
    async settled() {
      while (inFlight.size) await Promise.all(inFlight);
    },
    close() {
      closed = true;
      for (const id of timers) clearTimeout(id);
      timers.clear();
      stop();
    },
  };
}
