/**
 * The webhooks' attempt schedule, as a pure function of a job and what its attempt got: no
 * clock, no I/O (the jitter's randomness is passed in).
 *
 * @module
 */

import type { CallbackEvent } from "../../callbacks/parse.ts";

/**
 * The wait before each attempt, ms: the first at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
 * 12 h, 12 h (nine attempts over about 42 hours). Each wait is jittered by ±10%. 12 h is the
 * longest delay a Cloudflare Queue message takes.
 */
export const WEBHOOK_SCHEDULE_MS: readonly number[] = [
  0,
  5_000,
  300_000,
  1_800_000,
  7_200_000,
  18_000_000,
  36_000_000,
  43_200_000,
  43_200_000,
];
/** The longest wait between two attempts, ms (a Cloudflare Queue's longest delay, 12 h). */
export const MAX_WEBHOOK_DELAY_MS = 43_200_000;

/** One delivery of one event to one endpoint, as it travels through the queue. */
export interface WebhookJob {
  /** The format's version. */
  v: 1;
  /** The endpoint's name: its URL and secret are looked up at each attempt, never queued. */
  endpoint: string;
  /** The `webhook-id`, the same on every attempt: `msg_` + the event's id. */
  messageId: string;
  /** The event. */
  event: CallbackEvent;
  /** This attempt's number, from 1. */
  attempt: number;
  /** When the first attempt was made, Unix ms. */
  firstAttemptAt: number;
}

/** What one attempt got. */
export interface WebhookAttemptOutcome {
  /** The receiver's status, when it answered. */
  status?: number;
  /** How long the receiver's `Retry-After` asks to wait, ms. */
  retryAfterMs?: number;
  /** Why no answer came: `timeout`, `network` or `bad_secret` (never a message). */
  error?: "timeout" | "network" | "bad_secret";
  /** How long the attempt took, ms. */
  durationMs: number;
}

/** What follows an attempt. */
export type WebhookDecision =
  /** A 2xx: done. */
  | { kind: "delivered" }
  /** Try again after `delayMs`, with `job` (its attempt counted). */
  | { kind: "retry"; job: WebhookJob; delayMs: number }
  /** No more attempts: a 410 (`gone`), or the schedule is used up (`exhausted`). */
  | { kind: "dead"; reason: "gone" | "exhausted" };

/** The schedule and the jitter's randomness. */
export interface WebhookSchedule {
  /** Waits before each attempt, ms (the first is the enqueue's; its length is the attempts). */
  scheduleMs: readonly number[];
  /** Uniform in [0, 1]; `0.5` means no jitter. */
  random: () => number;
}

/**
 * Decides what follows an attempt: any 2xx is delivered; 410 is dead at once; anything else (a
 * 3xx too, since redirects are not followed, a timeout, a network error) waits the schedule's
 * next delay, jittered by ±10% and lengthened to the receiver's `Retry-After` (capped at 12 h),
 * until the schedule is used up.
 *
 * @param job The job just attempted.
 * @param outcome What the attempt got.
 * @param schedule The schedule and randomness.
 * @returns Delivered, retry (with the next job and its delay) or dead (with why).
 */
export function nextAttempt(
  job: WebhookJob,
  outcome: WebhookAttemptOutcome,
  schedule: WebhookSchedule,
): WebhookDecision {
  const { status } = outcome;
  if (status !== undefined && status >= 200 && status < 300) return { kind: "delivered" };
  if (status == 410) return { kind: "dead", reason: "gone" };
  if (job.attempt >= schedule.scheduleMs.length) return { kind: "dead", reason: "exhausted" };
  const base = schedule.scheduleMs[job.attempt];
  const jittered = Math.round(base * (0.9 + 0.2 * schedule.random()));
  const delayMs = Math.min(MAX_WEBHOOK_DELAY_MS, Math.max(jittered, outcome.retryAfterMs ?? 0));
  return { kind: "retry", job: { ...job, attempt: job.attempt + 1 }, delayMs };
}

/**
 * Whether a value read from a queue is a {@link WebhookJob} (a message of another kind, or of
 * another version, is not).
 *
 * @param value What the queue delivered.
 * @returns Whether it is a job.
 */
export function isWebhookJob(value: unknown): value is WebhookJob {
  const job = value as Partial<WebhookJob> | null;
  return typeof job == "object" && job != null && job.v === 1 &&
    typeof job.endpoint == "string" && typeof job.messageId == "string" &&
    typeof job.event == "object" && job.event != null && Number.isSafeInteger(job.attempt) &&
    job.attempt! >= 1 && Number.isFinite(job.firstAttemptAt);
}
