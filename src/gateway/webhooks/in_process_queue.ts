/**
 * The webhooks' queue for a single process (the default, no platform queue): jobs wait on this
 * process's timers and are lost with it. On Workers use a Cloudflare Queue, on Deno a Deno KV
 * queue (`src/adapters/`).
 *
 * @module
 */

import type { WebhookQueue } from "./delivery.ts";
import type { WebhookJob } from "./schedule.ts";

/** Options of {@link createInProcessWebhookQueue}. */
export interface InProcessQueueOptions {
  /** Timer (default `setTimeout`). */
  setTimeout?: (run: () => void, ms: number) => unknown;
  /** How long a job whose consumer threw waits before it runs again, ms (default 1 000). */
  retryMs?: number;
}

/** A queue in this process: `listen` attaches the consumer. */
export interface InProcessWebhookQueue extends WebhookQueue {
  /** Attaches the consumer (one); jobs sent before it is attached wait for it. */
  listen(consumer: (job: WebhookJob) => Promise<void>): void;
}

/**
 * Creates the in-process queue. A job whose consumer throws runs again after `retryMs`.
 *
 * @param options Timer and retry wait.
 * @returns The queue.
 */
export function createInProcessWebhookQueue(
  options: InProcessQueueOptions = {},
): InProcessWebhookQueue {
  const timer = options.setTimeout ?? ((run: () => void, ms: number) => setTimeout(run, ms));
  const retryMs = options.retryMs ?? 1_000;
  let consumer: ((job: WebhookJob) => Promise<void>) | undefined;
  const waiting: WebhookJob[] = [];
  const run = (job: WebhookJob) => {
    if (!consumer) return void waiting.push(job);
    consumer(job).catch(() => timer(() => run(job), retryMs));
  };
  return {
    send(job, delayMs) {
      const copy = structuredClone(job);
      if (delayMs > 0) timer(() => run(copy), delayMs);
      else queueMicrotask(() => run(copy));
      return Promise.resolve();
    },
    listen(next) {
      consumer = next;
      for (const job of waiting.splice(0)) run(job);
    },
  };
}
