/**
 * The client: credentials, endpoint and transport settings shared by every call. It is a plain
 * object; the secret key is held outside it, so it cannot leak through enumeration, `JSON.stringify`,
 * `String()` or the console (Deno's and Node's alike); the first three also say it is redacted.
 *
 * @module
 */

import type { Credentials } from "./signer.ts";
import { clientSettings } from "./client_settings.ts";
import type { RateLimiter } from "./rate_limiter.ts";
import type { SigningMemory } from "./unique_signing.ts";

/** Facts about one HTTP exchange, given to the `onResponse` hook. Never holds a secret. */
export interface ResponseInfo {
  /** SDK action name, or `undefined` for {@link invoke}-style calls. */
  action?: string;
  /** HTTP method. */
  method: string;
  /** API path, e.g. `/live/channelManage/getChannelList`. */
  path: string;
  /** 1 for the first try, 2 for the first retry, ... */
  attempt: number;
  /** HTTP status. */
  status: number;
  /** `x-cnc-request-id` of the response, when present. */
  requestId?: string;
  /** Time from sending to the full body being read, in milliseconds. */
  durationMs: number;
}

/** Facts about an attempt about to be sent, given to the `onRequest` hook. */
export interface AttemptInfo {
  /** SDK action name, or `undefined` for {@link invoke}-style calls. */
  action?: string;
  /** HTTP method. */
  method: string;
  /** API path. */
  path: string;
  /** 1 for the first try, 2 for the first retry, ... */
  attempt: number;
}

/** Facts about a failed attempt that will be retried, given to the `onRetry` hook. */
export interface RetryInfo extends AttemptInfo {
  /** Why: an HTTP status, a network failure, a timeout, or a rejected clock. */
  reason: "status" | "network" | "timeout" | "clock-skew";
  /** HTTP status, when a response arrived. */
  status?: number;
  /** `x-cnc-request-id` of the failed attempt, when a response arrived. */
  requestId?: string;
  /** How long the failed attempt took, ms. */
  durationMs: number;
  /** How long the client waits before the next attempt, ms. */
  delayMs: number;
}

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** Access key; `WANGSU_ACCESS_KEY` from the environment when omitted. */
  accessKey?: string;
  /** Secret key; `WANGSU_SECRET_KEY` from the environment when omitted. */
  secretKey?: string;
  /**
   * A host (`open.chinanetcenter.com`, the default) or a base URL such as
   * `http://127.0.0.1:8787`; `WANGSU_ENDPOINT` from the environment when omitted. A URL holding
   * a user or password is refused.
   */
  endpoint?: string;
  /**
   * The `fetch` to send with (a test double, a simulator's `fetch`, ...); global `fetch` by
   * default. It is asked not to follow redirects (`redirect: "manual"`); a redirect it returns
   * is refused with a `WangsuApiError`.
   */
  fetch?: typeof fetch;
  /**
   * Time allowed for each attempt, headers and body, in milliseconds (default 30 000); it holds
   * even against a `fetch` that ignores its abort signal.
   */
  timeoutMs?: number;
  /**
   * Header names to sign, `;`-separated (default `content-type;host`): 1 to 64 HTTP header
   * names, at most 1,024 characters.
   */
  signedHeaders?: string;
  /** Extra headers sent with every call. */
  headers?: HeadersInit;
  /** Called after each response arrives, successful or not. Errors it throws are ignored. */
  onResponse?: (info: ResponseInfo) => void;
  /** Called before each attempt is sent. Errors it throws are ignored. */
  onRequest?: (info: AttemptInfo) => void;
  /** Called when a failed attempt will be retried. Errors it throws are ignored. */
  onRetry?: (info: RetryInfo) => void;
  /**
   * Retries after the first attempt (default 2; 0 disables). Only calls that are safe to repeat
   * are retried after they may have reached the service: read-only actions, calls marked
   * `repeatable`, and `createRecordTask` with a `transNo`. Others retry only on 429, which the
   * service answers before doing anything.
   */
  retries?: number;
  /** Time allowed for a call across all its attempts and waits, ms (default 60 000). */
  deadlineMs?: number;
  /** First backoff step, ms (default 200); delays grow by 2× per retry with full jitter. */
  retryBaseDelayMs?: number;
  /** Largest backoff step, ms (default 10 000). A `Retry-After` is honoured even if longer. */
  retryMaxDelayMs?: number;
  /**
   * Client-side rate limiting: a limiter from `createRateLimiter()` (preset to the service's 300
   * requests per 5 minutes), shared by the clients of one account. Off by default.
   */
  rateLimit?: RateLimiter;
  /** The clock that timestamps requests, in Unix milliseconds (default `Date.now`). */
  now?: () => number;
  /** Waits between retries and in the rate limiter (default `setTimeout`); for virtual time. */
  sleep?: (ms: number) => Promise<void>;
}

