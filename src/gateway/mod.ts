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
import type { ClientOptions } from "../client.ts";
import { clientSettings } from "../client_settings.ts";
import { createMemoryStore, type StateStore } from "../server/state_store.ts";
import { countCallers, createAuthenticator, type GatewayKeyConfig } from "./keys.ts";
import { addConsoleRoutes, type ConsolePageOptions } from "./console.ts";
import { type AuditEntry, logAuditEntry } from "./audit.ts";
import {
  addEventRoutes,
  type CallbackIngressOptions,
  type ConnectionInfo,
  type GatewayEnv,
} from "./events.ts";
import { type AccountBudget, createBudgetLimiter, VENDOR_BUDGET } from "./budget.ts";
import { errorText, GatewayError, internalError } from "./gateway_error.ts";
import { WangsuValidationError } from "../errors.ts";
import { checkCorsOrigins, checkUpstream } from "./options.ts";
import { createSignatureMemory } from "./steps/replay.ts";
import type { ActionRunnerOptions, RunAction } from "./steps/run_action.ts";
import { type GatewayUrlRules, parseUrlRules } from "./url_rules.ts";
import type { IssueUrl } from "./url_routes.ts";
import type { McpEndpoint, McpGatewayParts, McpRoute } from "./mcp/endpoint.ts";
import type { WebhookAccepts, WebhookDelivery } from "./webhooks/delivery.ts";
import { createMemoryHub, type EventHub, historyOptionsOf } from "./event_hub.ts";
import type { CallbackEvent } from "../callbacks/parse.ts";
import type { Reconciler, ReconcileReport, ReconcilerOptions } from "./reconciler.ts";
import { reconcilerSettings } from "./reconciler_settings.ts";

export type { GatewayKeyConfig, KeyRateLimit, UrlRight } from "./keys.ts";
export type { GatewayUrlRules } from "./url_rules.ts";
export type {
  CipherCombination,
  EffectiveTimeMode,
  InferredSigningOptions,
  LiveUrlRule,
  TimeFormat,
  TimestampAntiLeechRule,
} from "../url_signing/rule.ts";
export type { AuditEntry } from "./audit.ts";
export type {
  McpActionCall,
  McpAnswer,
  McpAuthFailure,
  McpCaller,
  McpEndpoint,
  McpGatewayParts,
  McpRoute,
} from "./mcp/endpoint.ts";
export type { CallbackIngressOptions, ConnectionInfo } from "./events.ts";
export type { ConsolePageOptions } from "./console.ts";
export {
  createMemoryHub,
  type EventHub,
  type HistoryEntry,
  type HistoryRead,
  type HubEvent,
  type HubOptions,
  type HubSubscription,
  type OrderTimers,
} from "./event_hub.ts";
export type { PushSession } from "../callbacks/sessions.ts";
export type { CallbackEvent } from "../callbacks/parse.ts";
export type { AccountBudget } from "./budget.ts";
// The webhooks' and the reconciler's functions are in their own entries
// (`@wangsu/sdk/gateway/webhooks`, `@wangsu/sdk/gateway/reconciler`): a gateway loads them only
// when it is given them. Their types are here too (types cost nothing at start).
export type {
  InProcessQueueOptions,
  InProcessWebhookQueue,
  MemoryWebhookLedgerOptions,
  WebhookAccepts,
  WebhookAttemptRecord,
  WebhookDeadLetter,
  WebhookDelivery,
  WebhookDeliveryOptions,
  WebhookEndpoint,
  WebhookJob,
  WebhookLedger,
  WebhookQueue,
} from "./webhooks/mod.ts";
export type { ChannelLiveState, ChannelStateCorrectedEvent } from "../callbacks/parse.ts";
export type {
  ChannelBelief,
  ChannelKv,
  ChannelMemory,
  ReconcileReport,
  ReconcilerOptions,
} from "./reconciler.ts";
export {
  createMemoryStore,
  type MemoryStoreOptions,
  type Reservation,
  type StateStore,
} from "../server/state_store.ts";

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
   * `createDurableObjectStore` (`@wangsu/sdk/adapters/cloudflare`), on Deno Deploy
   * `createDenoKvStore` (`@wangsu/sdk/adapters/deno`).
   */
  store?: StateStore;
  /**
   * The account's upstream budget, enforced before anything is forwarded (default the vendor's
   * 300 requests per 300 s); `false` for none.
   */
  accountBudget?: AccountBudget | false;
  /**
   * Most upstream pages one list request of an `own` key reads to fill its tenant's page (1 to
   * 50, default 5), each one charged to the key's quota. A page the bound cuts short is answered
   * with what was found and the header `x-gateway-partial-page: 1`; the same request again
   * continues the scan.
   */
  maxListPages?: number;
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
   * Outgoing webhooks (`createWebhookDelivery`, `src/gateway/webhooks/`): each callback's event
   * is enqueued for the configured endpoints, and keys with the admin right list and redeliver
   * dead letters at `GET /webhooks/dead-letters` and `POST /webhooks/dead-letters/:key/redeliver`.
   */
  webhooks?: WebhookDelivery;
  /**
   * The reconciler (needs `callbacks`): `gateway.reconcile()` polls the live state of the channels
   * seen lately within a share of the account budget and publishes a `channel.state_corrected`
   * event where a callback was lost. Run it on the platform's scheduler. Off when omitted.
   */
  reconciler?: ReconcilerOptions | false;
  /**
   * The page at `/`: the API reference with "try it" (and a live console in demo mode). Off when
   * omitted, so a production gateway shows nothing at `/` unless asked to.
   */
  page?: ConsolePageOptions;
  /**
   * The timestamp anti-leech rules of push and play domains: with them, `POST /urls/push` and
   * `POST /urls/play` sign URLs for keys with the `urls` right, offline (no upstream request,
   * no budget spent). Checked at creation. Off when omitted.
   */
  urlRules?: GatewayUrlRules;
  /**
   * The MCP endpoint for AI agents at `/mcp`, as its module, imported on the first request there:
   * `() => import("@wangsu/sdk/gateway/mcp")`. Off when omitted: `/mcp` answers 404, and the
   * gateway's bundle holds no MCP SDK (the gateway never names the module itself).
   */
  mcp?: () => Promise<McpEndpoint>;
}

