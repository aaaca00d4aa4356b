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
import { wholeOption } from "../server/whole_option.ts";
import type { AuditEntry } from "./audit.ts";
import { retryAfter as seconds } from "./gateway_error.ts";
import type { EventHub, HistoryRead, HubEvent } from "./event_hub.ts";
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
  /**
   * Where events fan out: this isolate's memory by default (see the hubs for many isolates). The
   * hub keeps the history that `Last-Event-ID` resumes from, and puts events in order.
   */
  hub?: EventHub;
  /**
   * The outgoing webhooks (`GatewayOptions.webhooks` sets it): each accepted callback's event is
   * enqueued before it is published, and a queue that refuses it answers 503 (the platform
   * retries; a job sent twice carries the same `webhook-id`, and a delivered one is skipped).
   */
  webhooks?: { enqueue(event: CallbackEvent): Promise<unknown> };
  /** The default memory hub's history: most events kept (default 1 000). */
  historyLength?: number;
  /** The default memory hub's history: longest an event is kept, ms (default 600 000). */
  historyMs?: number;
  /** The default memory hub's order window, ms (default 1 000; 0: arrival order). */
  orderWindowMs?: number;
  /**
   * Comment line sent on idle `/events` streams to keep them open, ms (default 25 000). A stream
   * whose reader has read nothing for a whole interval is ended at the next heartbeat.
   */
  heartbeatMs?: number;
  /**
   * Most `/events` streams one key holds at once in this isolate (keys that share a `name` count
   * as one); one more is refused with 429 and `Retry-After` (default 10).
   */
  maxStreamsPerKey?: number;
  /**
   * Most `/events` streams this isolate holds at once, whatever the key, so that its descriptors
   * and memory are bounded; one more is refused with 503 and `Retry-After` (default 1 000).
   */
  maxStreams?: number;
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
  /**
   * Where events are published and read: the configured `hub`, or the memory hub the gateway made
   * from the history options (one hub, shared with the reconciler when it is on).
   */
  hub: EventHub;
  /**
   * Tenancy: which events a caller's stream may show (live and replayed), as a predicate made
   * once per stream (`signal` aborts when the stream ends); nothing: every event its scope allows.
   * A rejection refuses the subscription with 503.
   */
  sees?(
    caller: Caller,
    signal: AbortSignal,
  ): Promise<((event: CallbackEvent) => boolean) | undefined>;
}

const TOKEN = /^[\w-]{32,256}$/;
/**
 * A bearer token as `?access_token=` may carry it: visible ASCII, as long as a configured token
 * may be. Anything else (a control character, a space, a character beyond ASCII) could not be a
 * header's value, so it is refused before a header is built from it.
 */
const QUERY_TOKEN = /^[\x21-\x7e]{1,512}$/;
/**
 * A `Last-Event-ID` (or `?lastEventId=`) a hub position could be: up to 128 visible ASCII
 * characters. Any other is refused (400) like a malformed query token, before the hub reads it.
 */
const RESUME_ID = /^[\x21-\x7e]{0,128}$/;
/** Most bytes an `/events` stream holds unread before its reader is deemed gone (64 KiB). */
const MAX_UNREAD_BYTES = 65_536;
const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-store",
  "x-accel-buffering": "no",
};
/** Refusals that can pass later (the replay memory unavailable or full): 503, not 401. */
const UNAVAILABLE = new Set(["replay-check-unavailable", "replay-memory-full"]);
const encoder = new TextEncoder();

/** The resource whose read actions let a key see an event type. */
const RESOURCE_OF: Record<string, string> = {
  "push.started": "live-state",
  "push.stopped": "live-state",
  "channel.banned": "live-state",
  "channel.reopened": "live-state",
  "channel.state_corrected": "live-state",
  "record.status": "recording",
  "forward.status": "forwarding",
};

/**
 * The open `/events` streams of this isolate, per key name and in all: `full` says which cap a
 * new stream would pass (if any), `take` holds a place and returns the function that gives it
 * back (once).
 */
const createStreamCount = (perKey: number, total: number) => {
  const byKey = new Map<string, number>();
  let open = 0;
  return {
    full: (key: string): "key" | "total" | undefined =>
      (byKey.get(key) ?? 0) >= perKey ? "key" : open >= total ? "total" : undefined,
    take(key: string): () => void {
      byKey.set(key, (byKey.get(key) ?? 0) + 1);
      open++;
      let held = true;
      return () => {
        if (!held) return;
        held = false;
        open--;
        const left = byKey.get(key)! - 1;
        if (left) byKey.set(key, left);
        else byKey.delete(key);
      };
    },
  };
};

