/**
 * Callbacks in, events out. The ingress (`/callbacks/<token>`) reads each callback the platform
 * sends into a typed event and publishes it to the hub; `GET /events` streams the events a key
 * may see as Server-Sent Events. The vendor signs no callback, so the ingress is protected by its
 * unguessable path and, optionally, a source allow-list.
 *
 * @module
 */

import type { Context, Hono } from "hono";
import type { CatalogEntry } from "../action.ts";
import type { CallbackEvent } from "../callbacks/parse.ts";
import { WangsuValidationError } from "../errors.ts";
import { createAddressMatcher } from "./address_list.ts";
import type { AuditEntry } from "./audit.ts";
import { createMemoryHub, type EventHub } from "./event_hub.ts";
import type { AuthFailure, Caller } from "./keys.ts";

/** How the gateway receives callbacks and streams them. */
export interface CallbackIngressOptions {
  /**
   * The secret part of the ingress path: point `notifyUrl` at `<gateway>/callbacks/<token>`. At
   * least 32 URL-safe characters (letters, digits, `-`, `_`); treat it like a password.
   */
  token: string;
  /**
   * Source addresses allowed to deliver callbacks (IPs and CIDR ranges); any when omitted. The
   * address is the connection's (Deno) or `CF-Connecting-IP` (Workers); unknown means refused.
   */
  allowFrom?: readonly string[];
  /** Where events fan out: this isolate's memory by default (see the hubs for many isolates). */
  hub?: EventHub;
  /** Comment line sent on idle `/events` streams to keep them open, ms (default 25 000). */
  heartbeatMs?: number;
}

/** What a connection tells the gateway about its peer (Deno's `ServeHandlerInfo` fits). */
export interface ConnectionInfo {
  /** The peer's address. */
  remoteAddr?: { hostname?: string };
}

/** The Hono environment of the gateway's routes. */
export type GatewayEnv = {
  Variables: { audit: AuditEntry };
  Bindings: { remoteAddress?: string };
};

/** The helpers of the gateway's routes that the event routes share. */
export interface EventRouteHelpers {
  /** Answers a JSON error, recorded in the audit entry. */
  error(
    c: Context<GatewayEnv>,
    status: number,
    message: string,
    extra?: Record<string, unknown>,
    headers?: HeadersInit,
  ): Response;
  /** Authenticates a caller. */
  authenticate(request: Request): Promise<Caller | AuthFailure>;
  /** The action catalog. */
  actions: readonly CatalogEntry[];
  /** Clock. */
  now: () => number;
}

const TOKEN = /^[\w-]{32,256}$/;
const encoder = new TextEncoder();

/** The resource whose read actions let a key see an event type. */
const RESOURCE_OF: Record<string, string> = {
  "push.started": "live-state",
  "push.stopped": "live-state",
  "channel.banned": "live-state",
  "channel.reopened": "live-state",
  "record.status": "recording",
  "forward.status": "forwarding",
};

/**
 * Adds `/callbacks/:token` and `/events` to the gateway's app.
 *
 * @param app The gateway's Hono app.
 * @param options The ingress configuration.
 * @param helpers Error replies, authentication, actions and clock.
 * @throws {WangsuValidationError} When the token or allow-list is invalid.
 */