/** A configured client. Create one with {@link createClient}; pass it to any action. */
export interface WangsuClient {
  /** The access key calls are signed for. */
  readonly accessKey: string;
  /** Base URL that action paths are appended to, without a trailing slash. */
  readonly endpoint: string;
  /** Default time allowed for each call, in milliseconds. */
  readonly timeoutMs: number;
  /** Signed-header list, when not the default. */
  readonly signedHeaders?: string;
  /** Extra headers sent with every call. */
  readonly headers: Headers;
  /** The `fetch` used to send. */
  readonly fetch: typeof fetch;
  /** Response hook. */
  readonly onResponse?: (info: ResponseInfo) => void;
  /** Attempt hook. */
  readonly onRequest?: (info: AttemptInfo) => void;
  /** Retry hook. */
  readonly onRetry?: (info: RetryInfo) => void;
  /** Retries after the first attempt. */
  readonly retries: number;
  /** Time allowed for a call across all attempts, ms. */
  readonly deadlineMs: number;
  /** First backoff step, ms. */
  readonly retryBaseDelayMs: number;
  /** Largest backoff step, ms. */
  readonly retryMaxDelayMs: number;
}

/** Mutable per-client state that must not be visible on the client object. */
export interface ClientState {
  /** The credentials, secret included. */
  credentials: Credentials;
  /** Correction added to the local clock when signing, in milliseconds. */
  clockOffsetMs: number;
  /** The local clock, Unix milliseconds. */
  now: () => number;
  /** Recent signatures, so that no request is ever signed byte-identically twice. */
  lastSigned: SigningMemory;
  /** Waits between attempts. */
  sleep: (ms: number) => Promise<void>;
  /** The rate limiter, when one is on. */
  limiter?: RateLimiter;
  /** The endpoint's origin: every request must go there. */
  origin: string;
}

const states = new WeakMap<WangsuClient, ClientState>();
const REDACTED = "[redacted]";

/** Internal: the hidden state of a client made by {@link createClient}. */
export const stateOf = (client: WangsuClient): ClientState => {
  const state = states.get(client);
  if (!state) throw new TypeError("Not a client: make one with createClient()");
  return state;
};

/**
 * Creates a client. Credentials and endpoint fall back to `WANGSU_ACCESS_KEY`,
 * `WANGSU_SECRET_KEY` and `WANGSU_ENDPOINT` where the runtime has an environment.
 *
 * @example
 * ```ts
 * import { createClient, getChannelList } from "@wangsu/sdk";
 *
 * const client = createClient({ accessKey: "AK...", secretKey: "SK..." });
 * const page = await getChannelList(client, { pageSize: 20 });
 * ```
 *
 * @param options Credentials, endpoint and transport settings.
 * @returns A client to pass to actions and to {@link invoke}.
 * @throws {WangsuValidationError} When a credential is missing or a setting is invalid.
 */
export function createClient(options: ClientOptions = {}): WangsuClient {
  const { accessKey, secretKey, timeoutMs, retries, deadlineMs, endpoint, origin } = clientSettings(
    options,
  );
  const now = options.now ?? Date.now;
  const sleep = options.sleep ??
    ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const view = () => ({ accessKey, secretKey: REDACTED, endpoint, timeoutMs });
  const show = () => `WangsuClient ${JSON.stringify(view())}`;
  // Checked now when given; otherwise made on first use: Deno sets up `Headers` when it is first
  // used (about 2 ms), which would otherwise count in a gateway's start-up.
  let headers = options.headers && new Headers(options.headers);
  const client: WangsuClient = Object.defineProperties({
    accessKey,
    endpoint,
    timeoutMs,
    signedHeaders: options.signedHeaders,
    get headers() {
      return headers ||= new Headers();
    },
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    onResponse: options.onResponse,
    onRequest: options.onRequest,
    onRetry: options.onRetry,
    retries,
    deadlineMs,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 200,
    retryMaxDelayMs: options.retryMaxDelayMs ?? 10_000,
  }, {
    toJSON: { value: view },
    toString: { value: show },
    [Symbol.for("Deno.customInspect")]: { value: show },
  });
  states.set(client, {
    credentials: { accessKey, secretKey },
    clockOffsetMs: 0,
    now,
    lastSigned: new Map(),
    sleep,
    limiter: options.rateLimit,
    origin,
  });
  return Object.freeze(client);
}
