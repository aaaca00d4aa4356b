/**
 * An edge gateway for Wangsu's Channels Management API, built on Hono: it serves the vendor's 29
 * paths, authenticates callers with gateway-issued keys (CNC-HMAC-SHA256 pairs, so the vendor's
 * own SDKs work against it, or bearer tokens for browsers), checks each key's allowed actions,
 * validates bodies, then re-signs with the account's master key and forwards upstream. The
 * master secret never leaves the gateway.
 *
 * @example
 * ```ts
 * import { createGateway } from "@wangsu/sdk/gateway";
 *
 * const gateway = createGateway({
 *   upstream: { accessKey: "AK_MASTER", secretKey: "SK_MASTER" },
 *   keys: [{ name: "dashboard", token: Deno.env.get("DASHBOARD_TOKEN")!, actions: ["read"] }],
 *   corsOrigins: ["https://dashboard.example.com"],
 * });
 * Deno.serve(gateway.fetch);
 * ```
 *
 * @module
 */

import { Hono } from "hono";
import type { Context, MiddlewareHandler } from "hono";
import { catalog } from "../actions/catalog.ts";
import type { ActionDefinition, CatalogEntry } from "../action.ts";
import { type ClientOptions, createClient } from "../client.ts";
import { WangsuApiError, WangsuTimeoutError, WangsuValidationError } from "../errors.ts";
import { createMemoryStore, type StateStore } from "../state_store.ts";
import {
  type AuthFailure,
  type Caller,
  countCallers,
  createAuthenticator,
  type GatewayKeyConfig,
} from "./keys.ts";
import { addConsoleRoutes, type ConsolePageOptions } from "./console.ts";
import { type AuditEntry, logAuditEntry } from "./audit.ts";
import {
  addEventRoutes,
  type CallbackIngressOptions,
  type ConnectionInfo,
  type GatewayEnv,
} from "./events.ts";
import {
  type AccountBudget,
  BudgetExhaustedError,
  createBudgetLimiter,
  StateUnavailableError,
} from "./budget.ts";

export type { GatewayKeyConfig, KeyRateLimit } from "./keys.ts";
export type { AuditEntry } from "./audit.ts";
export type { CallbackIngressOptions, ConnectionInfo } from "./events.ts";
export type { ConsolePageOptions } from "./console.ts";
export {
  type BroadcastChannelHubOptions,
  createBroadcastChannelHub,
  createMemoryHub,
  type EventHub,
  type HubOptions,
  type HubSubscription,
} from "./event_hub.ts";
export {
  createDurableObjectHub,
  type EventHubNamespace,
  type EventHubStub,
} from "./durable_object_hub.ts";
export type { AccountBudget } from "./budget.ts";
export {
  createMemoryStore,
  type MemoryStoreOptions,
  type Reservation,
  type StateStore,
} from "../state_store.ts";
export { createDurableObjectStore, type StateObjectNamespace } from "./durable_object_store.ts";
export {
  createDenoKvStore,
  type DenoKvLike,
  type DenoKvStoreOptions,
  type KvEntry,
} from "./deno_kv_store.ts";
export {
  createDenoKvHub,
  type DenoKvHubLike,
  type DenoKvHubOptions,
  type KvAtomicLike,
  type KvKeyLike,
} from "./deno_kv_hub.ts";

