/**
 * The gateway's outgoing webhooks, in the Standard Webhooks format: endpoints, the attempt
 * schedule, the delivery (enqueue, queue consumer, dead letters) and the in-process queue. The
 * platforms' queues and ledgers are in `src/adapters/` (Cloudflare Queues with a Durable Object,
 * Deno KV queues with Deno KV).
 *
 * @module
 */

export type { CallbackEvent } from "../../callbacks/parse.ts";
export { checkWebhookEndpoints, WEBHOOK_EVENT_TYPES, type WebhookEndpoint } from "./endpoints.ts";
export {
  isWebhookJob,
  MAX_WEBHOOK_DELAY_MS,
  nextAttempt,
  WEBHOOK_SCHEDULE_MS,
  type WebhookAttemptOutcome,
  type WebhookDecision,
  type WebhookJob,
  type WebhookSchedule,
} from "./schedule.ts";
export { type AttemptContext, attemptDelivery, WEBHOOK_TIMEOUT_MS } from "./attempt.ts";
export {
  createMemoryWebhookLedger,
  type MemoryWebhookLedgerOptions,
  type WebhookDeadLetter,
  type WebhookLedger,
} from "./ledger.ts";
export {
  createWebhookDelivery,
  type WebhookAccepts,
  type WebhookAttemptRecord,
  type WebhookDelivery,
  type WebhookDeliveryOptions,
  type WebhookQueue,
} from "./delivery.ts";
export {
  createInProcessWebhookQueue,
  type InProcessQueueOptions,
  type InProcessWebhookQueue,
} from "./in_process_queue.ts";
