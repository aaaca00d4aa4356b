/**
 * Typed errors. Every error the SDK throws is a {@link WangsuError}; `instanceof` on the subclasses
 * tells bad input, API refusals, network failures and timeouts apart. None of them ever holds a
 * secret, and all of them serialise to plain JSON.
 *
 * @module
 */

/** One problem found in a caller's input. */
export interface ValidationIssue {
  /** Dot path of the offending field (`""` for the input as a whole), e.g. `pageSize`. */
  path: string;
  /** The rule that failed, e.g. `required`, `type`, `max_value`, `picklist`. */
  rule: string;
  /** A readable sentence naming the field and the rule. */
  message: string;
}

/** Context shared by the errors of one API call. */
export interface ErrorContext {
  /** SDK action name (e.g. `createChannel`), when the call was an action. */
  action?: string;
  /** Request id from the `x-cnc-request-id` response header, when a response arrived. */
  requestId?: string;
  /** The underlying error, when there is one. */
  cause?: unknown;
}

/** Base class of every error thrown by this SDK. */
export class WangsuError extends Error {
  /** SDK action name, when the failure belongs to an action call. */
  declare readonly action?: string;
  /** `x-cnc-request-id` of the response, when there was one. */
  declare readonly requestId?: string;

  /**
   * Creates an error.
   *
   * @param message What went wrong.
   * @param context Action, request id and cause.
   */
  constructor(message: string, context: ErrorContext = {}) {
    super(message, context); // Error reads only its `cause`, and only when there is one
    this.name = new.target.name;
    this.action = context.action;
    this.requestId = context.requestId;
  }

  /** A plain-object view for logs and `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    return { ...(this as object), message: this.message };
  }
}

/** The input broke the action's rules; nothing was sent. */
export class WangsuValidationError extends WangsuError {
  /** Every problem found, each naming its field and rule. */
  declare readonly issues: ValidationIssue[];

  /**
   * Creates a validation error from the issues found.
   *
   * @param issues The problems found (at least one).
   * @param context The action whose input was checked.
   */
  constructor(issues: ValidationIssue[], context: ErrorContext = {}) {
    super(
      `Invalid ${context.action ?? "input"}: ${issues.map((issue) => issue.message).join("; ")}`,
      context,
    );
    this.issues = issues;
  }
}

/**
 * The API answered with a failure: a non-2xx status, a body whose `code` is not 200, or a body
 * that is not the JSON envelope it should be (`code` `INVALID_RESPONSE`, with the raw `body`).
 */
export class WangsuApiError extends WangsuError {
  /** HTTP status of the response. */
  declare readonly status: number;
  /** The API's error code (from the body; the HTTP status when the body has none). */
  declare readonly code: string | number;
  /** The parsed body, or its text when it was not JSON, so that nothing the server said is lost. */
  declare readonly body?: unknown;
  /** The response's `Retry-After`, in seconds, when it had one. */
  declare readonly retryAfterSeconds?: number;
  /** The server's clock from the response's `Date` header, Unix ms, when it had one. */
  declare readonly serverTime?: number;

  /**
   * Creates an API error.
   *
   * @param message The API's message, or a description of the unexpected response.
   * @param details HTTP status, error code and the response body.
   * @param context Action and request id.
   */
  constructor(
    message: string,
    details: {
      status: number;
      code: string | number;
      body?: unknown;
      retryAfterSeconds?: number;
      serverTime?: number;
    },
    context: ErrorContext = {},
  ) {
    super(message, context);
    Object.assign(this, details);
  }
}

/** No response arrived: the connection failed or was dropped. */
export class WangsuNetworkError extends WangsuError {}

/** No complete response arrived within the time allowed. */
export class WangsuTimeoutError extends WangsuError {
  /** The time limit that was exceeded, in milliseconds. */
  declare readonly timeoutMs: number;

  /**
   * Creates a timeout error.
   *
   * @param timeoutMs The limit in milliseconds.
   * @param context Action and request id.
   */
  constructor(timeoutMs: number, context: ErrorContext = {}) {
    super(`No response within ${timeoutMs} ms`, context);
    this.timeoutMs = timeoutMs;
  }
}

/** One issue: the field, the rule, and `field: text` (`input: text` for the input as a whole). */
export const issueOf = (path: string, rule: string, text: string): ValidationIssue => ({
  path,
  rule,
  message: `${path || "input"}: ${text}`,
});

/** A validation error of one issue (see {@link issueOf}). */
export const invalid = (
  path: string,
  rule: string,
  text: string,
  context?: ErrorContext,
): WangsuValidationError => new WangsuValidationError([issueOf(path, rule, text)], context);

/**
 * `value` when it is a whole number of at least `min`; the check of every count and duration
 * option.
 *
 * @throws {WangsuValidationError} Naming `path` and rule `min_value`, never the value.
 */
export const wholeNumberAtLeast = (
  path: string,
  value: unknown,
  min: number,
  context?: ErrorContext,
): number => {
  if (Number.isSafeInteger(value) && (value as number) >= min) return value as number;
  throw invalid(path, "min_value", `must be a whole number of at least ${min}`, context);
};