/** Options of {@link createGateway}. */
export interface GatewayOptions {
  /**
   * The Wangsu account the gateway calls with (its secret stays here), and any client option for
   * the upstream calls: `endpoint`, `fetch` (a simulator's in tests and demos), `timeoutMs`
   * (exceeded means 504), `retries`, ... The account's rate is governed by `accountBudget`.
   */
  upstream: Omit<ClientOptions, "rateLimit"> & { accessKey: string; secretKey: string };
  /** Caller keys and what each may call. */
  keys: readonly GatewayKeyConfig[];
  /**
   * Browser origins allowed by CORS on the API routes (none by default; `*` for any): each
   * `scheme://host[:port]`. CORS is never sent on the page or its console routes.
   */
  corsOrigins?: readonly string[];
  /** Largest accepted request body in bytes (default 65 536). */
  maxBodyBytes?: number;
  /** Allowed skew of callers' signature timestamps, seconds (default 300). */
  maxSkewSeconds?: number;
  /** Clock, Unix ms (default `Date.now`). */
  now?: () => number;
  /**
   * Where the replay memory, the account budget and the keys' quotas are kept. This isolate's
   * memory by default, which is right for one process only: on Workers pass
   * {@link createDurableObjectStore}, on Deno Deploy {@link createDenoKvStore}.
   */
  store?: StateStore;
  /**
   * The account's upstream budget, enforced before anything is forwarded (default the vendor's
   * 300 requests per 300 s); `false` for none.
   */
  accountBudget?: AccountBudget | false;
  /** Receives each request's audit entry. Errors it throws are ignored. */
  onAudit?: (entry: AuditEntry) => void;
  /** Writes each audit entry to the console as one JSON line (default true). */
  auditLog?: boolean;
  /**
   * Receives the platform's callbacks at `/callbacks/<token>` and streams them to keys that may
   * read the matching resource at `GET /events` (Server-Sent Events). Off when omitted.
   */
  callbacks?: CallbackIngressOptions;
  /**
   * The page at `/`: the API reference with "try it" (and a live console in demo mode). Off when
   * omitted, so a production gateway shows nothing at `/` unless asked to.
   */
  page?: ConsolePageOptions;
}

/** A gateway: a fetch handler for Workers, Deno Deploy, `Deno.serve`, Bun or Node adapters. */
export interface Gateway {
  /**
   * Answers one request. `info.remoteAddr` (as `Deno.serve` passes it) gives the peer's address
   * to the callback allow-list; the Workers entry passes `CF-Connecting-IP`.
   */
  fetch(request: Request, info?: ConnectionInfo): Promise<Response>;
}

const VERSION = "0.1.0";
/** The account budget the vendor grants: 300 requests per 300 s. */
const VENDOR_BUDGET = { limit: 300, windowSeconds: 300 };
const UPSTREAM_AUTH_STATUSES = new Set([401, 403, 462]);
const JSON_TYPE = "application/json; charset=utf-8";
const STATE_UNAVAILABLE = "The gateway's shared state is unavailable, so nothing was forwarded; " +
  "try again shortly";
const encoder = new TextEncoder();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

type Env = GatewayEnv;

/** A middleware whose module is imported, and the middleware made, on its first request. */
const loadedOnFirstUse = (
  make: () => Promise<MiddlewareHandler<Env>>,
): MiddlewareHandler<Env> => {
  let loaded: Promise<MiddlewareHandler<Env>> | undefined;
  return async (c, next) => (await (loaded ??= make()))(c, next);
};

/** A configuration problem, named by its option path. */
const invalid = (path: string, message: string): never => {
  throw new WangsuValidationError([{ path, rule: "config", message: `${path}: ${message}` }]);
};

/**
 * Hosts an upstream may be reached at over plain `http:`, where nothing crosses a network:
 * loopback addresses and the names reserved for that and for tests (RFC 6761: `localhost`,
 * `.localhost`, `.test`, which never resolve elsewhere).
 */
const LOOPBACK = /^(127(\.\d{1,3}){3}|\[::1\]|([\w-]+\.)*(localhost|test))$/i;

/**
 * Refuses CORS origins that would open the API to pages it should not trust: `null` (sandboxed
 * frames and `file:` pages all send it) and anything that is not exactly an origin.
 */
const checkCorsOrigins = (origins: readonly string[]) => {
  for (const [index, origin] of origins.entries()) {
    const path = `corsOrigins.${index}`;
    if (origin == "*") continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      // reported below
    }
    if (!parsed || parsed.origin == "null" || parsed.origin != origin) {
      invalid(
        path,
        `"${origin}" is not an origin: write scheme://host[:port], e.g. https://app.example.com`,
      );
    }
  }
};

/**
 * Refuses an upstream endpoint that would send the master key in the clear: plain `http:` is
 * allowed only to a loopback host (a local simulator).
 */
