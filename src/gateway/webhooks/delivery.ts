/**
 * The outgoing webhooks' delivery: `enqueue` turns an event into one job per endpoint that takes
 * it, `process` is the queue's consumer (one attempt, then delivered, a retry sent back to the
 * queue with its delay, or a dead letter), and the dead letters are listed and redelivered. The
 * queue is the platform's (`WebhookQueue`); this module keeps no timer of its own.
 *
 * At least once: a job is acknowledged to its queue only once `process` has resolved, that is
 * once what followed the attempt (the delivered mark, the next job, the dead letter) is recorded;
 * if anything fails before, `process` throws and the queue delivers the job again. Every attempt
 * carries the same `webhook-id`, and a job whose message was delivered (a 2xx) is skipped.
 *
 * @module
 */

import type { CallbackEvent } from "../../callbacks/parse.ts";
import { MESSAGE_ID } from "../../callbacks/webhooks.ts";
import { WangsuValidationError } from "../../errors.ts";
import { attemptDelivery } from "./attempt.ts";
import { checkWebhookEndpoints, type WebhookEndpoint } from "./endpoints.ts";
import { createMemoryWebhookLedger, type WebhookDeadLetter, type WebhookLedger } from "./ledger.ts";
import { isWebhookJob, nextAttempt, WEBHOOK_SCHEDULE_MS, type WebhookJob } from "./schedule.ts";

/** Where jobs wait: a Cloudflare Queue, a Deno KV queue, or this process's timers. */
export interface WebhookQueue {
  /** Sends a job, to be consumed after `delayMs`. Resolves once the queue holds it. */
  send(job: WebhookJob, delayMs: number): Promise<void>;
}

/** One attempt (or a skipped job), as audited: no secret, no URL, no body. */
export interface WebhookAttemptRecord {
  /** `gateway.webhook`. */
  type: "gateway.webhook";
  /** When, ISO 8601. */
  time: string;
  /** The endpoint's name. */
  endpoint: string;
  /** The `webhook-id`. */
  messageId: string;
  /** The event's id and type. */
  eventId: string;
  /** The event's type. */
  eventType: string;
  /** The attempt's number. */
  attempt: number;
  /** When the first attempt was made, Unix ms. */
  firstAttemptAt: number;
  /** The receiver's status. */
  status?: number;
  /** Why no answer came. */
  error?: string;
  /** How long it took, ms. */
  durationMs: number;
  /** What followed: `skipped` is a job whose message was delivered already (no request made). */
  outcome: "delivered" | "retry" | "dead" | "skipped";
  /** For a retry: the wait before the next attempt, ms. */
  nextAttemptInMs?: number;
}

/** Options of {@link createWebhookDelivery}. */
export interface WebhookDeliveryOptions {
  /** The endpoints (checked: see {@link checkWebhookEndpoints}). */
  endpoints: readonly WebhookEndpoint[];
  /** The platform's queue. */
  queue: WebhookQueue;
  /** Delivered marks and dead letters (default: this isolate's memory). */
  ledger?: WebhookLedger;
  /** Fetch for the attempts (default the global one). */
  fetch?: typeof globalThis.fetch;
  /** Clock, Unix ms (default `Date.now`). */
  now?: () => number;
  /** Jitter's randomness (default `Math.random`). */
  random?: () => number;
  /** Waits before each attempt, ms (default {@link WEBHOOK_SCHEDULE_MS}). */
  scheduleMs?: readonly number[];
  /**
   * Whether an endpoint takes an event beyond its `types` (tenancy: the tenant's objects only).
   * Asked at the enqueue; a rejection fails the enqueue (the ingress answers 503 and the vendor
   * sends the callback again). Without it, an endpoint with a `tenant` receives nothing (fail
   * closed) until a gateway supplies one ({@link WebhookDelivery.withAccepts}: `createGateway`
   * does, from its ownership records).
   */
  accepts?: WebhookAccepts;
  /** Receives each attempt's record. Errors it throws are ignored. */
  onAttempt?: (record: WebhookAttemptRecord) => void;
  /** Writes each record to the console as one JSON line (default true). */
  log?: boolean;
  /** How long a delivered mark is kept, ms (default 7 days: longer than any schedule). */
  deliveredForMs?: number;
}

/** Whether an endpoint takes an event (beyond its `types`). */
export type WebhookAccepts = (
  endpoint: WebhookEndpoint,
  event: CallbackEvent,
) => boolean | Promise<boolean>;

/** The delivery: what the ingress, the reconciler, the queue consumers and the admin routes call. */
export interface WebhookDelivery {
  /**
   * The same delivery (endpoints, queue, ledger) deciding with `accepts` at the enqueue, unless
   * it was created with an `accepts` of its own (which stays). `createGateway` calls it with the
   * gateway's tenancy check, so that an endpoint's `tenant` is applied.
   */
  withAccepts?(accepts: WebhookAccepts): WebhookDelivery;
  /**
   * Sends a job for each endpoint that takes the event, to be attempted at once.
   *
   * @returns How many jobs were sent.
   * @throws {WangsuValidationError} When the event's id cannot make a `webhook-id` (`msg_` + id).
   */
  enqueue(event: CallbackEvent): Promise<number>;
  /**
   * Consumes one job from the queue: resolve, then acknowledge; a throw means "deliver again".
   * A message that is no job is dropped (logged).
   */
  process(message: unknown): Promise<void>;
  /** Up to `limit` (default 100, at most 1 000) dead letters. */
  listDeadLetters(limit?: number): Promise<WebhookDeadLetter[]>;
  /**
   * Sends a dead letter's job again (attempt 1, same `webhook-id`), then deletes the letter.
   *
   * @returns `false` when there is no such letter.
   */
  redeliver(key: string): Promise<boolean>;
}

