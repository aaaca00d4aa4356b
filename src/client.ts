/**
 * The client: credentials, endpoint and transport settings shared by every call. It is a plain
 * object; the secret key is held outside it, so it cannot leak through enumeration, `JSON.stringify`,
 * `String()` or the console.
 *
 * @module
 */

import type { Credentials } from "./signer.ts";
import { WangsuValidationError } from "./errors.ts";

/** Facts about one HTTP exchange, given to the `onResponse` hook. Never holds a secret. */
export interface ResponseInfo {
  /** SDK action name, or `undefined` for {@link invoke}-style calls. */
  action?: string;
  /** HTTP method. */
  method: string;
  /** API path, e.g. `/live/channelManage/getChannelList`. */
  path: string;
  /** HTTP status. */
  status: number;
  /** `x-cnc-request-id` of the response, when present. */
  requestId?: string;
  /** Time from sending to the full body being read, in milliseconds. */
  durationMs: number;
}

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** Access key; `WANGSU_ACCESS_KEY` from the environment when omitted. */
  accessKey?: string;
  /** Secret key; `WANGSU_SECRET_KEY` from the environment when omitted. */
  secretKey?: string;
  /**
   * A host (`open.chinanetcenter.com`, the default) or a base URL such as
   * `http://127.0.0.1:8787`; `WANGSU_ENDPOINT` from the environment when omitted.
   */
  endpoint?: string;
  /** The `fetch` to send with (a test double, a simulator's `fetch`, ...); global `fetch` by default. */
  fetch?: typeof fetch;
  /** Time allowed for each call, headers and body, in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Header names to sign, `;`-separated (default `content-type;host`). */
  signedHeaders?: string;
  /** Extra headers sent with every call. */
  headers?: HeadersInit;
  /** Called after each response arrives, successful or not. Errors it throws are ignored. */
  onResponse?: (info: ResponseInfo) => void;
  /** The clock that timestamps requests, in Unix milliseconds (default `Date.now`). */
  now?: () => number;
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
}

/** Mutable per-client state that must not be visible on the client object. */
export interface ClientState {
  /** The credentials, secret included. */
  credentials: Credentials;
  /** Correction added to the local clock when signing, in milliseconds. */
  clockOffsetMs: number;
  /** The local clock, Unix milliseconds. */
  now: () => number;
  /**
   * Last timestamp (Unix seconds) signed for each recent distinct request, so that a repeat is
   * signed at least a second later and never byte-identical (the service rejects replays).
   */
  lastSigned: Map<string, number>;
}

const states = new WeakMap<WangsuClient, ClientState>();
const REDACTED = "[redacted]";

/** Internal: the hidden state of a client made by {@link createClient}. */
export const stateOf = (client: WangsuClient): ClientState => {
  const state = states.get(client);
  if (!state) {
    throw new WangsuValidationError([{
      path: "client",
      rule: "type",
      message: "client: must be made by createClient()",
    }]);
  }
  return state;
};

type EnvironmentGlobals = {
  Deno?: {
    env: { get(name: string): string | undefined };
    permissions: { querySync?(d: { name: "env"; variable: string }): { state: string } };
  };
  process?: { env?: Record<string, string | undefined> };
};

/** Reads an environment variable where the runtime has one; `undefined` elsewhere, never throws. */
export const readEnv = (name: string): string | undefined => {
  const { Deno, process } = globalThis as EnvironmentGlobals;
  try {
    if (Deno) {
      return Deno.permissions.querySync?.({ name: "env", variable: name }).state == "granted"
        ? Deno.env.get(name)
        : undefined;
    }
    return process?.env?.[name];
  } catch {
    return undefined;
  }
};

const normalizeEndpoint = (endpoint: string): string => {
  try {
    const url = new URL(
      /^[a-z][a-z\d+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`,
    );
    if (url.protocol != "https:" && url.protocol != "http:") throw 0;
    return url.origin + url.pathname.replace(/\/+$/, "");
  } catch {
    throw new WangsuValidationError([{
      path: "endpoint",
      rule: "url",
      message: `endpoint: must be a host or an http(s) URL, got ${JSON.stringify(endpoint)}`,
    }]);
  }
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
  const accessKey = options.accessKey ?? readEnv("WANGSU_ACCESS_KEY");
  const secretKey = options.secretKey ?? readEnv("WANGSU_SECRET_KEY");
  const timeoutMs = options.timeoutMs ?? 30_000;
  const issues = [];
  if (typeof accessKey != "string" || !accessKey) {
    issues.push({
      path: "accessKey",
      rule: "required",
      message: "accessKey: required (pass it or set WANGSU_ACCESS_KEY)",
    });
  }
  if (typeof secretKey != "string" || !secretKey) {
    issues.push({
      path: "secretKey",
      rule: "required",
      message: "secretKey: required (pass it or set WANGSU_SECRET_KEY)",
    });
  }
  if (!(timeoutMs > 0)) {
    issues.push({
      path: "timeoutMs",
      rule: "min_value",
      message: "timeoutMs: must be a number of milliseconds above 0",
    });
  }
  if (issues.length) throw new WangsuValidationError(issues);
  const endpoint = normalizeEndpoint(
    options.endpoint ?? readEnv("WANGSU_ENDPOINT") ?? "open.chinanetcenter.com",
  );
  const view = () => ({ accessKey, secretKey: REDACTED, endpoint, timeoutMs });
  const client: WangsuClient = Object.defineProperties({
    accessKey: accessKey!,
    endpoint,
    timeoutMs,
    signedHeaders: options.signedHeaders,
    headers: new Headers(options.headers),
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    onResponse: options.onResponse,
  }, {
    toJSON: { value: view },
    toString: { value: () => `WangsuClient ${JSON.stringify(view())}` },
    [Symbol.for("Deno.customInspect")]: { value: () => `WangsuClient ${JSON.stringify(view())}` },
    [Symbol.for("nodejs.util.inspect.custom")]: {
      value: () => `WangsuClient ${JSON.stringify(view())}`,
    },
  });
  states.set(client, {
    credentials: { accessKey: accessKey!, secretKey: secretKey! },
    clockOffsetMs: 0,
    now: options.now ?? Date.now,
    lastSigned: new Map(),
  });
  return Object.freeze(client);
}
