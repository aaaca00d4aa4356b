/**
 * An in-memory simulator of the Wangsu Channels Management API: all 29 actions with state that
 * hangs together, real CNC-HMAC-SHA256 verification, the service's clock window, replay rule and
 * rate limit, and seeded fault injection. Use its `fetch` as a client's injected fetch (no
 * sockets), or serve it on a port.
 *
 * @example
 * ```ts
 * import { createClient, createChannel, getChannelLiveState } from "@wangsu/sdk";
 * import { createSimulator } from "@wangsu/sdk/simulator";
 *
 * const simulator = createSimulator();
 * const client = createClient({ ...simulator.credentials[0], fetch: simulator.fetch });
 * const { pullId } = await createChannel(client, {
 *   channelName: "Demo",
 *   channelType: "live",
 *   pushDomain: "push.example.com",
 *   pullRate: "0",
 * });
 * simulator.startStream(pullId); // an encoder starts pushing
 * console.log(await getChannelLiveState(client, { pullId })); // { channelState: "1" }
 * ```
 *
 * @module
 */

import { Hono } from "hono";
import type { Credentials } from "../signer.ts";
import { actions } from "../actions/table.ts";
import type { ActionName } from "../actions/types.ts";
import { readActionBody } from "../action.ts";
import { createRandom } from "./random.ts";
import { createGuard } from "./guard.ts";
import { createFaultPlanner, type FaultOptions } from "./faults.ts";
import { type ServedSimulator, serveHandler } from "./serve.ts";
import { type CallbackDeliveryOptions, createCallbackDelivery } from "./callbacks.ts";
import {
  channelOf,
  createStore,
  endSpan,
  forwardStatus,
  liveState,
  notifyState,
  notifyTasks,
  recordStatus,
  type SimContext,
  SimError,
  type SimNotification,
  type SimStore,
} from "./store.ts";
import { handlers } from "./handlers/mod.ts";
import { createUrlRules, type SimUrlCheck } from "./urls.ts";
import type { LiveUrlRule, TimestampAntiLeechRule } from "../url_signing/rule.ts";

export type { FaultOptions } from "./faults.ts";
export type { CallbackDeliveryOptions } from "./callbacks.ts";
export type { ServedSimulator } from "./serve.ts";
export type {
  DeliveryAttempt,
  LiveSpan,
  SimChannel,
  SimDirectory,
  SimForwardTask,
  SimNotification,
  SimRecordTask,
  SimStore,
} from "./store.ts";
export type { Credentials } from "../signer.ts";
export type { SimUrlCheck } from "./urls.ts";
export {
  CIPHER_COMBINATIONS,
  type CipherCombination,
  type EffectiveTimeMode,
  type InferredSigningOptions,
  type LiveUrlRule,
  type TimeFormat,
  type TimestampAntiLeechRule,
} from "../url_signing/rule.ts";
export type { LiveUrlCheck, LiveUrlRefusal } from "../url_signing/verify.ts";

/** Options of {@link createSimulator}. */
export interface SimulatorOptions {
  /** Accepted access/secret pairs; one generated demo pair when omitted. */
  credentials?: Credentials[];
  /** The simulated clock in Unix milliseconds (default `Date.now`). */
  now?: () => number;
  /** Largest accepted distance between a request's timestamp and the clock (default 300 s). */
  maxSkewSeconds?: number;
  /** Reject an identical signed request sent again inside the window (default true). */
  replayProtection?: boolean;
  /** Requests per window per account (default 300 per 5 minutes, as the service); `false` for none. */
  rateLimit?: { limit: number; windowMs: number } | false;
  /** Fault injection (off by default). */
  faults?: FaultOptions;
  /** Seed of generated ids (default 1). */
  seed?: number;
  /**
   * How callbacks are delivered: real HTTP GETs with the global `fetch` by default, retried with
   * backoff; an injected `fetch` for in-process use; `false` to only record them.
   */
  callbacks?: CallbackDeliveryOptions | false;
  /**
   * The timestamp anti-leech rule of push and play domains, by domain (as the vendor's
   * domain-configuration API returns it, or parsed by `parseLiveUrlRule`): `setPushTsatc` and
   * `setPullTsatc` sign with it, and `checkUrl` checks with it. A domain without one gets a
   * random key the first time it is used (`hex` time, `abstime`, `time+path+key`).
   */
  urlRules?: Readonly<Record<string, TimestampAntiLeechRule | LiveUrlRule>>;
}

/** Counts of what reached the simulator. */
export interface SimulatorStats {
  /** API requests received, whatever became of them. */
  requests: number;
  /** Requests by action name. */
  byAction: Record<string, number>;
  /** Requests whose action ran (state may have changed), by action name. */
  applied: Record<string, number>;
}

