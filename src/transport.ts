/**
 * A call to the API, attempt by attempt: each attempt signed anew (never byte-identical to an
 * earlier one), sent with a time limit and read; its answer's envelope checked, every failure a
 * typed error; then the retry policy (`retry_policy.ts`) decides whether and when to try again,
 * and whether the service's clock corrects ours. The rate limiter spaces the attempts. Shared by
 * {@link invoke}, the actions and the gateway.
 *
 * @module
 */

import { signInto } from "./signing.ts";
import { type AttemptInfo, stateOf, type WangsuClient } from "./client.ts";
import { planSignature } from "./unique_signing.ts";
import { type AttemptOutcome, type FailedAnswer, retryDecision } from "./retry_policy.ts";
import { invalid, WangsuApiError, WangsuNetworkError, WangsuTimeoutError } from "./errors.ts";

/** Per-call options accepted by every action and by {@link invoke}. */
export interface CallOptions {
  /** Aborts the call; the signal's reason is thrown as is. */
  signal?: AbortSignal;
  /** Time allowed for this call, in milliseconds; the client's `timeoutMs` by default. */
  timeoutMs?: number;
  /** Extra headers for this call. */
  headers?: HeadersInit;
  /** Retries after the first attempt for this call; the client's `retries` by default. */
  retries?: number;
  /** Time allowed across all attempts of this call, ms; the client's `deadlineMs` by default. */
  deadlineMs?: number;
  /**
   * Declares this call safe to send twice (for instance a write you can recognise if it already
   * happened), so that it is retried even after it may have reached the service.
   */
  repeatable?: boolean;
  /**
   * Called with the headers of the answer the call returns (not those of failed attempts), for
   * instance the gateway's `x-gateway-partial-page`. Errors it throws are ignored.
   */
  onResponseHeaders?: (headers: Headers) => void;
}

/** The JSON envelope every Wangsu API response is wrapped in. */
export interface Envelope<T = unknown> {
  /** `200` on success. */
  code: number | string;
  /** The service's message. */
  message: string;
  /** The payload. */
  data: T;
}

/** What one exchange produced. */
export interface Exchange {
  /** The parsed, successful envelope. */
  envelope: Envelope;
  /** The response body it was parsed from. */
  text: string;
  /** HTTP status. */
  status: number;
  /** `x-cnc-request-id`, when present. */
  requestId?: string;
}

/** The request {@link send} makes. */
export interface SendRequest extends CallOptions {
  /** HTTP method; `POST` by default. */
  method?: string;
  /** API path, starting with `/`. */
  path: string;
  /** JSON value (serialised) or a string sent as is. */
  body?: unknown;
  /**
   * The request signs a header whose value is unique to it (the gateway's request id), so no
   * two calls can sign alike: its body is never varied and the client's memory of signatures is
   * skipped. A retry still moves to a later second.
   */
  distinct?: boolean;
}

/**
 * A path that cannot leave the endpoint: a single `/` first (not `//` nor `/\`, which a URL
 * parser may read as another host), and no backslash or control character after it.
 */
// deno-lint-ignore no-control-regex
const PATH = /^\/(?![/\\])[^\\\x00-\x1f\x7f]*$/;

/** Runs an observer; its failure must not fail the call. */
const quietly = (observe: () => void) => {
  try {
    observe();
  } catch {
    // ignored on purpose
  }
};

/** Waits for `pending`, or rejects with the signal's reason as soon as it aborts. */
export const untilAborted = <T>(pending: Promise<T>, signal: AbortSignal): Promise<T> =>
  new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) abort();
    signal.addEventListener("abort", abort, { once: true });
    pending.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });

/** `x-cnc-request-id` of an answer, when there is one. */
const requestIdOf = (response?: Response) => response?.headers.get("x-cnc-request-id") ?? undefined;

/**
 * One attempt: the call's headers, then the client's where unset, signed for the planned
 * timestamp and body, sent, and the answer's body read, all within `timeoutMs`.
 *
 * @throws {WangsuTimeoutError} When the time limit passes first.
 * @throws {WangsuNetworkError} When no answer arrives, or its body cannot be read.
 */
