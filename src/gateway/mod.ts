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
 *   keys: [{ name: "dashboard", token: "a-long-random-bearer-token", actions: ["read"] }],
 *   corsOrigins: ["https://dashboard.example.com"],
 * });
 * Deno.serve(gateway.fetch);
 * ```
 *
 * @module
 */

import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { actions } from "../actions/table.ts";
import { readActionBody } from "../action.ts";
import { type ClientOptions, createClient } from "../client.ts";
import { send } from "../transport.ts";
import { WangsuApiError, WangsuTimeoutError } from "../errors.ts";
import { createAuthenticator, type GatewayKeyConfig } from "./keys.ts";
import { buildOpenApi } from "./openapi.ts";

export type { GatewayKeyConfig } from "./keys.ts";

/** Options of {@link createGateway}. */
export interface GatewayOptions {
  /**
   * The Wangsu account the gateway calls with (its secret stays here), and any client option for
   * the upstream calls: `endpoint`, `fetch` (a simulator's in tests and demos), `timeoutMs`
   * (exceeded means 504), `retries`, `rateLimit` (the service's limit is per account), ...
   */
  upstream: ClientOptions & { accessKey: string; secretKey: string };
  /** Caller keys and what each may call. */
  keys: readonly GatewayKeyConfig[];
  /** Browser origins allowed by CORS (none by default; `*` for any). */
  corsOrigins?: readonly string[];
  /** Largest accepted request body in bytes (default 65 536). */
  maxBodyBytes?: number;
  /** Allowed skew of callers' signature timestamps, seconds (default 300). */
  maxSkewSeconds?: number;
  /** Clock, Unix ms (default `Date.now`). */
  now?: () => number;
}

/** A gateway: a fetch handler for Workers, Deno Deploy, `Deno.serve`, Bun or Node adapters. */
export interface Gateway {
  /** Answers one request. */
  fetch(request: Request): Promise<Response>;
  /** The OpenAPI document it serves at `/openapi.json`. */
  readonly openapi: Record<string, unknown>;
}

const VERSION = "0.1.0";
const UPSTREAM_AUTH_STATUSES = new Set([401, 403, 462]);
const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

/**
 * Creates a gateway.
 *
 * @param options Upstream account, caller keys, CORS origins and limits.
 * @returns The gateway.
 * @throws {WangsuValidationError} When the configuration is invalid (naming the key and field).
 */
export function createGateway(options: GatewayOptions): Gateway {
  const now = options.now ?? Date.now;
  const upstream = createClient({ ...options.upstream, now });
  const authenticate = createAuthenticator({
    keys: options.keys,
    actions,
    now,
    maxSkewSeconds: options.maxSkewSeconds ?? 300,
  });
  // Built on first use: only GET /openapi.json needs it, and Workers pay every start-up.
  let openapi: Record<string, unknown> | undefined;
  const document = () =>
    openapi ??= buildOpenApi(actions, {
      title: "Wangsu Channels Management gateway",
      version: VERSION,
    });
  const maxBodyBytes = options.maxBodyBytes ?? 65_536;

  const app = new Hono();
  const error = (status: number, message: string, extra: Record<string, unknown> = {}) =>
    new Response(JSON.stringify({ code: status, message, ...extra }), {
      status,
      headers: JSON_HEADERS,
    });

  app.use("*", async (c, next) => {
    const id = crypto.randomUUID();
    await next();
    c.res.headers.set("x-gateway-request-id", id);
    if (!c.res.headers.has("x-cnc-request-id")) c.res.headers.set("x-cnc-request-id", id);
  });
  if (options.corsOrigins?.length) {
    const origins = [...options.corsOrigins];
    app.use(
      "*",
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
      }),
    );
  }

  app.get("/healthz", (c) => c.json({ ok: true, version: VERSION }));
  app.get("/openapi.json", (c) => c.json(document()));

  const limit = bodyLimit({
    maxSize: maxBodyBytes,
    onError: () => error(413, `The body is larger than ${maxBodyBytes} bytes`),
  });
  for (const action of actions) {
    app.post(action.path, limit, async (c) => {
      const caller = await authenticate(c.req.raw);
      if ("reason" in caller) return error(401, caller.message, { reason: caller.reason });
      if (!caller.allowed.has(action.name)) {
        return error(403, `Key ${caller.name} may not call ${action.name}`);
      }
      const body = readActionBody(action, await c.req.text());
      if ("message" in body) {
        return error(400, body.message, body.issues.length ? { issues: body.issues } : {});
      }
      try {
        const { envelope, requestId } = await send(
          upstream,
          { path: action.path, body: body.input },
          action.name,
          // The same policy as any client: only what is safe to repeat is ever sent twice.
          action.readOnly || (action.repeatable?.(body.input) ?? false),
        );
        return new Response(JSON.stringify(envelope), {
          headers: { ...JSON_HEADERS, ...(requestId ? { "x-cnc-request-id": requestId } : {}) },
        });
      } catch (failure) {
        if (failure instanceof WangsuApiError && UPSTREAM_AUTH_STATUSES.has(failure.status)) {
          // The service refused the gateway's own credentials: not the caller's fault.
          return error(502, "The upstream service refused the gateway's credentials", {
            upstreamStatus: failure.status,
          });
        }
        if (failure instanceof WangsuApiError && failure.code != "INVALID_RESPONSE") {
          // The service's own answer goes back as it came: status, body, request id.
          const text = typeof failure.body == "string"
            ? failure.body
            : JSON.stringify(failure.body);
          return new Response(text, {
            status: failure.status,
            headers: {
              ...JSON_HEADERS,
              ...(failure.requestId ? { "x-cnc-request-id": failure.requestId } : {}),
            },
          });
        }
        if (failure instanceof WangsuTimeoutError) {
          return error(504, `The upstream service did not answer within ${failure.timeoutMs} ms`);
        }
        const requestId = failure instanceof WangsuApiError ? failure.requestId : undefined;
        const response = error(
          502,
          "The upstream service could not be reached or answered garbage",
        );
        if (requestId) response.headers.set("x-cnc-request-id", requestId);
        return response;
      }
    });
  }
  const known = new Set(actions.map((action) => action.path));
  app.all(
    "*",
    (c) =>
      known.has(c.req.path)
        ? new Response(JSON.stringify({ code: 405, message: `${c.req.path} takes POST` }), {
          status: 405,
          headers: { ...JSON_HEADERS, allow: "POST" },
        })
        : error(404, `Nothing at ${c.req.path}`),
  );

  return {
    fetch: (request) => Promise.resolve(app.fetch(request)),
    get openapi() {
      return document();
    },
  };
}