/** A running simulator. */
export interface Simulator {
  /** Answers one request in-process: usable as a client's `fetch`. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** The accepted credentials; the first is the demo pair when none were given. */
  readonly credentials: readonly Credentials[];
  /** The state, for tests that check what really happened. */
  readonly store: SimStore;
  /** Request counts. */
  readonly stats: SimulatorStats;
  /**
   * Callbacks raised so far (push state after `setChannelStateRealtimeBack`, recording and relay
   * tasks with a `notifyUrl`), each with its delivery attempts and outcome.
   */
  readonly notifications: readonly SimNotification[];
  /** Raises the task callbacks the clock has made due (done before every request anyway). */
  tick(): void;
  /** Resolves once every callback delivery has finished (delivered or failed). */
  settled(): Promise<void>;
  /** Sends a raised callback again, as the platform may: same URL, a new notification. */
  redeliver(id: string): SimNotification;
  /** Stops delivering callbacks (retries waiting are dropped and marked failed). */
  close(): void;
  /** An encoder starts pushing to the channel: it goes live (refused while banned). */
  startStream(pullId: string): void;
  /** The encoder stops pushing: the channel goes idle. */
  stopStream(pullId: string): void;
  /**
   * Checks a push or play URL as its domain's edge would, at the simulator's clock (also served
   * at `GET /_sim/check-url?url=`): `{ ok: true, ... }`, or `{ ok: false, reason, message }`,
   * `reason` being one of `verifyLiveUrl`'s or `unknown-domain` (no channel uses the host).
   */
  checkUrl(url: string): SimUrlCheck;
  /**
   * A push or play domain's rule (made with a random key on first use when none was given):
   * give it to `verifyLiveUrl`, `signLiveUrl` or a gateway's `urlRules`. Its key never shows.
   */
  urlRuleOf(domain: string): LiveUrlRule;
  /** Serves on a port (Deno or Node): 127.0.0.1 and a free port by default. */
  serve(options?: { port?: number; hostname?: string }): Promise<ServedSimulator>;
}

const DROP = "x-simulator-drop";

const envelope = (code: number | string, message: string, data?: unknown) =>
  data === undefined ? { code, message } : { code, message, data };

/**
 * Creates a simulator.
 *
 * @param options Credentials, clock, limits and faults.
 * @returns The simulator.
 */