async function attemptOnce(
  client: WangsuClient,
  request: SendRequest,
  info: AttemptInfo,
  url: string,
  target: URL,
  planned: { timestamp: number; body: string },
  timeoutMs: number,
): Promise<[Response, string]> {
  const { signal: callerSignal } = request;
  const { action, method } = info;
  // Not `setTimeout`: Deno loads its Node timers on the first call (10 to 20 ms, once per
  // isolate), and this is on every request's path. Past 2^31 - 1 ms timers fire at once.
  const timer = AbortSignal.timeout(Math.max(0, Math.min(timeoutMs, 2_147_483_647)));
  const signal = callerSignal ? AbortSignal.any([callerSignal, timer]) : timer;
  // This attempt's headers, signed in place: the call's, then the client's where unset.
  const outgoing = new Headers(request.headers);
  client.headers.forEach((value, name) => outgoing.has(name) || outgoing.set(name, value));
  const started = performance.now();
  // Set once the headers arrive (read in the catch below only if they did).
  let response!: Response;
  let text: string;
  try {
    const signed = signInto(
      method,
      target,
      outgoing,
      planned.body,
      stateOf(client).credentials,
      { timestamp: planned.timestamp, signedHeaders: client.signedHeaders },
    );
    signal.throwIfAborted();
    quietly(() => client.onRequest?.({ ...info }));
    // The time limit bounds the headers and the body together, whatever the fetch does with
    // its signal (a caller's fetch, or a wrapped global one, may ignore it). A redirect is
    // never followed: {@link envelopeOf} refuses it.
    text = await untilAborted(
      client.fetch(url, {
        method,
        headers: signed,
        body: method == "GET" || method == "HEAD" ? undefined : planned.body,
        signal,
        redirect: "manual",
      }).then((answer) => (response = answer).text()),
      signal,
    );
  } catch (error) {
    const requestId = requestIdOf(response);
    if (callerSignal?.aborted) throw callerSignal.reason;
    const context = { action, requestId, cause: error };
    throw timer.aborted ? new WangsuTimeoutError(timeoutMs, context) : new WangsuNetworkError(
      `${action ?? info.path}: request failed: ${(error as Error)?.message ?? error}`,
      context,
    );
  }
  quietly(() =>
    client.onResponse?.({
      ...info,
      status: response.status,
      requestId: requestIdOf(response),
      durationMs: performance.now() - started,
    })
  );
  return [response, text];
}

/**
 * Reads an answer: the successful exchange, or the failure its status, body or envelope says.
 *
 * @throws {WangsuApiError} Non-2xx status, `code` other than 200, a body that is no envelope, or
 *   a redirect (never followed: it could carry the access key and the body to another host).
 */
function envelopeOf(
  [response, text]: [Response, string],
  { action, path }: AttemptInfo,
  now: () => number,
): Exchange {
  const { status, headers } = response;
  const requestId = requestIdOf(response);
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: kept as text.
  }
  const envelope = typeof parsed == "object" && parsed && !Array.isArray(parsed)
    ? parsed as Record<string, unknown>
    : undefined;
  const fail = (message: unknown, code: unknown) => {
    code = typeof code == "number" || typeof code == "string" ? code : status;
    const retryAfter = headers.get("retry-after");
    return new WangsuApiError(
      `${action ?? path}: ${message} (HTTP ${status}, code ${code}${
        requestId ? `, request ${requestId}` : ""
      })`,
      {
        status,
        code: code as string | number,
        body: parsed,
        retryAfterSeconds: retryAfter
          ? Math.max(0, +retryAfter || (Date.parse(retryAfter) - now()) / 1000 || 0)
          : undefined,
        serverTime: Date.parse(headers.get("date") ?? "") || undefined,
      },
      { action, requestId },
    );
  };
  const serverMessage = envelope && (envelope.message ?? envelope.result ?? envelope.error);
  const said = typeof serverMessage == "string" ? serverMessage : undefined;
  // Following would send the access key, the signature and the body to wherever it points.
  // (In a browser, a redirect not followed is an opaque answer with status 0.)
  if ((status >= 300 && status < 400) || response.type == "opaqueredirect") {
    const location = headers.get("location")?.slice(0, 200);
    throw fail(
      `refused to follow a redirect${location ? ` to ${location}` : ""}`,
      "INVALID_RESPONSE",
    );
  }
  if (!response.ok) {
    throw fail(
      said ?? (text.trim().slice(0, 200) || response.statusText || "request failed"),
      envelope?.code,
    );
  }
  if (!envelope) {
    throw fail(
      text ? "response is not a JSON object" : "response body is empty",
      "INVALID_RESPONSE",
    );
  }
  if (envelope.code !== undefined && String(envelope.code) != "200") {
    throw fail(said ?? "request refused", envelope.code);
  }
  return { envelope: envelope as unknown as Envelope, text, status, requestId };
}

