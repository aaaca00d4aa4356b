/**
 * One attempt of a webhook delivery: the event signed again with this attempt's time and the
 * message's fixed `webhook-id`, POSTed with the endpoint's time limit, redirects not followed.
 *
 * @module
 */

import { signWebhook, WangsuWebhookError } from "../../callbacks/webhooks.ts";
import type { WebhookEndpoint } from "./endpoints.ts";
import type { WebhookAttemptOutcome, WebhookJob } from "./schedule.ts";

/** What an attempt uses from its surroundings. */
export interface AttemptContext {
  /** The fetch to POST with. */
  fetch: typeof globalThis.fetch;
  /** Clock, Unix ms. */
  now: () => number;
}

/** Default time limit of one attempt, ms. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** `Retry-After` in ms (seconds or an HTTP date), or `undefined`. */
const retryAfterOf = (header: string | null, now: number) => {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
};

/**
 * Makes one attempt. Never throws: what went wrong is in the outcome, as a category (an error's
 * message could quote the URL, which may hold a token).
 *
 * @param job The job.
 * @param endpoint Its endpoint (URL, secret, time limit).
 * @param context Fetch and clock.
 * @returns The status (and `Retry-After`) or the error, and the time taken.
 */
export async function attemptDelivery(
  job: WebhookJob,
  endpoint: WebhookEndpoint,
  context: AttemptContext,
): Promise<WebhookAttemptOutcome> {
  const started = context.now();
  const took = () => Math.max(0, context.now() - started);
  let signed;
  try {
    signed = await signWebhook(job.event, endpoint.secret, {
      id: job.messageId,
      timestamp: Math.floor(started / 1000),
    });
  } catch (error) {
    if (error instanceof WangsuWebhookError) return { error: "bad_secret", durationMs: took() };
    throw error;
  }
  const signal = AbortSignal.timeout(endpoint.timeoutMs ?? WEBHOOK_TIMEOUT_MS);
  try {
    const response = await context.fetch(endpoint.url, {
      method: "POST",
      headers: { ...signed.headers, "user-agent": "wangsu-gateway-webhooks" },
      body: signed.body,
      redirect: "manual",
      signal,
    });
    await response.body?.cancel().catch(() => {});
    const retryAfterMs = retryAfterOf(response.headers.get("retry-after"), context.now());
    return {
      status: response.status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      durationMs: took(),
    };
  } catch {
    return { error: signal.aborted ? "timeout" : "network", durationMs: took() };
  }
}