/**
 * Creates the delivery.
 *
 * @param options Endpoints, queue, ledger, clock and schedule.
 * @returns The delivery.
 * @throws {WangsuValidationError} When an endpoint or the schedule is invalid.
 */
export function createWebhookDelivery(options: WebhookDeliveryOptions): WebhookDelivery {
  const endpoints = new Map(
    checkWebhookEndpoints(options.endpoints).map((endpoint) => [endpoint.name, endpoint]),
  );
  const scheduleMs = options.scheduleMs ?? WEBHOOK_SCHEDULE_MS;
  if (!scheduleMs.length || scheduleMs.some((ms) => !Number.isSafeInteger(ms) || ms < 0)) {
    throw new TypeError("webhooks.scheduleMs: must be whole numbers of ms, at least one");
  }
  const now = options.now ?? Date.now;
  const ledger = options.ledger ?? createMemoryWebhookLedger({ now });
  const schedule = { scheduleMs, random: options.random ?? Math.random };
  const context = { fetch: options.fetch ?? globalThis.fetch.bind(globalThis), now };
  const deliveredForMs = options.deliveredForMs ?? 7 * 86_400_000;
  const keyOf = (job: Pick<WebhookJob, "endpoint" | "messageId">) =>
    `${job.endpoint}.${job.messageId}`;
  const firstJob = (endpoint: string, messageId: string, event: CallbackEvent): WebhookJob => ({
    v: 1,
    endpoint,
    messageId,
    event,
    attempt: 1,
    firstAttemptAt: now(),
  });

  const record = (entry: Omit<WebhookAttemptRecord, "type" | "time">) => {
    const full: WebhookAttemptRecord = {
      type: "gateway.webhook",
      time: new Date(now()).toISOString(),
      ...entry,
    };
    if (options.log !== false) console.log(JSON.stringify(full));
    try {
      options.onAttempt?.(full);
    } catch {
      // An observer's failure must not fail the delivery.
    }
  };
  const describe = (job: WebhookJob) => ({
    endpoint: job.endpoint,
    messageId: job.messageId,
    eventId: job.event.id,
    eventType: job.event.type,
    attempt: job.attempt,
    firstAttemptAt: job.firstAttemptAt,
  });
  const bury = (
    job: WebhookJob,
    reason: WebhookDeadLetter["reason"],
    last: WebhookDeadLetter["last"],
  ) =>
    ledger.putDeadLetter({
      key: keyOf(job),
      endpoint: job.endpoint,
      messageId: job.messageId,
      event: job.event,
      attempts: job.attempt,
      firstAttemptAt: job.firstAttemptAt,
      lastAttemptAt: now(),
      last,
      reason,
    });

  const delivery = (accepts: WebhookAccepts | undefined): WebhookDelivery => ({
    withAccepts: (given) => delivery(accepts ?? given),

    async enqueue(event) {
      // Every attempt would fail to sign with this id: refused here, where the caller hears it.
      if (typeof event.id != "string" || !event.id || !MESSAGE_ID.test(`msg_${event.id}`)) {
        const rule = "must be 1 to 252 printable ASCII characters, no . or space";
        throw new WangsuValidationError([
          { path: "event.id", rule: "format", message: `event.id: ${rule}` },
        ]);
      }
      let sent = 0;
      for (const endpoint of endpoints.values()) {
        if (endpoint.types && !endpoint.types.includes(event.type as never)) continue;
        // An endpoint kept to one tenant receives nothing that no check has shown is its own.
        if (accepts ? !(await accepts(endpoint, event)) : endpoint.tenant !== undefined) continue;
        await options.queue.send(firstJob(endpoint.name, `msg_${event.id}`, event), 0);
        sent++;
      }
      return sent;
    },

    async process(message) {
      if (!isWebhookJob(message)) {
        console.error("webhooks: dropped a queue message that is no webhook job");
        return;
      }
      const job = message;
      const endpoint = endpoints.get(job.endpoint);
      if (!endpoint) {
        await bury(job, "endpoint_removed", {});
        record({ ...describe(job), durationMs: 0, outcome: "dead" });
        return;
      }
      const key = keyOf(job);
      if (await ledger.delivered(key)) {
        record({ ...describe(job), durationMs: 0, outcome: "skipped" });
        return;
      }
      const outcome = await attemptDelivery(job, endpoint, context);
      const decision = nextAttempt(job, outcome, schedule);
      const attempt = {
        ...describe(job),
        ...(outcome.status === undefined ? {} : { status: outcome.status }),
        ...(outcome.error === undefined ? {} : { error: outcome.error }),
        durationMs: outcome.durationMs,
      };
      if (decision.kind == "delivered") {
        await ledger.markDelivered(key, now() + deliveredForMs);
        record({ ...attempt, outcome: "delivered" });
      } else if (decision.kind == "retry") {
        await options.queue.send(decision.job, decision.delayMs);
        record({ ...attempt, outcome: "retry", nextAttemptInMs: decision.delayMs });
      } else {
        await bury(job, decision.reason, { status: outcome.status, error: outcome.error });
        record({ ...attempt, outcome: "dead" });
      }
    },

    listDeadLetters: (limit = 100) =>
      ledger.listDeadLetters(Math.max(1, Math.min(1_000, Math.floor(limit) || 100))),

    async redeliver(key) {
      const letter = await ledger.getDeadLetter(key);
      if (!letter) return false;
      await options.queue.send(firstJob(letter.endpoint, letter.messageId, letter.event), 0);
      await ledger.deleteDeadLetter(key);
      return true;
    },
  });
  return delivery(options.accepts);
}