/** A failed attempt's error, as the retry policy reads it. */
const outcomeOf = (error: unknown): AttemptOutcome =>
  error instanceof WangsuApiError
    ? error
    : error instanceof WangsuTimeoutError
    ? "timeout"
    : error instanceof WangsuNetworkError
    ? "network"
    : "error";

/**
 * Makes a call: attempts under the client's retry policy and rate limiter.
 *
 * @param client The client.
 * @param request Method, path, body and call options.
 * @param action SDK action name, for errors and hooks.
 * @param safeToRepeat Whether the call may be sent twice (read-only, or declared so).
 * @returns The successful exchange.
 * @throws {WangsuValidationError} When the path could send the request elsewhere than the
 *   endpoint's origin (nothing is signed or sent).
 * @throws {WangsuApiError} Non-2xx status, `code` other than 200, a body that is no envelope, or
 *   a redirect (never followed: it could carry the access key and the body to another host).
 * @throws {WangsuNetworkError} When no response arrives.
 * @throws {WangsuTimeoutError} When the time limit passes first.
 */
export async function send(
  client: WangsuClient,
  request: SendRequest,
  action?: string,
  safeToRepeat = false,
): Promise<Exchange> {
  const state = stateOf(client);
  const method = (request.method ?? "POST").toUpperCase();
  const { path, signal } = request;
  const url = client.endpoint + path;
  // The path is appended to the endpoint, so one that does not start with a single `/` could
  // name another host (`.evil.example/x`, `@evil.example/x`, `//evil.example/x`), which would
  // get the access key, the signature and the body. Refused before anything is signed.
  const target = typeof path == "string" && PATH.test(path) ? new URL(url) : undefined;
  if (target?.origin !== state.origin) {
    throw invalid(
      "path",
      "path",
      "must start with one / and hold no backslash or control character",
      { action },
    );
  }
  const json = request.body !== undefined && typeof request.body != "string";
  const body = json ? JSON.stringify(request.body) : (request.body as string | undefined) ?? "";
  const deadline = state.now() + (request.deadlineMs ?? client.deadlineMs);
  let previous = 0; // the last attempt's timestamp: a retry signs a later second
  let clockCorrected = false;

  for (let attempt = 1;; attempt++) {
    const release = await state.limiter?.acquire(signal, request);
    const started = state.now();
    const info = { action, method, path, attempt };
    let failure: unknown;
    try {
      const planned = planSignature(
        request.distinct ? undefined : state.lastSigned,
        Math.floor((state.now() + state.clockOffsetMs) / 1000),
        { method, url, body, json },
        previous && previous + 1,
      );
      previous = planned.timestamp;
      const timeoutMs = Math.min(request.timeoutMs ?? client.timeoutMs, deadline - state.now());
      const answer = await attemptOnce(client, request, info, url, target, planned, timeoutMs);
      const exchange = envelopeOf(answer, info, state.now);
      quietly(() => request.onResponseHeaders?.(answer[0].headers));
      return exchange;
    } catch (error) {
      if (signal?.aborted) throw error;
      failure = error;
    } finally {
      release?.(); // the slot's window starts now, not after the wait below
    }

    const outcome = outcomeOf(failure);
    const { status, retryAfterSeconds } = outcome as FailedAnswer;
    // A 429's Retry-After holds back every call that shares the limiter.
    if (status == 429 && retryAfterSeconds) state.limiter?.pause(retryAfterSeconds * 1000);
    const now = state.now();
    const decision = retryDecision({
      attempt,
      outcome,
      repeatable: safeToRepeat || request.repeatable === true,
      retries: request.retries ?? client.retries,
      clockCorrected,
      now,
      clockOffsetMs: state.clockOffsetMs,
      deadline,
      retryBaseDelayMs: client.retryBaseDelayMs,
      retryMaxDelayMs: client.retryMaxDelayMs,
    });
    if (decision.clockOffsetMs !== undefined) {
      // The service refused our timestamp: its clock is kept for later calls, and this
      // attempt's timestamp (from the wrong clock) no longer bounds the next one.
      state.clockOffsetMs = decision.clockOffsetMs;
      previous = 0;
      clockCorrected = true;
    }
    if (!decision.retry) throw failure;
    const { requestId } = failure as WangsuApiError;
    const delayMs = decision.afterMs;
    quietly(() =>
      client.onRetry?.({
        ...info,
        reason: decision.reason,
        status,
        requestId,
        durationMs: now - started,
        delayMs,
      })
    );
    if (delayMs) {
      const sleeping = state.sleep(delayMs);
      await (signal ? untilAborted(sleeping, signal) : sleeping);
    }
  }
}