export function addEventRoutes(
  app: Hono<GatewayEnv>,
  options: CallbackIngressOptions,
  helpers: EventRouteHelpers,
): void {
  if (typeof options.token != "string" || !TOKEN.test(options.token)) {
    throw new WangsuValidationError([{
      path: "callbacks.token",
      rule: "format",
      message: "callbacks.token: must be 32 to 256 letters, digits, - or _",
    }]);
  }
  const allowed = options.allowFrom &&
    createAddressMatcher(options.allowFrom, "callbacks.allowFrom");
  const hub = options.hub ?? createMemoryHub({ now: helpers.now });
  const heartbeatMs = options.heartbeatMs ?? 25_000;
  // Loaded with the first callback, as the bearer keys' digests are.
  let secrets: typeof import("./secret_digest.ts") | undefined;
  let expected: Uint8Array | undefined;
  const { error } = helpers;

  app.on(["GET", "POST"], "/callbacks/:token", async (c) => {
    const entry = c.get("audit");
    entry.action = "callback";
    const { digest, sameBytes } = secrets ??= await import("./secret_digest.ts");
    expected ??= digest(options.token);
    if (!sameBytes(digest(c.req.param("token")), expected)) {
      return error(c, 404, "Nothing at this path");
    }
    if (allowed && !allowed(c.env?.remoteAddress)) {
      entry.authFailure = "source";
      return error(c, 403, "This source may not deliver callbacks");
    }
    // The parser is loaded with the first callback, not with every isolate.
    const { parseCallback, WangsuCallbackError } = await import("../callbacks/parse.ts");
    let event: CallbackEvent;
    try {
      event = parseCallback(c.req.raw, { now: helpers.now });
    } catch (failure) {
      const issues = failure instanceof WangsuCallbackError ? failure.issues : [];
      entry.authFailure = "malformed-callback";
      return error(c, 400, "Malformed callback", { issues });
    }
    let fresh: boolean;
    try {
      fresh = await hub.publish(event);
    } catch {
      // Not acknowledged: the platform retries, and the retry is published then.
      return error(c, 503, "The event hub is unavailable; retry", {}, { "retry-after": "1" });
    }
    entry.callback = { type: event.type, id: event.id, duplicate: !fresh };
    return c.json({ code: 200, message: "ok", id: event.id, duplicate: !fresh });
  });

  app.get("/events", async (c) => {
    const entry = c.get("audit");
    entry.action = "events";
    let request = c.req.raw;
    const queryToken = c.req.query("access_token");
    if (queryToken && !request.headers.has("authorization")) {
      // EventSource cannot send headers: the token may come in the query instead.
      const headers = new Headers(request.headers);
      headers.set("authorization", `Bearer ${queryToken}`);
      request = new Request(request.url, { headers });
    }
    const caller = await helpers.authenticate(request);
    if ("reason" in caller) {
      entry.authFailure = caller.reason;
      return error(c, 401, caller.message, { reason: caller.reason });
    }
    entry.key = caller.name;
    const resources = new Set<string>(
      helpers.actions.filter((action) => action.readOnly && caller.allowed.has(action.name))
        .map((action) => action.resource),
    );
    const types = new Set(Object.keys(RESOURCE_OF).filter((t) => resources.has(RESOURCE_OF[t])));
    if (!types.size) {
      return error(
        c,
        403,
        `Key ${caller.name} may read neither live state, recording tasks nor relay tasks`,
      );
    }
    const only = (name: string) => c.req.query(name)?.split(",").filter(Boolean);
    const pullIds = only("pullId");
    const wanted = only("type");
    const visible = (event: CallbackEvent) =>
      types.has(event.type) && (!wanted || wanted.includes(event.type)) &&
      (!pullIds || ("pullId" in event && pullIds.includes(event.pullId ?? "")));

    const ended = new AbortController();
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const write = (text: string) => {
      try {
        controller.enqueue(encoder.encode(text));
      } catch {
        ended.abort();
      }
    };
    const body = new ReadableStream<Uint8Array>({
      start: (c) => void (controller = c),
      cancel: () => ended.abort(),
    });
    const heartbeat = setInterval(() => write(": keepalive\n\n"), heartbeatMs);
    ended.signal.addEventListener("abort", () => {
      clearInterval(heartbeat);
      try {
        controller.close();
      } catch {
        // Already closed by the reader.
      }
    }, { once: true });
    write(`retry: 3000\n: subscribed as ${caller.name} to ${[...types].join(", ")}\n\n`);
    try {
      await hub.subscribe({
        signal: ended.signal,
        onEnd: () => ended.abort(),
        onEvent(event) {
          if (!visible(event)) return;
          write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
        },
      });
    } catch {
      ended.abort();
      return error(c, 503, "The event hub is unavailable; retry", {}, { "retry-after": "1" });
    }
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-accel-buffering": "no",
      },
    });
  });
}
