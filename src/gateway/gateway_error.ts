/**
 * The one way a gateway request fails on purpose: a {@link GatewayError} carries the status, a
 * stable machine-readable reason, the sentence for the caller, the headers the answer needs
 * (`Retry-After`, `Allow`), any further body fields, and what the audit entry should note. Each
 * step of a request throws one; the gateway turns it into its JSON answer in one place
 * ({@link errorText} for the body, the app's error handler for the response).
 *
 * Not Hono's `HTTPException`: that carries a status, a message and a finished `Response`, while a
 * refusal here must also be readable as data (its reason and audit note) by routes that answer
 * in another shape than HTTP JSON.
 *
 * @module
 */

import type { AuditEntry } from "./audit.ts";

/** What a {@link GatewayError} carries besides its status, reason and message. */
export interface GatewayErrorInit {
  /** Headers of the answer (e.g. `retry-after`). */
  headers?: Readonly<Record<string, string>>;
  /** Body fields after `code` and `message` (e.g. `reason`, `issues`, `upstreamStatus`). */
  details?: Readonly<Record<string, unknown>>;
  /** What the request's audit entry notes about the refusal. */
  audit?: Readonly<Partial<AuditEntry>>;
}

/** A refusal: rendered as `{ code: status, message, ...details }` with its headers. */
export class GatewayError extends Error {
  /** HTTP status of the answer. */
  readonly status: number;
  /** A stable machine-readable code (`quota-exceeded`, `replay`, `out-of-scope`, ...). */
  readonly reason: string;
  /** Headers of the answer. */
  readonly headers: Readonly<Record<string, string>>;
  /** Body fields after `code` and `message`. */
  readonly details: Readonly<Record<string, unknown>>;
  /** What the audit entry notes. */
  readonly audit: Readonly<Partial<AuditEntry>>;

  /**
   * @param status HTTP status of the answer.
   * @param reason A stable machine-readable code.
   * @param message The sentence for the caller (never a secret).
   * @param init Headers, further body fields and the audit note.
   */
  constructor(status: number, reason: string, message: string, init: GatewayErrorInit = {}) {
    super(message);
    this.name = "GatewayError";
    this.status = status;
    this.reason = reason;
    this.headers = init.headers ?? {};
    this.details = init.details ?? {};
    this.audit = init.audit ?? {};
  }
}

/** The JSON body of a refusal: `{"code":<status>,"message":...,...details}`. */
export const errorText = (error: GatewayError): string =>
  JSON.stringify({ code: error.status, message: error.message, ...error.details });

/** Whole seconds to wait, at least one, as a `Retry-After` value. */
export const retryAfter = (ms: number): string => String(Math.max(1, Math.ceil(ms / 1000)));

/**
 * The shared state (quotas, budget) could not be asked: nothing was forwarded; the caller may
 * try again in a second.
 *
 * @param audit What the audit entry notes (which decision could not be made).
 */
export const stateUnavailable = (audit: Partial<AuditEntry>): GatewayError =>
  new GatewayError(
    503,
    "state-unavailable",
    "The gateway's shared state is unavailable, so nothing was forwarded; try again shortly",
    { headers: { "retry-after": "1" }, audit },
  );

/**
 * An unexpected error, as the caller gets it: 500 quoting nothing. Nothing of it reaches the
 * caller or the log but its name (its message may quote what the request carried: a token, a
 * body); the log line names the request so that the caller's request id finds it.
 *
 * @param failure What was thrown.
 * @param requestId The request's id, for the log line.
 */
export const internalError = (failure: unknown, requestId?: string): GatewayError => {
  const name = failure instanceof Error ? failure.name : typeof failure;
  console.error(`gateway: internal error (${name}) in request ${requestId}`);
  const message = "Internal error; the request id identifies it in the gateway's log";
  return new GatewayError(500, "internal", message);
};
