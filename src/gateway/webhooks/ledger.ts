/**
 * What the webhooks keep beside the queue: which messages an endpoint answered with a 2xx (so a
 * redelivered job is not delivered again), and the dead letters an operator lists and redelivers.
 * The interface, and its implementation in this isolate's memory; the Durable Object and Deno KV
 * ones are the platforms' (`src/adapters/`).
 *
 * Not the gateway's `StateStore`: that holds `remember` (check-and-set) and `reserve` only, and a
 * dead letter must be listed, read back and deleted; a delivered mark must be read without being
 * set. Adding those to `StateStore` would change its three implementations for one user.
 *
 * @module
 */

import type { CallbackEvent } from "../../callbacks/parse.ts";

/** A delivery that ran out of attempts, kept for an operator. Holds no secret and no URL. */
export interface WebhookDeadLetter {
  /** Its key: `<endpoint>.<messageId>`. */
  key: string;
  /** The endpoint's name. */
  endpoint: string;
  /** The `webhook-id`. */
  messageId: string;
  /** The event. */
  event: CallbackEvent;
  /** Attempts made. */
  attempts: number;
  /** When the first and the last attempt were made, Unix ms. */
  firstAttemptAt: number;
  /** When the last attempt was made, Unix ms. */
  lastAttemptAt: number;
  /** What the last attempt got. */
  last: { status?: number; error?: string };
  /** Why: the schedule used up, the receiver answered 410, or the endpoint is no longer configured. */
  reason: "exhausted" | "gone" | "endpoint_removed";
}

/** Delivered marks and dead letters, shared by every isolate that delivers. */
export interface WebhookLedger {
  /** Whether `key` (`<endpoint>.<messageId>`) was delivered (and the mark has not expired). */
  delivered(key: string): Promise<boolean>;
  /** Marks `key` delivered until `expiresAt` (Unix ms). */
  markDelivered(key: string, expiresAt: number): Promise<void>;
  /** Keeps a dead letter (replacing one with the same key). */
  putDeadLetter(letter: WebhookDeadLetter): Promise<void>;
  /** Up to `limit` dead letters, in key order. */
  listDeadLetters(limit: number): Promise<WebhookDeadLetter[]>;
  /** One dead letter, or `undefined`. */
  getDeadLetter(key: string): Promise<WebhookDeadLetter | undefined>;
  /** Deletes a dead letter. */
  deleteDeadLetter(key: string): Promise<void>;
}

/** Options of {@link createMemoryWebhookLedger}. */
export interface MemoryWebhookLedgerOptions {
  /** Clock, Unix ms (default `Date.now`). */
  now?: () => number;
  /** Most dead letters kept; one more drops the oldest (default 10 000). */
  maxDeadLetters?: number;
}

/**
 * The ledger in this isolate's memory: right for one process (the in-process queue's).
 *
 * @param options Clock and bound.
 * @returns The ledger.
 */
export function createMemoryWebhookLedger(
  options: MemoryWebhookLedgerOptions = {},
): WebhookLedger {
  const now = options.now ?? Date.now;
  const max = options.maxDeadLetters ?? 10_000;
  const marks = new Map<string, number>();
  const letters = new Map<string, WebhookDeadLetter>();
  // Expired marks are swept once the map passes `sweepAt`, which then doubles past what is left:
  // marks live days, so a busy isolate stays above any fixed size, and sweeping on every
  // delivery would walk the whole map each time. `delivered` checks expiry itself either way.
  let sweepAt = 10_000;
  const sweep = () => {
    const at = now();
    for (const [key, expires] of marks) if (expires <= at) marks.delete(key);
    sweepAt = Math.max(10_000, 2 * marks.size);
  };
  return {
    delivered: (key) => Promise.resolve((marks.get(key) ?? 0) > now()),
    markDelivered(key, expiresAt) {
      if (marks.size > sweepAt) sweep();
      marks.set(key, expiresAt);
      return Promise.resolve();
    },
    putDeadLetter(letter) {
      letters.delete(letter.key);
      letters.set(letter.key, structuredClone(letter));
      while (letters.size > max) letters.delete(letters.keys().next().value!);
      return Promise.resolve();
    },
    listDeadLetters: (limit) =>
      Promise.resolve(
        [...letters.keys()].sort().slice(0, limit).map((key) => structuredClone(letters.get(key)!)),
      ),
    getDeadLetter: (key) => {
      const letter = letters.get(key);
      return Promise.resolve(letter && structuredClone(letter));
    },
    deleteDeadLetter(key) {
      letters.delete(key);
      return Promise.resolve();
    },
  };
}
