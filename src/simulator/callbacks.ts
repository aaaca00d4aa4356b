/**
 * Delivers the callbacks the simulator raises: a real HTTP GET to each `notifyUrl` (or an
 * injected fetch, in-process), retried with exponential backoff while the receiver fails, each
 * attempt and the outcome recorded on the notification.
 *
 * @module
 */

import type { SimNotification } from "./store.ts";

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
 * @param options Fetch, attempts, backoff and timeout; or `false`.
 * @returns The queue.
 */
export function createCallbackDelivery(
  options: CallbackDeliveryOptions | false = {},
): CallbackDelivery {
  const inFlight = new Set<Promise<void>>();
  const timers = new Map<ReturnType<typeof setTimeout>, () => void>();
  let closed = false;
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

  const wait = (ms: number) =>
    new Promise<boolean>((resolve) => {
      const id = setTimeout(() => {
        timers.delete(id);
        resolve(!closed);
      }, ms);
      timers.set(id, () => resolve(false));
    });

  const attempt = async (notification: SimNotification) => {
    const started = Date.now();
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
        durationMs: Date.now() - started,
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
        durationMs: Date.now() - started,
      });
      return false;
    }
  };

  const run = async (notification: SimNotification) => {
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
      const job = run(notification).finally(() => inFlight.delete(job));
      inFlight.add(job);
    },
    async settled() {
      while (inFlight.size) await Promise.all(inFlight);
    },
    close() {
      closed = true;
      for (const [id, cancel] of timers) {
        clearTimeout(id);
        cancel();
      }
      timers.clear();
    },
  };
}
