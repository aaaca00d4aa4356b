/**
 * The retry policy around one signed exchange: which failures are retried, for which calls, how
 * long to wait, and when to give up. Every attempt is signed anew and never byte-identical to an
 * earlier one (see `send`), so a retry cannot trip the service's replay rule.
 *
 * @module
 */

import { type RetryInfo, stateOf, type WangsuClient } from "./client.ts";
import { WangsuApiError, WangsuNetworkError, WangsuTimeoutError } from "./errors.ts";
import { type Exchange, send, type SendRequest } from "./transport.ts";

/** Statuses that mean "try again later": rate limited, or the service is briefly unavailable. */
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
/** Statuses an authentication (and so a clock) rejection comes with. */
const AUTH_STATUSES = new Set([401, 403, 462]);
/** A clock this far from the server's explains a rejected signature. */
const SKEW_EVIDENCE_MS = 60_000;

type Failure = Omit<RetryInfo, "action" | "method" | "path" | "attempt" | "durationMs" | "delayMs">;

/** Why a failure may be retried, or `undefined` when it may not. */
const classify = (error: unknown, repeatable: boolean): Failure | undefined => {
  if (error instanceof WangsuApiError) {
    const retry = error.status == 429 || (repeatable && RETRY_STATUSES.has(error.status));
    return retry
      ? { reason: "status", status: error.status, requestId: error.requestId }
      : undefined;
  }
  if (!repeatable) return undefined;
  if (error instanceof WangsuTimeoutError) return { reason: "timeout", requestId: error.requestId };
  if (error instanceof WangsuNetworkError) return { reason: "network" };
  return undefined;
};

/**
 * Sends a request under the client's retry policy and rate limiter.
 *
 * @param client The client.
 * @param request The request and its call options.
 * @param action SDK action name, for errors and hooks.
 * @param safeToRepeat Whether the call may be sent twice (read-only, or declared so).
 * @returns The successful exchange.
 * @throws The last attempt's error when no retry is allowed or left.
 */
export async function sendWithRetries(
  client: WangsuClient,
  request: SendRequest,
  action: string | undefined,
  safeToRepeat: boolean,
): Promise<Exchange> {
  const state = stateOf(client);
  const repeatable = safeToRepeat || request.repeatable === true;
  const retries = request.retries ?? client.retries;
  const deadline = state.now() + (request.deadlineMs ?? client.deadlineMs);
  const method = (request.method ?? "POST").toUpperCase();
  const trace = { timestamp: 0 };
  let clockCorrected = false;
  let retried = 0;
  for (let attempt = 1;; attempt++) {
    const release = await state.limiter?.acquire(request.signal);
    const started = state.now();
    const remaining = deadline - started;
    try {
      const exchange = await send(
        client,
        { ...request, timeoutMs: Math.min(request.timeoutMs ?? client.timeoutMs, remaining) },
        action,
        attempt,
        trace,
      );
      release?.();
      return exchange;
    } catch (error) {
      release?.();
      if (request.signal?.aborted) throw error;
      if (error instanceof WangsuApiError && error.status == 429 && error.retryAfterSeconds) {
        state.limiter?.pause(error.retryAfterSeconds * 1000);
      }
      let failure = classify(error, repeatable);
      let delayMs = 0;
      const local = state.now() + state.clockOffsetMs;
      if (
        !clockCorrected && error instanceof WangsuApiError && AUTH_STATUSES.has(error.status) &&
        error.serverTime !== undefined && Math.abs(error.serverTime - local) > SKEW_EVIDENCE_MS
      ) {
        // The service rejected our timestamp: take its clock (kept for later calls) and, unless
        // retries are off, try once more. Nothing ran, so this is safe for any call.
        state.clockOffsetMs = error.serverTime - state.now();
        trace.timestamp = 0; // that attempt's time came from the wrong clock
        clockCorrected = true;
        if (retries == 0) throw error;
        failure = { reason: "clock-skew", status: error.status, requestId: error.requestId };
      } else if (failure && retried < retries) {
        const step = Math.min(client.retryMaxDelayMs, client.retryBaseDelayMs * 2 ** retried);
        const retryAfter = error instanceof WangsuApiError ? error.retryAfterSeconds ?? 0 : 0;
        delayMs = Math.max(Math.random() * step, retryAfter * 1000);
        retried++;
      } else {
        throw error;
      }
      if (state.now() + delayMs >= deadline) throw error;
      try {
        client.onRetry?.({
          ...failure,
          action,
          method,
          path: request.path,
          attempt,
          durationMs: state.now() - started,
          delayMs,
        });
      } catch {
        // An observer's failure must not fail the call.
      }
      if (delayMs > 0) await abortable(state.sleep(delayMs), request.signal);
    }
  }
}

/** Waits for `pending`, or rejects with the signal's reason as soon as it aborts. */
const abortable = (pending: Promise<void>, signal?: AbortSignal): Promise<void> =>
  signal
    ? new Promise((resolve, reject) => {
      signal.throwIfAborted();
      const abort = () => reject(signal.reason);
      signal.addEventListener("abort", abort, { once: true });
      pending.then(() => {
        signal.removeEventListener("abort", abort);
        resolve();
      });
    })
    : pending;