/** A gateway: a fetch handler for Workers, Deno Deploy, `Deno.serve`, Bun or Node adapters. */
export interface Gateway {
  /**
   * Answers one request. `info.remoteAddr` (as `Deno.serve` passes it) gives the peer's address
   * to the callback allow-list; the Workers entry passes `CF-Connecting-IP`.
   */
  fetch(request: Request, info?: ConnectionInfo): Promise<Response>;
  /**
   * Runs the reconciler once (present when `reconciler` is configured): the entries call it on
   * the platform's schedule. Never throws; the report says what it did.
   */
  reconcile?(): Promise<ReconcileReport>;
}

const VERSION = "0.1.0";
const JSON_TYPE = "application/json; charset=utf-8";
const encoder = new TextEncoder();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Env = GatewayEnv;

/** A middleware whose module is imported, and the middleware made, on its first request. */
const loadedOnFirstUse = (
  make: () => Promise<MiddlewareHandler<Env>>,
): MiddlewareHandler<Env> => {
  let loaded: Promise<MiddlewareHandler<Env>> | undefined;
  return async (c, next) => (await (loaded ??= make()))(c, next);
};

/** How the gateway's routes answer: JSON with the request ids, its size audited. */
interface Replies {
  /** A JSON response whose size the audit entry records. */
  reply(c: Context<Env>, status: number, text: string, headers?: Record<string, string>): Response;
  /** The one rendering of a refusal: its JSON body and its headers. */
  fail(c: Context<Env>, error: GatewayError): Response;
  /** A refusal of a route that does not throw its own (the page's, the event routes'). */
  error(
    c: Context<Env>,
    status: number,
    message: string,
    details?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Response;
  /** Whether a response was made by `reply` (and so carries the request ids already). */
  made(response: Response): boolean;
}

/** Creates the gateway's replies; `auditing` says whether anybody reads the sizes. */
const createReplies = (auditing: boolean): Replies => {
  const replies = new WeakSet<Response>();
  const reply: Replies["reply"] = (c, status, text, headers = {}) => {
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
  const fail: Replies["fail"] = (c, error) => {
    c.get("audit").refusal = error.reason;
    return reply(c, error.status, errorText(error), error.headers);
  };
  return {
    reply,
    fail,
    error: (c, status, message, details = {}, headers = {}) =>
      fail(c, new GatewayError(status, `status-${status}`, message, { details, headers })),
    made: (response) => replies.has(response),
  };
};

/**
 * The audit trail: every request gets its entry (and its request ids) before any route runs,
 * and the entry goes to the log and to `onAudit` once the response is made (when `auditing`:
 * when either is on).
 */
const auditTrail = (
  options: Pick<GatewayOptions, "auditLog" | "onAudit">,
  auditing: boolean,
  now: () => number,
  made: Replies["made"],
): MiddlewareHandler<Env> => {
  const audit = (entry: AuditEntry) => {
    if (options.auditLog !== false) logAuditEntry(entry);
    try {
      options.onAudit?.(entry);
    } catch {
      // An observer's failure must not fail the request.
    }
  };
  return async (c, next) => {
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
    if (!made(c.res)) {
      const { headers } = c.res;
      if (!headers.has("x-gateway-request-id")) headers.set("x-gateway-request-id", id);
      if (!headers.has("x-cnc-request-id")) headers.set("x-cnc-request-id", id);
    }
    if (!auditing) return;
    entry.time = new Date(startedAt).toISOString();
    entry.status = c.res.status;
    entry.durationMs = Math.round((performance.now() - started) * 100) / 100;
    audit(entry);
  };
};

/**
 * CORS on the API routes only: never the page or its console routes, whose answers (a demo token
 * among them) another origin's script must not read. Loaded with the first request, only by
 * gateways that serve browsers.
 */
const corsOnApiRoutes = (origins: readonly string[]): MiddlewareHandler<Env> => {
  const apiPaths = new Set([
    ...catalog.map((action) => action.path),
    "/healthz",
    "/openapi.json",
    "/urls/push",
    "/urls/play",
    "/events",
    "/mcp",
  ]);
  const cors = loadedOnFirstUse(() =>
    import("hono/cors").then(({ cors }) =>
      cors({
        origin: origins.includes("*") ? "*" : [...origins],
        allowMethods: ["GET", "POST", "OPTIONS"],
        allowHeaders: [
          "authorization",
          "content-type",
          "accept",
          "x-cnc-auth-method",
          "x-cnc-accesskey",
          "x-cnc-timestamp",
          "mcp-protocol-version",
        ],
        exposeHeaders: [
          "x-cnc-request-id",
          "x-gateway-request-id",
          "retry-after",
          "x-gateway-partial-page",
        ],
        maxAge: 600,
      })
    )
  );
  return (c, next) => apiPaths.has(c.req.path) ? cors(c, next) : next();
};

/**
 * The body limit of the action routes. A declared length is compared as Hono's limit compares it,
 * without first opening the body as a stream (which costs every request); a body sent without
 * one is counted by Hono's limit, loaded with the first such body.
 */
const bodyLimit = (maxBodyBytes: number): MiddlewareHandler<Env> => {
  const tooLarge = (): never => {
    throw new GatewayError(413, "too-large", `The body is larger than ${maxBodyBytes} bytes`);
  };
  const counted = loadedOnFirstUse(() =>
    import("hono/body-limit").then(({ bodyLimit }) =>
      bodyLimit({ maxSize: maxBodyBytes, onError: tooLarge })
    )
  );
  return async (c, next) => {
    const declared = c.get("audit").bytesIn;
    if (!declared || c.req.header("transfer-encoding")) return counted(c, next);
    if (declared > maxBodyBytes) tooLarge();
    await next();
  };
};

/**
 * Every action at its path: the body limit (`limit`), then the action's steps
 * ({@link RunAction}); the service's answer goes back as it came, and a refusal is thrown to the
 * app's error handler.
 */
const addActionRoutes = (
  app: Hono<Env>,
  runAction: RunAction,
  reply: Replies["reply"],
  limit: MiddlewareHandler<Env>,
) => {
  for (const action of catalog) {
    app.post(action.path, limit, async (c) => {
      const answer = await runAction(c.req.raw, { action, audit: c.get("audit") });
      return reply(c, answer.status, answer.text, answer.headers);
    });
  }
};

/**
 * The end of every route: a refusal ({@link GatewayError}) rendered as the caller's answer, an
 * unexpected error as a 500 that quotes nothing, and 404 or 405 for paths no route serves.
 */
const answerRefusals = (app: Hono<Env>, fail: Replies["fail"]) => {
  app.onError((failure, c) => {
    if (failure instanceof GatewayError) {
      Object.assign(c.get("audit"), failure.audit);
      return fail(c, failure);
    }
    // Nothing of an unexpected error reaches the caller or the log but its name: its message may
    // quote what the request carried (a token, a body). Hono's default prints the error whole.
    return fail(c, internalError(failure, c.get("audit")?.requestId));
  });
  const known = new Set(catalog.map((action) => action.path));
  app.all("*", (c) => {
    throw known.has(c.req.path)
      ? new GatewayError(405, "method-not-allowed", `${c.req.path} takes POST`, {
        headers: { allow: "POST" },
      })
      : new GatewayError(404, "not-found", `Nothing at ${c.req.path}`);
  });
};

/**
 * The steps of an action request, made from the options: the authenticator, the shared state,
 * the account budget (`budgetConfig`, none when off) and the upstream client they use; `auditing`
 * says whether anybody reads the audit entries (and so their sizes). The steps' modules are
 * imported with the first action request (with the action's own), not by every isolate at
 * start-up.
 */
const actionSteps = (
  options: GatewayOptions,
  now: () => number,
  store: StateStore,
  budgetConfig: AccountBudget | undefined,
  auditing: boolean,
) => {
  const budget = budgetConfig &&
    createBudgetLimiter(store, budgetConfig, { now, sleep: options.upstream.sleep ?? sleep });
  // Each upstream request signs the gateway's request id too. Isolates do not know what the
  // others sign, and two of them forwarding the same body in the same second would otherwise
  // send byte-identical requests, which the service refuses as replays. With the id signed, no
  // two requests can sign alike, so the client need not vary their bodies.
  const signedHeaders = options.upstream.signedHeaders ?? "content-type;host;x-gateway-request-id";
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
  const remember = createSignatureMemory(store, maxSkewSeconds);
  // The upstream options are checked now; the client itself is made with the first request.
  const upstream = { ...options.upstream, signedHeaders, now, rateLimit: budget };
  clientSettings(upstream);
  if (upstream.headers) new Headers(upstream.headers);
  const steps: Omit<ActionRunnerOptions, "upstream"> = {
    authenticate,
    remember,
    store,
    budget,
    distinct: signedHeaders.toLowerCase().split(";").includes("x-gateway-request-id"),
    measureBody: auditing,
    now,
    maxListPages: options.maxListPages,
  };
  let runner: Promise<RunAction> | undefined;
  const runAction: RunAction = async (request, run) =>
    (await (runner ??= Promise.all([import("./steps/run_action.ts"), import("../client.ts")]).then(
      ([module, { createClient }]) =>
        module.createActionRunner({ ...steps, upstream: createClient(upstream) }),
    )))(request, run);
  return { authenticate, remember, runAction };
};

/**
 * Creates a gateway.
 *
 * @param options Upstream account, caller keys, shared state, budget, CORS origins and limits.
 * @returns The gateway.
 * @throws {WangsuValidationError} When the configuration is invalid (naming the key and field).
 */
export function createGateway(options: GatewayOptions): Gateway {
  checkUpstream(options.upstream.endpoint);
  checkCorsOrigins(options.corsOrigins ?? []);
  const pages = options.maxListPages;
  if (pages !== undefined && !(Number.isInteger(pages) && pages >= 1 && pages <= 50)) {
    throw new WangsuValidationError([{
      path: "maxListPages",
      rule: "range",
      message: "maxListPages: must be a whole number from 1 to 50",
    }]);
  }
  const now = options.now ?? Date.now;
  // The default memory's share per caller: an equal part for each caller name (keys that share
  // a name are one caller), so that no caller can fill it for the others.
  const store = options.store ?? createMemoryStore({ now, owners: countCallers(options.keys) });
  // Tenancy of the outgoing webhooks: an endpoint's `tenant` gets only its tenant's events.
  const webhooks = options.webhooks?.withAccepts?.(webhookTenancyOf(store, now)) ??
    options.webhooks;
  // Tenancy: a key is `own` unless it says `all`, and `own` keys need a store keeping owners.
  if (
    !(store.owners && store.setOwners && store.ownedBy) &&
    options.keys.some((key) => (key as { objects?: string }).objects != "all")
  ) {
    throw new WangsuValidationError([{
      path: "store",
      rule: "ownership",
      message: 'store: keeps no ownership, which keys with objects "own" (the default) need; ' +
        'use a store of this package or give every key objects: "all"',
    }]);
  }
  const urlRules = options.urlRules && parseUrlRules(options.urlRules);
  // Read once for every route: the account budget (none when off), whether anybody reads the
  // audit entries, and the body limit, one middleware for every route that takes a body (it
  // keeps no state between requests).
  const accountBudget = options.accountBudget === false
    ? undefined
    : options.accountBudget ?? VENDOR_BUDGET;
  const auditing = options.auditLog !== false || !!options.onAudit;
  const limit = bodyLimit(options.maxBodyBytes ?? 65_536);
  const { authenticate, remember, runAction } = actionSteps(
    options,
    now,
    store,
    accountBudget,
    auditing,
  );
  /** Authenticates a request of a route of its own; a signed one is remembered at once. */
  const authenticateRemembered = async (request: Request, readBody?: () => Promise<string>) => {
    const caller = await authenticate(request, readBody);
    return "reason" in caller ? caller : await remember(caller) ?? caller;
  };
  const replies = createReplies(auditing);
  const app = new Hono<Env>();
  app.use("*", auditTrail(options, auditing, now, replies.made));
  if (options.corsOrigins?.length) app.use("*", corsOnApiRoutes(options.corsOrigins));
  app.get("/healthz", (c) => replies.reply(c, 200, JSON.stringify({ ok: true, version: VERSION })));
  app.get("/openapi.json", async (c) => replies.reply(c, 200, await openApiDocument()));
  if (options.page) {
    addConsoleRoutes(app, options.page, (c, status, message) => replies.error(c, status, message));
  }
  addActionRoutes(app, runAction, replies.reply, limit);
  // Tenancy's operator route (`admin.ts`), loaded with its first request.
  let admin: Promise<typeof import("./admin.ts")> | undefined;
  app.on(["GET", "POST", "DELETE"], "/admin/ownership", async (c) => {
    const { answerOwnershipAdmin } = await (admin ??= import("./admin.ts"));
    const text = await answerOwnershipAdmin(c.req.raw, c.get("audit"), {
      authenticate: authenticateRemembered,
      store,
      now,
    });
    return replies.reply(c, 200, text);
  });
  if (urlRules) {
    // Signed push and play URLs (src/gateway/url_routes.ts), loaded with the first URL request.
    let issuer: Promise<IssueUrl> | undefined;
    app.post("/urls/:kind{push|play}", limit, async (c) => {
      const issue = await (issuer ??= import("./url_routes.ts").then((module) =>
        module.createUrlIssuer({ rules: urlRules, authenticate, remember, now, store })
      ));
      const kind = c.req.param("kind") as "push" | "play";
      return replies.reply(c, 200, await issue(c.req.raw, { kind, audit: c.get("audit") }));
    });
  }
  // MCP for AI agents, when the deployment passes its module (`options.mcp`).
  app.all(
    "/mcp",
    limit,
    mcpRoute(options.mcp, {
      authenticate: (request) => authenticate(request),
      runAction: (request, { action, input, audit }) => {
        const entry = catalog.find((known) => known.name == action);
        if (!entry) throw new GatewayError(404, "unknown-action", "No such action");
        return runAction(request, { action: entry, audit, input, via: "mcp" });
      },
      version: VERSION,
      accountBudget,
    }),
  );
  // The callbacks' hub, built once: the configured one, or this isolate's memory.
  const callbackHub = options.callbacks &&
    (options.callbacks.hub ?? createMemoryHub({ now, ...historyOptionsOf(options.callbacks) }));
  const reconciler = options.reconciler
    ? reconcilerOf(
      { ...options, webhooks },
      options.reconciler,
      callbackHub,
      store,
      now,
      accountBudget,
    )
    : undefined;
  let eventSight: Promise<import("./steps/ownership_events.ts").EventSight> | undefined;
  if (options.callbacks && callbackHub) {
    addEventRoutes(app, { webhooks, ...options.callbacks }, {
      // With the reconciler on, the hub whose published events it notes.
      hub: reconciler?.hub ?? callbackHub,
      error: replies.error,
      // A signed subscription is remembered as soon as it authenticates: its replay could only
      // open another stream.
      authenticate: authenticateRemembered,
      actions: catalog,
      now,
      // Tenancy: an `own` key's stream shows only its tenant's objects (loaded with the first).
      sees: async (caller, signal) => {
        if (caller.objects == "all") return undefined;
        const sight = await (eventSight ??= Promise.all([
          import("./steps/ownership.ts"),
          import("./steps/ownership_events.ts"),
        ]).then(([ledger, events]) =>
          events.createEventOwnership(ledger.ownershipLedger(store, { now }), { now })
        ));
        return await sight(caller, signal);
      },
    });
  }
  if (webhooks) {
    const delivery = webhooks;
    // The dead-letter routes' module is loaded with their first request.
    let handlers: Promise<import("./webhooks/routes.ts").WebhookRouteHandlers> | undefined;
    const load = () =>
      handlers ??= import("./webhooks/routes.ts").then((module) =>
        module.createWebhookRouteHandlers(delivery, { authenticate: authenticateRemembered })
      );
    app.get("/webhooks/dead-letters", async (c) => (await load()).list(c));
    app.post("/webhooks/dead-letters/:key/redeliver", async (c) => (await load()).redeliver(c));
  }
  answerRefusals(app, replies.fail);

  return {
    ...(reconciler && { reconcile: reconciler.reconcile }),
    fetch: (request, info) =>
      Promise.resolve(app.fetch(request, {
        // Read only by the callback allow-list.
        get remoteAddress() {
          return info?.remoteAddr?.hostname;
        },
      })),
  };
}

/**
 * The `/mcp` route: the MCP endpoint's module is imported and its route made on the first request
 * (again on the next one if the import failed); without an endpoint, 404 saying how to enable it.
 */
const mcpRoute = (
  mcp: GatewayOptions["mcp"],
  parts: McpGatewayParts,
): MiddlewareHandler<Env> => {
  if (!mcp) {
    return () => {
      throw new GatewayError(
        404,
        "mcp-not-enabled",
        "MCP is not enabled on this gateway: its deployment opts in with the option " +
          'mcp: () => import("@wangsu/sdk/gateway/mcp")',
      );
    };
  }
  let route: Promise<McpRoute> | undefined;
  return async (c) =>
    (await (route ??= mcp().then(
      ({ createMcpRoute }) => createMcpRoute(parts),
      (failure) => {
        route = undefined;
        throw failure;
      },
    )))(c.req.raw, c.get("audit"));
};

/**
 * The reconciler of a gateway whose callbacks are on: it notes the events the ingress's hub
 * publishes (`inner`: the configured hub, or the gateway's memory hub; none without callbacks)
 * and polls with the gateway's upstream account, from the same budget and store. Its options are
 * checked now; its module is loaded with the first event published or the first run.
 */
const reconcilerOf = (
  options: GatewayOptions,
  reconciler: ReconcilerOptions,
  inner: EventHub | undefined,
  store: StateStore,
  now: () => number,
  budget: AccountBudget | undefined,
) => {
  if (!inner) {
    throw new WangsuValidationError([{
      path: "reconciler",
      rule: "requires",
      message: "reconciler: needs callbacks (it corrects what their events said)",
    }]);
  }
  reconcilerSettings(reconciler);
  const webhooks = options.webhooks;
  let made: Promise<Reconciler> | undefined;
  const load = () =>
    made ??= import("./reconciler.ts").then(({ createReconciler }) =>
      createReconciler({
        ...reconciler,
        enqueueWebhook: reconciler.enqueueWebhook ??
          (webhooks && ((event) => webhooks.enqueue(event).then(() => {}))),
      }, {
        upstream: options.upstream,
        store,
        budget,
        hub: inner,
        now,
      }), (failure) => {
      made = undefined; // the next event or run tries again
      throw failure;
    });
  // The ingress's hub, its events noted by the reconciler once loaded.
  const hub: EventHub = Object.assign(Object.create(inner), {
    publish: async (event: CallbackEvent) => (await load()).hub.publish(event),
  });
  return { hub, reconcile: async () => (await load()).reconcile() };
};

/**
 * The webhooks' tenancy check over the gateway's ownership records, its modules loaded with the
 * first event for an endpoint that names a tenant.
 */
const webhookTenancyOf = (store: StateStore, now: () => number): WebhookAccepts => {
  let check: Promise<WebhookAccepts> | undefined;
  const load = () =>
    check ??= Promise.all([
      import("./steps/ownership.ts"),
      import("./steps/ownership_events.ts"),
    ]).then(([ledger, events]) => events.webhookTenancy(ledger.ownershipLedger(store, { now })));
  return async (endpoint, event) =>
    endpoint.tenant === undefined || await (await load())(endpoint, event);
};

let openapi: Promise<string> | undefined;
/**
 * The OpenAPI document, built on its first request: it needs every action's schemas (and
 * valibot with them), which no gateway loads to start.
 */
const openApiDocument = () =>
  openapi ??= Promise.all([import("./openapi.ts"), import("../actions/table.ts")]).then(
    ([{ buildOpenApi }, { actions }]) =>
      JSON.stringify(
        buildOpenApi(actions, { title: "Wangsu Channels Management gateway", version: VERSION }),
      ),
    (failure) => {
      openapi = undefined; // the next request tries again
      throw failure;
    },
  );