const checkUpstream = (endpoint: string | undefined) => {
  if (endpoint === undefined) return;
  const url = (() => {
    try {
      return new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`);
    } catch {
      return invalid("upstream.endpoint", "is not a URL or host name");
    }
  })();
  if (url.protocol == "http:" && !LOOPBACK.test(url.hostname)) {
    invalid(
      "upstream.endpoint",
      "must use https: (plain http: would send the master access key and bodies in the clear; " +
        "it is allowed only to a loopback host)",
    );
  }
};

/** What serving one action needs beyond the catalog: its definition, the body reader, `send`. */
type LoadedAction = [
  ActionDefinition,
  typeof import("../action.ts")["readActionBody"],
  typeof import("../transport.ts")["send"],
];

/**
 * Creates a gateway.
 *
 * @param options Upstream account, caller keys, shared state, budget, CORS origins and limits.
 * @returns The gateway.
 * @throws {WangsuValidationError} When the configuration is invalid (naming the key and field).
 */
export function createGateway(options: GatewayOptions): Gateway {
  const now = options.now ?? Date.now;
  checkUpstream(options.upstream.endpoint);
  checkCorsOrigins(options.corsOrigins ?? []);
  // The default memory's share per caller: an equal part for each caller name (keys that share
  // a name are one caller), so that no caller can fill it for the others.
  const store = options.store ?? createMemoryStore({ now, owners: countCallers(options.keys) });
  const budgetConfig = options.accountBudget === false
    ? undefined
    : options.accountBudget ?? VENDOR_BUDGET;
  const budget = budgetConfig &&
    createBudgetLimiter(store, budgetConfig, { now, sleep: options.upstream.sleep ?? sleep });
  // Each upstream request signs the gateway's request id too. Isolates do not know what the
  // others sign, and two of them forwarding the same body in the same second would otherwise
  // send byte-identical requests, which the service refuses as replays. With the id signed, no
  // two requests can sign alike, so the client need not vary their bodies.
  const signedHeaders = options.upstream.signedHeaders ?? "content-type;host;x-gateway-request-id";
  const distinct = signedHeaders.toLowerCase().split(";").includes("x-gateway-request-id");
  const upstream = createClient({
    ...options.upstream,
    signedHeaders,
    now,
    rateLimit: budget,
  });
  const maxSkewSeconds = options.maxSkewSeconds ?? 300;
  // Every key has a quota unless it opts out: half the account budget (the vendor's when the
  // budget is off), so that no one key can spend what every other key shares.
  const shared = budgetConfig ?? VENDOR_BUDGET;
  const authenticate = createAuthenticator({
    keys: options.keys,
    actions: catalog,
    now,
    maxSkewSeconds,
    defaultRateLimit: {
      limit: Math.max(1, Math.floor(shared.limit / 2)),
      windowSeconds: shared.windowSeconds,
    },
  });
  // Loaded with the first signed request that gets this far.
  let replayGuard: Promise<typeof import("../replay_guard.ts")> | undefined;
  /**
   * Remembers a signed caller's signature, so that a replay is refused: called once the request
   * is known to be in scope and valid (a refusal that can never pass need not be remembered),
   * and before quota and budget (a refusal that can pass later must stay remembered, or its
   * replay would run what its sender believes failed).
   */
  const remember = async (caller: Caller): Promise<AuthFailure | undefined> => {
    if (!caller.signature) return undefined;
    const { rememberSignature } = await (replayGuard ??= import("../replay_guard.ts"));
    return await rememberSignature(store, caller.signature, maxSkewSeconds, {
      owner: caller.name,
    });
  };
  const audit = (entry: AuditEntry) => {
    if (options.auditLog !== false) logAuditEntry(entry);
    try {
      options.onAudit?.(entry);
    } catch {
      // An observer's failure must not fail the request.
    }
  };
  // Nothing of an action beyond its catalog entry is loaded before its first request: its
  // schemas (and valibot with them), the transport and signer, and the OpenAPI document cost
  // every new isolate, on Workers and on Deno Deploy alike.
  const loaded = new Map<string, Promise<LoadedAction>>();
  const load = (entry: CatalogEntry) => {
    let action = loaded.get(entry.name);
    if (!action) {
      action = Promise.all([
        entry.load(),
        import("../action.ts").then((module) => module.readActionBody),
        import("../transport.ts").then((module) => module.send),
      ]);
      loaded.set(entry.name, action);
      action.catch(() => loaded.delete(entry.name));
    }
    return action;
  };
  let openapi: Promise<string> | undefined;
  const document = () =>
    openapi ??= Promise.all([import("./openapi.ts"), import("../actions/table.ts")]).then((
      [{ buildOpenApi }, { actions }],
    ) =>
      JSON.stringify(
        buildOpenApi(actions, { title: "Wangsu Channels Management gateway", version: VERSION }),
      )
    );
  const maxBodyBytes = options.maxBodyBytes ?? 65_536;

  const auditing = options.auditLog !== false || !!options.onAudit;
  /** Responses made by `reply`, which carry the request ids already. */
  const replies = new WeakSet<Response>();
  const app = new Hono<Env>();
  /** A JSON response whose size the audit entry records. */
  const reply = (
    c: Context<Env>,
    status: number,
    text: string,
    headers: Record<string, string> = {},
  ) => {
    const entry = c.get("audit");
    // Sized only for an audit entry that somebody reads.
    const bytes = auditing ? encoder.encode(text) : undefined;
    if (bytes) entry.bytesOut = bytes.length;
    // Every header at once: each later `headers.set` is a call across the runtime's bindings.
    const response = new Response(bytes ?? text, {
      status,
      headers: {
        "x-gateway-request-id": entry.requestId,
        "x-cnc-request-id": entry.requestId,
        ...headers,
        "content-type": JSON_TYPE,
      },
    });
    replies.add(response);
    return response;
  };
  const error = (
    c: Context<Env>,
    status: number,
    message: string,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) => reply(c, status, JSON.stringify({ code: status, message, ...extra }), headers);

  const stateUnavailable = (c: Context<Env>) =>
    error(c, 503, STATE_UNAVAILABLE, {}, { "retry-after": "1" });
  /** A replayed request is the caller's fault (401); a memory that cannot answer is ours (503). */
  const replayRefusal = (c: Context<Env>, failure: AuthFailure) => {
    const entry = c.get("audit");
    entry.authFailure = failure.reason;
    if (failure.reason == "replay") {
      entry.replay = "replayed";
      return error(c, 401, failure.message, { reason: failure.reason });
    }
    entry.replay = "unavailable";
    return error(c, 503, failure.message, { reason: failure.reason }, { "retry-after": "1" });
  };

  app.use("*", async (c, next) => {
    const started = performance.now();
    const startedAt = now();
    const id = crypto.randomUUID();
    const entry: AuditEntry = {
      time: "", // filled in below, only when somebody reads it
      requestId: id,
      method: c.req.method,
      // The ingress path holds a secret: never in a log line.
      path: c.req.path.startsWith("/callbacks/") ? "/callbacks/[token]" : c.req.path,
      status: 0,
      durationMs: 0,
      bytesIn: Number(c.req.header("content-length")) || 0,
      bytesOut: 0,
    };
    c.set("audit", entry);
    await next();
    // `reply` sets both; responses made elsewhere (the page, the event stream) get them here.
    if (!replies.has(c.res)) {
      const { headers } = c.res;
      if (!headers.has("x-gateway-request-id")) headers.set("x-gateway-request-id", id);
      if (!headers.has("x-cnc-request-id")) headers.set("x-cnc-request-id", id);
    }
    if (!auditing) return;
    entry.time = new Date(startedAt).toISOString();
    entry.status = c.res.status;
    entry.durationMs = Math.round((performance.now() - started) * 100) / 100;
    audit(entry);
  });
  if (options.corsOrigins?.length) {
    const origins = [...options.corsOrigins];
    // Only the API routes speak CORS: never the page or its console routes, whose answers (a
    // demo token among them) another origin's script must not read.
    const apiPaths = new Set([
      ...catalog.map((action) => action.path),
      "/healthz",
      "/openapi.json",
      "/events",
    ]);
    // Loaded with the first request, only by gateways that serve browsers.
    const cors = loadedOnFirstUse(() =>
      import("hono/cors").then(({ cors }) =>
        cors({
          origin: origins.includes("*") ? "*" : origins,
          allowMethods: ["GET", "POST", "OPTIONS"],
          allowHeaders: [
            "authorization",
            "content-type",
            "accept",
            "x-cnc-auth-method",
            "x-cnc-accesskey",
            "x-cnc-timestamp",
          ],
          exposeHeaders: ["x-cnc-request-id", "x-gateway-request-id", "retry-after"],
          maxAge: 600,
        })
      )
    );
    app.use("*", (c, next) => apiPaths.has(c.req.path) ? cors(c, next) : next());
  }

  app.get("/healthz", (c) => reply(c, 200, JSON.stringify({ ok: true, version: VERSION })));
  app.get("/openapi.json", async (c) => reply(c, 200, await document()));
  if (options.page) {
    addConsoleRoutes(app, options.page, (c, status, message) => error(c, status, message));
  }

  const tooLarge = (c: Context<Env>) =>
    error(c, 413, `The body is larger than ${maxBodyBytes} bytes`);
  // Hono's counting limit, loaded with the first body sent without a declared length.
  const counted = loadedOnFirstUse(() =>
    import("hono/body-limit").then(({ bodyLimit }) =>
      bodyLimit({ maxSize: maxBodyBytes, onError: tooLarge })
    )
  );
  // A declared length is compared as Hono's limit compares it, without first opening the body as
  // a stream (which costs every request); a body sent without one is counted by Hono's limit.
  const limit: MiddlewareHandler<Env> = async (c, next) => {
    const declared = c.get("audit").bytesIn;
    if (!declared || c.req.header("transfer-encoding")) return counted(c, next);
    if (declared > maxBodyBytes) return tooLarge(c);
    await next();
  };
  for (const action of catalog) {
    app.post(action.path, limit, async (c) => {
      const entry = c.get("audit");
      entry.action = action.name;
      const caller = await authenticate(c.req.raw, () => c.req.text());
      if ("reason" in caller) {
        entry.authFailure = caller.audited ?? caller.reason;
        return error(c, 401, caller.message, { reason: caller.reason });
      }
      entry.key = caller.name;
      if (!caller.allowed.has(action.name)) {
        return error(c, 403, `Key ${caller.name} may not call ${action.name}`);
      }
      const text = await c.req.text();
      if (auditing && !c.req.header("content-length")) entry.bytesIn = encoder.encode(text).length;
      const [definition, readActionBody, send] = await load(action);
      const body = readActionBody(definition, text);
      if ("message" in body) {
        return error(c, 400, body.message, body.issues.length ? { issues: body.issues } : {});
      }
      const replayed = await remember(caller);
      if (replayed) return replayRefusal(c, replayed);
      if (caller.signature) entry.replay = "fresh";
      if (caller.rateLimit) {
        const { limit, windowSeconds } = caller.rateLimit;
        const reservation = await store.reserve(
          `key:${caller.name}`,
          limit,
          windowSeconds * 1000,
        ).catch(() => undefined);
        if (!reservation) {
          entry.quota = "unavailable";
          return stateUnavailable(c);
        }
        entry.quota = reservation.ok ? "ok" : "exceeded";
        if (!reservation.ok) {
          const wait = seconds(reservation.retryAfterMs);
          return error(
            c,
            429,
            `Key ${caller.name} is over its quota of ${limit} requests per ${windowSeconds} s; ` +
              `retry in ${wait} s`,
            {},
            { "retry-after": wait },
          );
        }
      }
      // The request object keys what the budget reports about this call. (No signal: the
      // request's is aborted by Deno once the response is sent, and one of our own would cost
      // an `AbortSignal.any` per attempt.)
      const request = {
        path: action.path,
        body: body.input,
        headers: { "x-gateway-request-id": entry.requestId },
        distinct,
      };
      const report = { waitedMs: 0 };
      budget?.reports.set(request, report);
      try {
        const { text, requestId } = await send(
          upstream,
          request,
          action.name,
          // The same policy as any client: only what is safe to repeat is ever sent twice.
          action.readOnly || (definition.repeatable?.(body.input) ?? false),
        );
        entry.upstreamRequestId = requestId;
        // The service's answer as it came: checked to be a successful envelope, not re-encoded.
        return reply(c, 200, text, requestId ? { "x-cnc-request-id": requestId } : {});
      } catch (failure) {
        if (failure instanceof BudgetExhaustedError) {
          entry.budget = "exhausted";
          const wait = seconds(failure.retryAfterMs);
          return error(
            c,
            429,
            `The account's upstream budget of ${budgetConfig!.limit} requests per ` +
              `${budgetConfig!.windowSeconds} s is used up; retry in ${wait} s`,
            {},
            { "retry-after": wait },
          );
        }
        if (failure instanceof StateUnavailableError) {
          entry.budget = "unavailable";
          return stateUnavailable(c);
        }
        const requestId = failure instanceof WangsuApiError ? failure.requestId : undefined;
        entry.upstreamRequestId = requestId;
        if (failure instanceof WangsuApiError && UPSTREAM_AUTH_STATUSES.has(failure.status)) {
          // The service refused the gateway's own credentials: not the caller's fault.
          return error(c, 502, "The upstream service refused the gateway's credentials", {
            upstreamStatus: failure.status,
          });
        }
        if (failure instanceof WangsuApiError && failure.code != "INVALID_RESPONSE") {
          // The service's own answer goes back as it came: status, body, request id.
          const text = typeof failure.body == "string"
            ? failure.body
            : JSON.stringify(failure.body);
          const headers: Record<string, string> = failure.requestId
            ? { "x-cnc-request-id": failure.requestId }
            : {};
          // Every 429 says when to come back: the service's own figure, or a second.
          if (failure.status == 429) {
            headers["retry-after"] = String(Math.max(1, Math.ceil(failure.retryAfterSeconds ?? 1)));
          }
          return reply(c, failure.status, text, headers);
        }
        if (failure instanceof WangsuTimeoutError) {
          return error(
            c,
            504,
            `The upstream service did not answer within ${failure.timeoutMs} ms`,
          );
        }
        return error(
          c,
          502,
          "The upstream service could not be reached or answered garbage",
          {},
          requestId ? { "x-cnc-request-id": requestId } : {},
        );
      } finally {
        if (budget) {
          entry.budget ??= "ok";
          entry.budgetWaitMs = Math.round(report.waitedMs);
        }
      }
    });
  }
  if (options.callbacks) {
    addEventRoutes(app, options.callbacks, {
      error,
      // A signed subscription is remembered as soon as it authenticates: its replay could only
      // open another stream.
      authenticate: async (request) => {
        const caller = await authenticate(request);
        if ("reason" in caller) return caller;
        return await remember(caller) ?? caller;
      },
      actions: catalog,
      now,
    });
  }
  // Nothing of an unexpected error reaches the caller or the log but its name: its message may
  // quote what the request carried (a token, a body). Hono's default prints the error whole.
  app.onError((failure, c) => {
    const name = failure instanceof Error ? failure.name : typeof failure;
    console.error(`gateway: internal error (${name}) in request ${c.get("audit")?.requestId}`);
    return error(c, 500, "Internal error; the request id identifies it in the gateway's log");
  });
  const known = new Set(catalog.map((action) => action.path));
  app.all(
    "*",
    (c) =>
      known.has(c.req.path)
        ? error(c, 405, `${c.req.path} takes POST`, {}, { allow: "POST" })
        : error(c, 404, `Nothing at ${c.req.path}`),
  );

  return {
    fetch: (request, info) =>
      Promise.resolve(app.fetch(request, {
        // Read only by the callback allow-list.
        get remoteAddress() {
          return info?.remoteAddr?.hostname;
        },
      })),
  };
}