export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const now = options.now ?? Date.now;
  const ids = createRandom(options.seed ?? 1);
  const credentials = options.credentials?.length ? [...options.credentials] : [{
    accessKey: `AK_DEMO_${crypto.randomUUID().slice(0, 8)}`,
    secretKey: `SK_DEMO_${crypto.randomUUID().replaceAll("-", "")}`,
  }];
  const store = createStore();
  const urlRules = createUrlRules(options.urlRules, options.seed ?? 1, store);
  const checkUrl = (url: string) => urlRules.check(url, now());
  const stats: SimulatorStats = { requests: 0, byAction: {}, applied: {} };
  const guard = createGuard({
    credentials,
    now,
    maxSkewSeconds: options.maxSkewSeconds ?? 300,
    replayProtection: options.replayProtection ?? true,
    rateLimit: options.rateLimit ?? { limit: 300, windowMs: 300_000 },
  });
  const planFaults = createFaultPlanner(options.faults);
  const delivery = createCallbackDelivery(options.callbacks, options.faults);
  const context = (accessKey: string): SimContext => ({
    store,
    now: now(),
    random: ids,
    accessKey,
    deliver: delivery.deliver,
    urls: urlRules,
  });
  const tick = () => notifyTasks(context("simulator"));
  const redeliver = (id: string) => {
    const original = store.notifications.find((n) => n.id == id);
    if (!original) throw new SimError("NotificationNotFound", `No notification ${id}`, 404);
    const copy: SimNotification = {
      ...original,
      id: `n${store.notifications.length + 1}`,
      at: now(),
      state: "pending",
      attempts: [],
      redeliveryOf: id,
    };
    store.notifications.push(copy);
    delivery.deliver(copy);
    return copy;
  };

  const app = new Hono();
  app.use("*", async (c, next) => {
    await next();
    c.header("x-cnc-request-id", crypto.randomUUID());
    c.header("date", new Date(now()).toUTCString());
  });

  for (const action of actions) {
    // The body has passed this action's schema: it is the action's input.
    const handler = handlers[action.name as ActionName] as (
      context: SimContext,
      input: unknown,
    ) => unknown;
    app.post(action.path, async (c) => {
      stats.requests++;
      stats.byAction[action.name] = (stats.byAction[action.name] ?? 0) + 1;
      const plan = planFaults();
      if (plan.latencyMs) await new Promise((resolve) => setTimeout(resolve, plan.latencyMs));
      if (plan.drop == "before") return c.body(null, 200, { [DROP]: "1" });
      if (plan.errorStatus) {
        if (plan.errorStatus == 429) c.header("retry-after", "1");
        return c.json(envelope(plan.errorStatus, "Injected fault"), plan.errorStatus as 503);
      }
      const checked = await guard(c.req.raw);
      if (!checked.ok) {
        if (checked.retryAfterSeconds) c.header("retry-after", String(checked.retryAfterSeconds));
        const body = checked.status == 462
          ? { status: 0, code: checked.code, result: `authorization is error! ${checked.message}` }
          : envelope(checked.code, checked.message);
        return c.json(body, checked.status as 429);
      }
      const body = readActionBody(action, await c.req.text());
      if ("message" in body) return c.json(envelope("InvalidParameter", body.message));
      let data: unknown;
      const ctx = context(checked.accessKey);
      try {
        stats.applied[action.name] = (stats.applied[action.name] ?? 0) + 1;
        notifyTasks(ctx);
        data = handler(ctx, body.input);
      } catch (error) {
        if (!(error instanceof SimError)) throw error;
        return c.json(envelope(error.code, error.message), error.status as 200);
      } finally {
        notifyTasks(ctx);
      }
      if (plan.drop == "after") return c.body(null, 200, { [DROP]: "1" });
      return c.json(envelope(200, "success", data));
    });
  }

  const stream = (pullId: string, start: boolean) => {
    const ctx = context("simulator");
    const channel = channelOf(ctx, pullId);
    if (!start) return endSpan(ctx, channel, "stop");
    if (liveState(channel, ctx.now) == 3) {
      throw new SimError("ChannelBanned", `Channel ${pullId} is banned: the push is refused`, 403);
    }
    if (liveState(channel, ctx.now) == 1) return;
    channel.spans.push({ from: ctx.now });
    notifyState(ctx, channel, "publish");
  };

  app.post("/_sim/streams/:pullId/:event{start|stop}", (c) => {
    const pullId = c.req.param("pullId");
    try {
      stream(pullId, c.req.param("event") == "start");
    } catch (error) {
      if (!(error instanceof SimError)) throw error;
      return c.json(
        envelope(error.code, error.message),
        error.code == "ChannelNotFound" ? 404 : 403,
      );
    }
    const state = liveState(store.channels.get(pullId)!, now());
    return c.json(envelope(200, "success", { pullId, channelState: String(state) }));
  });
  app.get("/_sim/notifications", (c) => {
    tick();
    return c.json(store.notifications);
  });
  app.post("/_sim/notifications/:id/redeliver", (c) => {
    try {
      return c.json(redeliver(c.req.param("id")));
    } catch (error) {
      if (!(error instanceof SimError)) throw error;
      return c.json(envelope(error.code, error.message), 404);
    }
  });
  app.get("/_sim/check-url", (c) => {
    const url = c.req.query("url");
    if (!url) return c.json(envelope(400, "url: required (the URL to check)"), 400);
    const checked = checkUrl(url);
    return c.json(checked, checked.ok ? 200 : 403);
  });
  app.get("/_sim/state", (c) => {
    const at = now();
    return c.json({
      channels: [...store.channels.values()].map((ch) => ({
        pullId: ch.pullId,
        mode: ch.mode,
        channelName: ch.channelName,
        liveState: liveState(ch, at),
      })),
      directories: [...store.directories.values()],
      recordTasks: [...store.recordTasks.values()].map((t) => ({
        ...t,
        status: recordStatus(t, at),
      })),
      forwardTasks: [...store.forwardTasks.values()].map((t) => ({
        ...t,
        status: forwardStatus(t, at),
      })),
      stats,
    });
  });
  app.all(
    "/live/*",
    (c) =>
      actions.some((action) => action.path == c.req.path)
        ? c.json(envelope(405, "Every API action takes POST"), 405, { allow: "POST" })
        : c.json(envelope(404, `No API action at ${c.req.path}`), 404),
  );
  app.notFound((c) => c.json(envelope(404, `Nothing at ${c.req.path}`), 404));

  const answer = (request: Request) => app.fetch(request);

  return {
    async fetch(input, init) {
      const response = await answer(new Request(input, init));
      if (response.headers.has(DROP)) throw new TypeError("Connection dropped (simulated fault)");
      return response;
    },
    credentials,
    store,
    stats,
    get notifications() {
      return store.notifications;
    },
    checkUrl,
    urlRuleOf: urlRules.ruleOf,
    startStream: (pullId) => stream(pullId, true),
    stopStream: (pullId) => stream(pullId, false),
    tick,
    settled: delivery.settled,
    redeliver,
    close: delivery.close,
    async serve({ port = 0, hostname = "127.0.0.1" } = {}) {
      const served = await serveHandler(async (request) => {
        const response = await answer(request);
        return response.headers.has(DROP) ? "drop" : response;
      }, { port, hostname });
      // Task callbacks fall due with the clock, not only with requests.
      const ticking = setInterval(tick, 1000);
      return {
        url: served.url,
        close() {
          clearInterval(ticking);
          return served.close();
        },
      };
    },
  };
}
