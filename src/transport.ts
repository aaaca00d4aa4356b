/**
 * One signed HTTP exchange: sign, send with a time limit, read, and turn every failure into a
 * typed error. Shared by {@link invoke} and the action functions.
 *
 * @module
 */

import { signRequest } from "./signer.ts";
import { stateOf, type WangsuClient } from "./client.ts";
import { planSignature } from "./unique_signing.ts";
import { WangsuApiError, WangsuNetworkError, WangsuTimeoutError } from "./errors.ts";

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
}

/** Runs an observer; its failure must not fail the call. */
const quietly = (observe: () => void) => {
  try {
    observe();
  } catch {
    // ignored on purpose
  }
};

/** `Retry-After` as seconds: a number of seconds, or an HTTP date. */
const retryAfterSeconds = (value: string | null, now: number): number | undefined => {
  if (!value) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) : (Date.parse(value) - now) / 1000;
  return Number.isFinite(seconds) ? Math.max(0, seconds) : undefined;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value == "object" && value != null && !Array.isArray(value);

const describe = (error: unknown) => error instanceof Error ? error.message : String(error);

/**
 * Sends one signed request and returns the successful envelope.
 *
 * @param client The client.
 * @param request Method, path, body and call options.
 * @param action SDK action name, for errors and hooks.
 * @param attempt Attempt number, for hooks.
 * @param trace The previous attempt's timestamp in, this attempt's out (a retry signs later).
 * @returns The envelope, status and request id.
 * @throws {WangsuApiError} Non-2xx status, `code` other than 200, or a body that is no envelope.
 * @throws {WangsuNetworkError} When no response arrives.
 * @throws {WangsuTimeoutError} When the time limit passes first.
 */
export async function send(
  client: WangsuClient,
  request: SendRequest,
  action?: string,
  attempt = 1,
  trace: { timestamp: number } = { timestamp: 0 },
): Promise<Exchange> {
  const state = stateOf(client);
  const method = (request.method ?? "POST").toUpperCase();
  const { path, signal: callerSignal } = request;
  const url = client.endpoint + path;
  const json = request.body !== undefined && typeof request.body != "string";
  const planned = planSignature(
    state.lastSigned,
    Math.floor((state.now() + state.clockOffsetMs) / 1000),
    {
      method,
      url,
      body: json ? JSON.stringify(request.body) : (request.body as string | undefined) ?? "",
      json,
    },
    trace.timestamp && trace.timestamp + 1,
  );
  const body = planned.body;
  trace.timestamp = planned.timestamp;
  const timeoutMs = request.timeoutMs ?? client.timeoutMs;
  callerSignal?.throwIfAborted();

  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(), timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, timer.signal]) : timer.signal;
  const started = performance.now();
  let response: Response | undefined;
  let text: string;
  try {
    const headers = new Headers(client.headers);
    new Headers(request.headers).forEach((value, name) => headers.set(name, value));
    const signed = await signRequest(
      { method, url, headers, body },
      state.credentials,
      {
        timestamp: planned.timestamp,
        signedHeaders: client.signedHeaders,
      },
    );
    signal.throwIfAborted();
    quietly(() => client.onRequest?.({ action, method, path, attempt }));
    response = await client.fetch(url, {
      method,
      headers: signed,
      body: method == "GET" || method == "HEAD" ? undefined : body,
      signal,
    });
    // The signal also bounds the body: a fetch that ignores it must not hang the call.
    text = await Promise.race([
      response.text(),
      new Promise<never>((_, reject) => {
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
        if (signal.aborted) reject(signal.reason);
      }),
    ]);
  } catch (error) {
    const requestId = response?.headers.get("x-cnc-request-id") ?? undefined;
    if (callerSignal?.aborted) throw callerSignal.reason;
    if (timer.signal.aborted) {
      throw new WangsuTimeoutError(timeoutMs, { action, requestId, cause: error });
    }
    throw new WangsuNetworkError(`${action ?? path}: request failed: ${describe(error)}`, {
      action,
      requestId,
      cause: error,
    });
  } finally {
    clearTimeout(timeout);
  }

  const { status } = response;
  const requestId = response.headers.get("x-cnc-request-id") ?? undefined;
  quietly(() =>
    client.onResponse?.({
      action,
      method,
      path,
      status,
      requestId,
      durationMs: performance.now() - started,
    })
  );

  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: kept as text.
  }
  const envelope = isRecord(parsed) ? parsed : undefined;
  const context = { action, requestId };
  const fail = (message: string, code: unknown) => {
    const codeValue = typeof code == "number" || typeof code == "string" ? code : status;
    const where = `HTTP ${status}, code ${codeValue}${requestId ? `, request ${requestId}` : ""}`;
    return new WangsuApiError(`${action ?? path}: ${message} (${where})`, {
      status,
      code: codeValue,
      body: parsed,
      retryAfterSeconds: retryAfterSeconds(response.headers.get("retry-after"), state.now()),
      serverTime: Date.parse(response.headers.get("date") ?? "") || undefined,
    }, context);
  };
  const serverMessage = envelope && (envelope.message ?? envelope.result ?? envelope.error);
  if (!response.ok) {
    throw fail(
      typeof serverMessage == "string"
        ? serverMessage
        : (text.trim().slice(0, 200) || response.statusText || "request failed"),
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
    throw fail(typeof serverMessage == "string" ? serverMessage : "request refused", envelope.code);
  }
  return { envelope: envelope as unknown as Envelope, status, requestId };
}