/**
 * A Server-Sent Events body that ends once, however its reader goes: the body cancelled, the
 * request aborted (the client disconnected), a write refused, nothing asked for during a whole
 * heartbeat interval though a line waited (a body nobody reads), more than
 * {@link MAX_UNREAD_BYTES} waiting unread, or `end()` (the hub ended the subscription). When it
 * ends, what waited is dropped, the body closes, `signal` aborts, the heartbeat stops and `onEnd`
 * is called.
 *
 * Lines wait here, not in the stream's queue, and are handed over only when the reader asks
 * (the stream's high-water mark is 0): so what is unread is known, and dropped when it ends.
 *
 * Why not Hono's `streamSSE` (hono/streaming, 4.13), measured: this route rewritten on it (its
 * `writeSSE` for events, `write` for the comments, `onAbort` and the request's signal for the
 * end) failed 3 of the 17 tests in tests/gateway/events_test.ts, tests/security/events_*_test.ts
 * and tests/workers/deno_kv_events_test.ts. Five bodies never read still held their
 * subscriptions after 60 s, and a reader that read nothing still held its subscription after
 * 5 000 events (1.15 MB queued): its `TransformStream` queues every write unbounded and tells
 * nothing of what the reader took. `writeSSE` writes `event`, `data`, `id` in that order where the
 * framing test expects `id` first, and always writes a `data` line, so the `retry` and comment
 * lines need raw writes anyway. Its headers (`no-cache`, no charset) would need overwriting, and
 * it answers 200 before the subscription is made, so a failing hub could no longer be a 503.
 * Keeping these properties on it would mean this same bookkeeping around its writes.
 */
const openEventStream = (heartbeatMs: number, request: AbortSignal, onEnd: () => void) => {
  const ended = new AbortController();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let waiting: Uint8Array[] = [];
  let waitingBytes = 0;
  let asked = false;
  let handed = 0;
  const end = () => {
    if (ended.signal.aborted) return;
    waiting = [];
    waitingBytes = 0;
    ended.abort();
    clearInterval(heartbeat);
    onEnd();
    try {
      controller.close();
    } catch {
      // Already closed by the reader.
    }
  };
  const hand = () => {
    const chunk = waiting.length == 1 ? waiting[0] : new Uint8Array(waitingBytes);
    if (waiting.length > 1) {
      let at = 0;
      for (const part of waiting) {
        chunk.set(part, at);
        at += part.length;
      }
    }
    waiting = [];
    handed += waitingBytes;
    waitingBytes = 0;
    asked = false;
    try {
      controller.enqueue(chunk);
    } catch {
      end();
    }
  };
  const write = (text: string) => {
    if (ended.signal.aborted) return;
    const bytes = encoder.encode(text);
    if (waitingBytes + bytes.length > MAX_UNREAD_BYTES) return end();
    waiting.push(bytes);
    waitingBytes += bytes.length;
    if (asked) hand();
  };
  const body = new ReadableStream<Uint8Array>({
    start: (c) => void (controller = c),
    pull: () => {
      if (waitingBytes) hand();
      else asked = true;
    },
    cancel: end,
  }, { highWaterMark: 0 });
  let handedAtBeat = 0;
  const heartbeat = setInterval(() => {
    // What waited at the last heartbeat and was not asked for since: nobody reads.
    if (waitingBytes && handed == handedAtBeat) return end();
    handedAtBeat = handed;
    write(": keepalive\n\n");
  }, heartbeatMs);
  if (request.aborted) end();
  else request.addEventListener("abort", end, { once: true, signal: ended.signal });
  return { body, write, end, signal: ended.signal };
};

