/**
 * The outgoing webhooks on Deno KV: the queue is Deno KV's own (`enqueue` with the attempt's
 * delay, `listenQueue` to consume), and the ledger (delivered marks with expiry, dead letters)
 * is in the same database, so every process on a KV file (or every isolate of a Deno Deploy
 * deployment) shares both. A consumer that throws (the ledger unavailable) has its job
 * delivered again by Deno KV, on the `backoffSchedule` given at the enqueue.
 *
 * @module
 */

import type { WebhookQueue } from "../../gateway/webhooks/delivery.ts";
import type { WebhookDeadLetter, WebhookLedger } from "../../gateway/webhooks/ledger.ts";
import { isWebhookJob, type WebhookJob } from "../../gateway/webhooks/schedule.ts";

/** The part of `Deno.Kv` the webhooks use (so that this module needs no Deno types). */
export interface DenoKvWebhookLike {
  /** Puts a message on the queue. */
  enqueue(
    value: unknown,
    options?: { delay?: number; backoffSchedule?: number[] },
  ): Promise<{ ok: boolean }>;
  /** Consumes the queue (once per handle). */
  listenQueue(handler: (value: unknown) => Promise<void> | void): Promise<void>;
  /** Reads an entry. */
  get<T>(key: (string | number)[]): Promise<{ value: T | null }>;
  /** Writes an entry. */
  set(key: (string | number)[], value: unknown, options?: { expireIn?: number }): Promise<unknown>;
  /** Deletes an entry. */
  delete(key: (string | number)[]): Promise<void>;
  /** Lists entries by prefix. */
  list<T>(
    selector: { prefix: (string | number)[] },
    options?: { limit?: number },
  ): AsyncIterable<{ value: T }>;
}

/** Options of {@link createDenoKvWebhookQueue} and {@link createDenoKvWebhookLedger}. */
export interface DenoKvWebhookOptions {
  /** Key prefix of the ledger's entries (default `["wangsu-gateway", "webhooks"]`). */
  prefix?: string[];
  /** Clock, Unix ms (default `Date.now`). */
  now?: () => number;
}

/** A Deno KV queue of webhook jobs: `listen` attaches the consumer. */
export interface DenoKvWebhookQueue extends WebhookQueue {
  /**
   * Consumes the jobs with `consumer` (a job is acknowledged once it resolves; a throw delivers
   * it again). Messages of other kinds on the same queue are ignored. Call once per handle.
   */
  listen(consumer: (job: WebhookJob) => Promise<void>): Promise<void>;
}

/** Deno KV's waits before it delivers again a job whose consumer threw, ms. */
const CONSUMER_BACKOFF_MS = [1_000, 5_000, 30_000, 120_000, 600_000];

/**
 * The webhooks' queue on Deno KV.
 *
 * @param kv The database.
 * @returns The queue.
 */
export function createDenoKvWebhookQueue(kv: DenoKvWebhookLike): DenoKvWebhookQueue {
  return {
    async send(job, delayMs) {
      const { ok } = await kv.enqueue({ webhookJob: job }, {
        delay: Math.max(0, Math.round(delayMs)),
        backoffSchedule: CONSUMER_BACKOFF_MS,
      });
      if (!ok) throw new Error("Deno KV refused the webhook job");
    },
    listen(consumer) {
      return kv.listenQueue(async (value) => {
        const job = (value as { webhookJob?: unknown } | null)?.webhookJob;
        if (isWebhookJob(job)) await consumer(job);
      });
    },
  };
}

/**
 * The webhooks' ledger on Deno KV: delivered marks expire with `expireIn`; dead letters stay
 * until redelivered.
 *
 * @param kv The database.
 * @param options Key prefix and clock.
 * @returns The ledger.
 */
export function createDenoKvWebhookLedger(
  kv: DenoKvWebhookLike,
  options: DenoKvWebhookOptions = {},
): WebhookLedger {
  const prefix = options.prefix ?? ["wangsu-gateway", "webhooks"];
  const now = options.now ?? Date.now;
  const mark = (key: string) => [...prefix, "delivered", key];
  const letter = (key: string) => [...prefix, "dead", key];
  return {
    async delivered(key) {
      const { value } = await kv.get<number>(mark(key));
      return value != null && value > now();
    },
    async markDelivered(key, expiresAt) {
      await kv.set(mark(key), expiresAt, { expireIn: Math.max(1, expiresAt - now()) });
    },
    async putDeadLetter(entry) {
      await kv.set(letter(entry.key), entry);
    },
    async listDeadLetters(limit) {
      const letters: WebhookDeadLetter[] = [];
      for await (
        const { value } of kv.list<WebhookDeadLetter>({ prefix: [...prefix, "dead"] }, { limit })
      ) {
        letters.push(value);
      }
      return letters;
    },
    async getDeadLetter(key) {
      return (await kv.get<WebhookDeadLetter>(letter(key))).value ?? undefined;
    },
    async deleteDeadLetter(key) {
      await kv.delete(letter(key));
    },
  };
}
