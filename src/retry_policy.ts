/**
 * The retry policy, as a pure function over plain data (internal): from one failed attempt and
 * the call it belongs to, whether to try again after so many milliseconds, or stop, and why. It
 * reads no clock and owns no randomness: the caller passes the time, the deadline and the random
 * source of the jitter. `send` (`transport.ts`) asks it after every failed attempt.
 *
 * - A failure retrying may fix (a network error, a timeout, HTTP 502, 503 or 504) is retried
 *   only when the call is safe to repeat, as it may have reached the service; a 429, answered
 *   before anything ran, is retried for any call.
 * - The wait is full jitter under a step that doubles from `retryBaseDelayMs` to `retryMaxDelayMs`, or the
 *   service's `Retry-After` when that is longer; a wait that would end at the deadline stops.
 * - A signature refused (401, 403, 462) while the service's clock is more than a minute from
 *   ours: its clock is taken, and the call retried once at once, write or not (nothing ran).
 *
 * @module
 */

import type { RetryInfo } from "./client.ts";

/** What the service answered, when it answered with a failure (a `WangsuApiError` is one). */
export interface FailedAnswer {
  /**
   * HTTP status: a failure's, or 200 when the envelope's code refused the call, or 0 for a
   * redirect a browser would not follow.
   */
  status: number;
  /** The wait the service asked for (`Retry-After`), in seconds. */
  retryAfterSeconds?: number;
  /** The service's clock (its `Date` header), Unix milliseconds. */
  serverTime?: number;
}

/**
 * How an attempt failed: no answer (`network`), none in time (`timeout`), an error before
 * anything was sent (`error`, a bad header say), or a failed answer.
 */
export type AttemptOutcome = "network" | "timeout" | "error" | FailedAnswer;

/** A failed attempt, and what the policy needs to know of its call. */
export interface FailedAttempt {
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
  /** How it failed. */
  outcome: AttemptOutcome;
  /** The call may be sent twice (read-only, or declared so). */
  repeatable: boolean;
  /** Retries allowed after the first attempt (a clock-skew retry not counted). */
  retries: number;
  /** An earlier attempt of this call was retried to correct the clock. */
  clockCorrected: boolean;
  /** The local clock, Unix milliseconds. */
  now: number;
  /** The correction the attempt's timestamp was signed with (added to `now`), ms. */
  clockOffsetMs: number;
  /** When the call must be over, Unix milliseconds (local clock). */
  deadline: number;
  /** First backoff step, ms. */
  retryBaseDelayMs: number;
  /** Largest backoff step, ms. */
  retryMaxDelayMs: number;
  /** The jitter's source, drawn once per backoff: a number in [0, 1); `Math.random` by default. */
  random?: () => number;
}

/** Why the policy stops a call: the attempt's failure is the call's. */
export type StopReason =
  /** Retrying does not change the answer (a refusal, a bad request, a corrected clock refused). */
  | "not-retryable"
  /** The call may have reached the service, and it is not safe to send twice. */
  | "not-repeatable"
  /** The retries allowed are used up (or there are none). */
  | "retries-spent"
  /** The wait would end at or after the deadline. */
  | "deadline";

/**
 * The policy's answer: retry after `afterMs`, or stop. Either way, `clockOffsetMs`, when present,
 * is the correction to sign with from now on (the service's clock proved ours wrong).
 */
export type RetryDecision =
  | { retry: true; afterMs: number; reason: RetryInfo["reason"]; clockOffsetMs?: number }
  | { retry: false; reason: StopReason; clockOffsetMs?: number };

/** Statuses that mean "try again later": rate limited, or briefly unavailable. */
const RETRY_STATUSES = [429, 502, 503, 504];
/** Statuses a signature (and so a clock) rejection comes with. */
const AUTH_STATUSES = [401, 403, 462];
/** A clock this far from the server's explains a rejected signature. */
const SKEW_EVIDENCE_MS = 60_000;

/**
 * Decides what follows a failed attempt.
 *
 * @param failed The attempt, how it failed, and the call's budget, deadline and clock.
 * @returns Retry after `afterMs` (with the reason given to `onRetry`), or stop (with why).
 */
export function retryDecision(failed: FailedAttempt): RetryDecision {
  const { outcome, now, deadline, retries, clockCorrected } = failed;
  const answer = typeof outcome == "object" ? outcome : undefined;
  const status = answer?.status!;
  if (
    !clockCorrected && answer?.serverTime && AUTH_STATUSES.includes(status) &&
    Math.abs(answer.serverTime - now - failed.clockOffsetMs) > SKEW_EVIDENCE_MS
  ) {
    // Nothing ran: retried at once, write or not, and not counted against `retries`.
    const clockOffsetMs = answer.serverTime - now;
    const stop = !retries ? "retries-spent" : now >= deadline && "deadline";
    return stop
      ? { retry: false, reason: stop, clockOffsetMs }
      : { retry: true, afterMs: 0, reason: "clock-skew", clockOffsetMs };
  }
  if (outcome == "error" || (answer && !RETRY_STATUSES.includes(status))) {
    return { retry: false, reason: "not-retryable" };
  }
  // A 429 is answered before anything runs; any other failure may come after the call ran.
  if (!failed.repeatable && status != 429) return { retry: false, reason: "not-repeatable" };
  // The retries made so far for a failure, the clock's correction not counted.
  const retried = failed.attempt - (clockCorrected ? 2 : 1);
  if (retried >= retries) return { retry: false, reason: "retries-spent" };
  const step = Math.min(failed.retryMaxDelayMs, failed.retryBaseDelayMs * 2 ** retried);
  const afterMs = Math.max(
    (failed.random ?? Math.random)() * step,
    (answer?.retryAfterSeconds ?? 0) * 1000,
  );
  return now + afterMs >= deadline
    ? { retry: false, reason: "deadline" }
    : { retry: true, afterMs, reason: answer ? "status" : outcome as "network" | "timeout" };
}
