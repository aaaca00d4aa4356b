/**
 * The outgoing webhooks on Cloudflare: jobs travel through a Cloudflare Queue (the producer
 * binding `WEBHOOKS` sends each with its attempt's delay; the worker's `queue()` handler consumes
 * them and acknowledges each only once `process` has recorded what followed its attempt), and
 * the ledger (delivered marks, dead letters) is one Durable Object, `GatewayWebhookLedger`
 * (bound as `GATEWAY_WEBHOOK_LEDGER`, in `webhook_ledger_object.ts`), whose SQLite storage every
 * isolate shares.
 *
 * @module
 */

import type { WebhookDelivery, WebhookQueue } from "../../gateway/webhooks/delivery.ts";
import type { WebhookLedger } from "../../gateway/webhooks/ledger.ts";
import { MAX_WEBHOOK_DELAY_MS } from "../../gateway/webhooks/schedule.ts";

/** The producer binding of a Cloudflare Queue, as much of it as the webhooks use. */
export interface QueueProducer {
  /** Sends a message (structured-cloned), delivered after `delaySeconds` (at most 43 200). */
  send(body: unknown, options?: { delaySeconds?: number }): Promise<void>;
}

/** One message of a batch handed to `queue()`. */
export interface QueueMessage {
  /** The body sent. */
  readonly body: unknown;
  /** Acknowledges it: it is not delivered again. */
  ack(): void;
  /** Asks for it again after `delaySeconds`. */
  retry(options?: { delaySeconds?: number }): void;
}

/** What Workers passes a `queue()` handler. */
export interface QueueBatch {
  /** The queue's name. */
  readonly queue: string;
  /** The messages. */
  readonly messages: readonly QueueMessage[];
}

/** The namespace of `GatewayWebhookLedger`, as much of it as the ledger uses. */
export interface WebhookLedgerNamespace {
  /** The id of the object with that name. */
  idFromName(name: string): unknown;
  /** A stub: RPC calls to the object. */
  get(id: never): WebhookLedger;
}

/** How long a message whose consumer threw waits before Cloudflare delivers it again, s. */
const CONSUMER_RETRY_SECONDS = 5;

/**
 * The webhooks' queue on a Cloudflare Queue producer binding. Delays are whole seconds (rounded
 * up), at most 12 hours (the platform's limit).
 *
 * @param producer The `WEBHOOKS` binding.
 * @returns The queue.
 */
export function createCloudflareWebhookQueue(producer: QueueProducer): WebhookQueue {
  return {
    send: (job, delayMs) => {
      const delaySeconds = Math.ceil(Math.min(Math.max(0, delayMs), MAX_WEBHOOK_DELAY_MS) / 1000);
      return producer.send(job, delaySeconds ? { delaySeconds } : {});
    },
  };
}

/**
 * Consumes a batch: each message's job is processed, then acknowledged; a message whose
 * processing threw (the ledger or the queue unavailable) is retried by the platform.
 *
 * @param batch The batch `queue()` received.
 * @param delivery The webhooks' delivery.
 */
export async function consumeWebhookBatch(
  batch: QueueBatch,
  delivery: WebhookDelivery,
): Promise<void> {
  await Promise.all(batch.messages.map(async (message) => {
    try {
      await delivery.process(message.body);
      message.ack();
    } catch {
      message.retry({ delaySeconds: CONSUMER_RETRY_SECONDS });
    }
  }));
}

/**
 * The ledger in the `GatewayWebhookLedger` object named `webhooks` (one for the deployment: a
 * few writes per delivery).
 *
 * @param namespace The `GATEWAY_WEBHOOK_LEDGER` binding.
 * @returns The ledger.
 */
export function createDurableObjectWebhookLedger(namespace: WebhookLedgerNamespace): WebhookLedger {
  const stub = () => namespace.get(namespace.idFromName("webhooks") as never);
  return {
    delivered: (key) => stub().delivered(key),
    markDelivered: (key, expiresAt) => stub().markDelivered(key, expiresAt),
    putDeadLetter: (letter) => stub().putDeadLetter(letter),
    // Read each field off the RPC results: plain objects out.
    listDeadLetters: async (limit) =>
      (await stub().listDeadLetters(limit)).map((letter) => JSON.parse(JSON.stringify(letter))),
    getDeadLetter: async (key) => {
      const letter = await stub().getDeadLetter(key);
      return letter && JSON.parse(JSON.stringify(letter));
    },
    deleteDeadLetter: (key) => stub().deleteDeadLetter(key),
  };
}