/**
 * Adds `/callbacks/:token` and `/events` to the gateway's app.
 *
 * @param app The gateway's Hono app.
 * @param options The ingress configuration.
 * @param helpers Error replies, authentication, actions, clock and the hub.
 * @throws {WangsuValidationError} When the token, allow-list, heartbeat or a stream cap is
 *   invalid.
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
  const hub = helpers.hub;
  const heartbeatMs = wholeOption(options.heartbeatMs, "callbacks.heartbeatMs", 1, 25_000);
  const maxStreamsPerKey = wholeOption(
    options.maxStreamsPerKey,
    "callbacks.maxStreamsPerKey",
    1,
    10,
  );
  const maxStreams = wholeOption(options.maxStreams, "callbacks.maxStreams", 1, 1_000);
  const streams = createStreamCount(maxStreamsPerKey, maxStreams);
  // A place is freed when a stream ends, and a gone reader is found out by the next heartbeat.
  const retryAfter = seconds(heartbeatMs);
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
    try {
      await options.webhooks?.enqueue(event);
    } catch {
      return error(c, 503, "The webhook queue is unavailable; retry", {}, { "retry-after": "1" });
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

  // Hono answers HEAD with this GET route, then drops the body unread: a HEAD is answered with
  // the stream's headers (or the refusal a GET would get) and never subscribes.
  app.get("/events", async (c) => {
    const entry = c.get("audit");
    entry.action = "events";
    let request = c.req.raw;
    const queryToken = c.req.query("access_token");
    if (queryToken && !request.headers.has("authorization")) {
      // EventSource cannot send headers: the token may come in the query instead, once it is
      // known to be something a header can hold. Any other is a token no key has.
      if (!QUERY_TOKEN.test(queryToken)) {
        entry.authFailure = "malformed-token";
        return error(c, 401, "Unknown bearer token", { reason: "unknown-token" });
      }
      const headers = new Headers(request.headers);
      headers.set("authorization", `Bearer ${queryToken}`);
      request = new Request(request.url, { headers });
    }
    const caller = await helpers.authenticate(request);
    if ("reason" in caller) {
      entry.authFailure = caller.audited ?? caller.reason;
      if (UNAVAILABLE.has(caller.reason)) {
        return error(c, 503, caller.message, { reason: caller.reason }, { "retry-after": "1" });
      }
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
    const full = streams.full(caller.name);
    if (full == "key") {
      return error(
        c,
        429,
        `Key ${caller.name} holds ${maxStreamsPerKey} open event streams, the most one key may ` +
          `hold; close one, or retry in ${retryAfter} s`,
        {},
        { "retry-after": retryAfter },
      );
    }
    if (full == "total") {
      return error(
        c,
        503,
        `The gateway holds ${maxStreams} open event streams, its most; retry in ${retryAfter} s`,
        {},
        { "retry-after": retryAfter },
      );
    }
    if (c.req.method == "HEAD") return new Response(null, { headers: SSE_HEADERS });

    const only = (name: string) => c.req.query(name)?.split(",").filter(Boolean);
    const pullIds = only("pullId");
    const wanted = only("type");
    /** Whether this stream shows an event, live or replayed: one predicate for both. */
    const visible = (event: CallbackEvent) =>
      types.has(event.type) && (!wanted || wanted.includes(event.type)) &&
      (!pullIds || ("pullId" in event && pullIds.includes(event.pullId ?? ""))) &&
      (!owned || owned(event)) &&
      // An id that could end its line is no event of ours (the ingress makes hex ids).
      typeof event.id == "string" && !/[\r\n]/.test(event.id);
    // Tenancy: a key's own objects only, as one more condition of `visible` above (set below,
    // once the stream's end signal exists).
    let owned: ((event: CallbackEvent) => boolean) | undefined;

    // Where to resume: EventSource sends `Last-Event-ID` itself when it reconnects; the query
    // form is for a first connection that resumes (a page reloaded with the id it kept).
    const resumeFrom = c.req.header("last-event-id") ?? c.req.query("lastEventId");
    if (resumeFrom !== undefined && !RESUME_ID.test(resumeFrom)) {
      return error(c, 400, "Last-Event-ID (or lastEventId): at most 128 visible ASCII characters", {
        reason: "invalid-last-event-id",
      });
    }

    const stream = openEventStream(heartbeatMs, c.req.raw.signal, streams.take(caller.name));
    try {
      owned = await helpers.sees?.(caller, stream.signal);
    } catch {
      stream.end();
      return error(c, 503, "Ownership is unavailable; retry", {}, { "retry-after": "1" });
    }
    // The name is the operator's, but a line break in it must not start a line of its own.
    const name = caller.name.replace(/[\r\n]+/g, " ");
    stream.write(`retry: 3000\n: subscribed as ${name} to ${[...types].join(", ")}\n\n`);
    /** Writes an event under its position in the hub's history (its `id:`, for resuming). */
    const send = (event: HubEvent, position: string | undefined) => {
      if (!visible(event)) return;
      const id = position ?? event.id;
      if (/[\r\n]/.test(id)) return;
      // JSON holds no raw line break, so the data is one line.
      stream.write(`id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    };
    // Subscribed first, then the history read: what is published in between comes both ways,
    // and is written once (by position). Live events wait until the replay is written.
    let waiting: [HubEvent, string | undefined][] | undefined = resumeFrom === undefined
      ? undefined
      : [];
    if (!stream.signal.aborted) {
      try {
        await hub.subscribe({
          signal: stream.signal,
          onEnd: stream.end,
          onEvent(event, position) {
            if (waiting) waiting.push([event, position]);
            else send(event, position);
          },
        });
        if (waiting && resumeFrom !== undefined) {
          const read: HistoryRead = hub.since
            ? await hub.since(resumeFrom)
            : { reset: true, events: [] };
          const written = new Set<string>();
          if (read.reset) {
            // Under the newest position: a reconnect after it resumes from there, not the old id.
            // An empty history: an empty id, so that EventSource stops sending the old one.
            const id = `id: ${read.head && !/[\r\n]/.test(read.head) ? read.head : ""}\n`;
            stream.write(`${id}event: reset\ndata: ${JSON.stringify({ reason: "history" })}\n\n`);
          }
          for (const { position, event } of read.events) {
            written.add(position);
            send(event, position);
          }
          for (const [event, position] of waiting) {
            if (position === undefined || !written.has(position)) send(event, position);
          }
          waiting = undefined;
        }
      } catch {
        stream.end();
        return error(c, 503, "The event hub is unavailable; retry", {}, { "retry-after": "1" });
      }
    }
    return new Response(stream.body, { headers: SSE_HEADERS });
  });
}
