/**
 * The reconciler: callbacks get lost (the platform retries a little, then gives up), so on a
 * schedule the gateway polls the live state of the channels it has seen events for lately
 * (`batchChannelLiveState`, in batches) and, where the platform says otherwise than the last
 * event, publishes a `channel.state_corrected` event: what was believed, what is true, and since
 * when. It spends at most a configured share of the account budget, taken from the same budget
 * as callers, and polls nothing rather than take the slots callers are left.
 *
 * The schedule is the platform's: Cron Triggers on Workers (`scheduled()`), `Deno.cron` on Deno,
 * {@link runReconcilerEvery} in one process. Each run takes the interval's lock in the shared
 * state first, so that of the isolates (or processes) a schedule wakes, one polls.
 *
 * @module
 */

import type {
  CallbackEvent,
  ChannelLiveState,
  ChannelStateCorrectedEvent,
} from "../callbacks/parse.ts";
import { type ClientOptions, createClient } from "../client.ts";
import { WangsuValidationError } from "../errors.ts";
import type { StateStore } from "../server/state_store.ts";
import { sha256, wordsToHex } from "../sha256.ts";
import { type AccountBudget, slotWindowMs, VENDOR_BUDGET } from "./budget.ts";
import type { EventHub } from "./event_hub.ts";
import { reconcilerSettings } from "./reconciler_settings.ts";

/** How the reconciler runs. */
export interface ReconcilerOptions {
  /**
   * How often it runs, ms (default 60 000). On Workers the Cron Trigger in `wrangler.toml` sets
   * the schedule: keep the two equal. A run that finds this interval's lock taken polls nothing.
   */
  intervalMs?: number;
  /**
   * The most of the account budget it may spend, as a share (above 0, at most 0.5; default
   * 0.05: 15 requests per 300 s of the vendor's 300). It also never takes one of the last
   * that-many slots of the account, so that callers keep them.
   */
  budgetShare?: number;
  /** A channel is polled while its last event is younger than this, ms (default 24 hours). */
  recentMs?: number;
  /** Channels per `batchChannelLiveState` request (default 100). */
  batchSize?: number;
  /**
   * Where the channels' last events are kept: this isolate's memory by default. With several
   * isolates give one they share ({@link createKvChannelMemory} over Deno KV).
   */
  memory?: ChannelMemory;
  /**
   * Called with each correction after it is published to the hub: the hook for outgoing
   * webhooks. Its failure is reported in the run's `failures`, never thrown.
   */
  enqueueWebhook?: (event: ChannelStateCorrectedEvent) => void | Promise<void>;
}

/** What one run did. */
export interface ReconcileReport {
  /** Why nothing was polled, when so. */
  skipped?: "ran-this-interval" | "budget" | "state-unavailable";
  /** Channels seen lately. */
  channels: number;
  /** Channels polled by this run. */
  polled: number;
  /** Channels seen lately that this run's share could not cover (polled by the next ones). */
  unpolled: number;
  /** Requests sent upstream. */
  requests: number;
  /** The corrections published. */
  corrections: ChannelStateCorrectedEvent[];
  /** What failed (a request, a publish, a webhook), without secrets. */
  failures: string[];
}

/** What the gateway last believed of a channel: the state its last event said. */
export interface ChannelBelief {
  /** Channel id. */
  pullId: string;
  /** The state. */
  state: ChannelLiveState;
  /** The event's time (ISO 8601, UTC). */
  since: string;
  /** The event's id. */
  eventId: string;
}

/** The channels seen lately and what their last events said, with expiry. */
export interface ChannelMemory {
  /** Keeps `belief` until `expiresAt` (Unix ms), unless one with a later `since` is held. */
  note(belief: ChannelBelief, expiresAt: number): Promise<void>;
  /** Every unexpired belief. */
  recent(): Promise<ChannelBelief[]>;
}

/** The gateway's run of the reconciler. */
export interface Reconciler {
  /** Runs once now. Never throws: what failed is in the report. */
  reconcile(): Promise<ReconcileReport>;
  /** The hub that notes each published push event (and publishes the corrections). */
  hub: EventHub;
}

const STATE_OF: Record<number, ChannelLiveState> = { 1: "live", 2: "idle", 3: "banned" };
type PushType = ChannelStateCorrectedEvent["missing"][number];
/** The events that lead from one state to another. */
const MISSING: Record<ChannelLiveState, Record<ChannelLiveState, PushType[]>> = {
  live: { live: [], idle: ["push.stopped"], banned: ["channel.banned"] },
  idle: { live: ["push.started"], idle: [], banned: ["channel.banned"] },
  banned: { live: ["channel.reopened", "push.started"], idle: ["channel.reopened"], banned: [] },
};
/** Most channels one isolate's memory holds; the least lately noted goes first. */
const MEMORY_CAPACITY = 100_000;

/**
 * The state an event leaves a channel in, or `undefined` for an event that says nothing of it.
 *
 * @param event An event.
 * @returns The state.
 */
function stateAfter(event: CallbackEvent): ChannelLiveState | undefined {
  switch (event.type) {
    case "push.started":
      return "live";
    case "push.stopped":
      // A ban cuts the push: its `push.stopped` (reason forbid) and `channel.banned` say the same.
      return event.reason == "forbid" ? "banned" : "idle";
    case "channel.banned":
      return "banned";
    case "channel.reopened":
      return "idle";
    case "channel.state_corrected":
      return event.actual;
  }
}

/**
 * Channel beliefs in this isolate's memory (the default; one process).
 *
 * @param now Clock, Unix ms.
 * @returns The memory.
 */
export function createMemoryChannelMemory(now: () => number = Date.now): ChannelMemory {
  const held = new Map<string, { belief: ChannelBelief; expiresAt: number }>();
  return {
    note(belief, expiresAt) {
      const old = held.get(belief.pullId);
      if (old && old.expiresAt > now() && old.belief.since > belief.since) {
        return Promise.resolve();
      }
      held.delete(belief.pullId);
      if (held.size >= MEMORY_CAPACITY) held.delete(held.keys().next().value!);
      held.set(belief.pullId, { belief, expiresAt });
      return Promise.resolve();
    },
    recent() {
      const at = now();
      for (const [pullId, { expiresAt }] of held) if (expiresAt <= at) held.delete(pullId);
      return Promise.resolve([...held.values()].map(({ belief }) => belief));
    },
  };
}

/** The part of `Deno.Kv` that {@link createKvChannelMemory} uses. */
export interface ChannelKv {
  /** Reads a key, with its version. */
  get<T>(key: string[]): Promise<{ value: T | null; versionstamp: string | null }>;
  /** Lists the keys under a prefix. */
  list<T>(selector: { prefix: string[] }): AsyncIterable<{ value: T }>;
  /**
   * A write that commits only if the keys checked are unchanged (`check` a key at its
   * `versionstamp`, `null` for absent; `set` with `expireIn` ms; `commit`, `ok: false` when a
   * check failed).
   */
  atomic(): {
    check(...checks: { key: string[]; versionstamp: string | null }[]): unknown;
    set(key: string[], value: unknown, options?: { expireIn?: number }): unknown;
    commit(): Promise<{ ok: boolean }>;
  };
}

/** Tries of a note whose key another process changed between its read and its write. */
const KV_NOTE_TRIES = 10;

/**
 * Channel beliefs in Deno KV, shared by every process and isolate on it (Deno Deploy's KV, or
 * the file of `GATEWAY_KV_PATH`): one key per channel, expiring with its recency. A note is
 * written only if the key is unchanged since it was read (else read again), so that of two
 * processes noting one channel at once, the later event is kept.
 *
 * @param kv The Deno KV.
 * @param now Clock, Unix ms.
 * @returns The memory.
 */
export function createKvChannelMemory(kv: ChannelKv, now: () => number = Date.now): ChannelMemory {
  const PREFIX = ["gateway", "reconciler", "channel"];
  return {
    async note(belief, expiresAt) {
      const key = [...PREFIX, belief.pullId];
      for (let tries = 1;; tries++) {
        const old = await kv.get<{ belief: ChannelBelief; expiresAt: number }>(key);
        const held = old.value;
        if (held && held.expiresAt > now() && held.belief.since > belief.since) return;
        const write = kv.atomic();
        write.check({ key, versionstamp: old.versionstamp });
        write.set(key, { belief, expiresAt }, { expireIn: Math.max(1, expiresAt - now()) });
        if ((await write.commit()).ok) return;
        if (tries >= KV_NOTE_TRIES) {
          throw new Error(`channel memory: ${KV_NOTE_TRIES} tries found the channel's key changed`);
        }
      }
    },
    async recent() {
      const beliefs: ChannelBelief[] = [];
      const at = now();
      for await (
        const entry of kv.list<{ belief: ChannelBelief; expiresAt: number }>({ prefix: PREFIX })
      ) {
        if (entry.value.expiresAt > at) beliefs.push(entry.value.belief);
      }
      return beliefs;
    },
  };
}

/**
 * Runs `reconcile` every `intervalMs` until `signal` aborts: the schedule of one process (and of
 * tests, with a virtual clock's `sleep`). Resolves once stopped.
 *
 * @param reconcile The run.
 * @param options Interval, timer and stop signal.
 */
export async function runReconcilerEvery(
  reconcile: () => Promise<unknown>,
  options: { intervalMs: number; sleep?: (ms: number) => Promise<void>; signal?: AbortSignal },
): Promise<void> {
  const sleep = options.sleep ??
    ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  while (!options.signal?.aborted) {
    await sleep(options.intervalMs);
    if (options.signal?.aborted) break;
    await reconcile().catch(() => {});
  }
}

/**
 * The cron expression of an interval, for `Deno.cron` and Cron Triggers: every N minutes.
 *
 * @param intervalMs The interval, ms: a whole number of minutes from 1 to 59, or 60.
 * @returns The expression, e.g. `*\/5 * * * *`.
 * @throws {WangsuValidationError} When the interval is no such number of minutes.
 */
export function cronOf(intervalMs: number): string {
  const minutes = intervalMs / 60_000;
  if (minutes == 60) return "0 * * * *";
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 59 || 60 % minutes) {
    throw new WangsuValidationError([{
      path: "reconciler.intervalMs",
      rule: "cron",
      message: "reconciler.intervalMs: on a cron schedule must be 1 to 60 minutes dividing an hour",
    }]);
  }
  return minutes == 1 ? "* * * * *" : `*/${minutes} * * * *`;
}

/** What {@link createReconciler} needs of the gateway. */
export interface ReconcilerContext {
  /** The upstream account and client options (the gateway's). */
  upstream: Omit<ClientOptions, "rateLimit"> & { accessKey: string; secretKey: string };
  /** The shared state: the interval's lock and the budget's slots. */
  store: StateStore;
  /** The account budget the callers spend, or `undefined` when it is off. */
  budget?: AccountBudget;
  /** The hub the callback ingress publishes to. */
  hub: EventHub;
  /** Clock, Unix ms. */
  now: () => number;
}

/**
 * Creates the reconciler of a gateway: its `hub` (the ingress's, noting each push event's
 * channel) and its `reconcile` run.
 *
 * @param options The reconciler's options.
 * @param context The gateway's upstream, store, budget, hub and clock.
 * @returns The reconciler.
 * @throws {WangsuValidationError} When an option is out of range (naming it).
 */
export function createReconciler(
  options: ReconcilerOptions,
  context: ReconcilerContext,
): Reconciler {
  const settings = reconcilerSettings(options);
  const { store, now } = context;
  const memory = options.memory ?? createMemoryChannelMemory(now);
  const budget = context.budget ?? VENDOR_BUDGET;
  // The same window as the account budget's slots.
  const windowMs = slotWindowMs(budget);
  const shareSlots = Math.max(1, Math.floor(budget.limit * settings.budgetShare));
  // Spread over the window: a run takes its part of the share, not all of it at once.
  const perRun = Math.max(1, Math.floor(shareSlots * settings.intervalMs / windowMs));
  const note = (event: CallbackEvent) => {
    const state = stateAfter(event);
    if (!state || !("pullId" in event) || !event.pullId) return Promise.resolve();
    return memory.note(
      { pullId: event.pullId, state, since: event.time, eventId: event.id },
      now() + settings.recentMs,
    );
  };
  const inner = context.hub;
  // The ingress's hub, noting what each fresh event says (a failure to note is not the
  // ingress's: the platform must not retry a published callback for it).
  const hub: EventHub = Object.assign(Object.create(inner), {
    async publish(event: CallbackEvent) {
      const fresh = await inner.publish(event);
      if (fresh) await note(event).catch(() => {});
      return fresh;
    },
  });
  const client = createClient({
    ...context.upstream,
    signedHeaders: context.upstream.signedHeaders ?? "content-type;host;x-gateway-request-id",
    now,
    // One try: a failed poll waits for the next run, and costs one slot.
    retries: 0,
  });
  let action: Promise<typeof import("../actions/live_state/batch_channel_live_state.ts")>;

  /** A slot of the share and of the account, never waited for: `false` when refused. */
  const takeSlot = async () => {
    const own = await store.reserve("reconciler", shareSlots, windowMs);
    if (!own.ok) return false;
    if (!context.budget) return true;
    // Never one of the account's last `shareSlots`: those are the callers'.
    const account = await store.reserve("account", budget.limit - shareSlots, windowMs);
    return account.ok;
  };

  const reconcile = async (): Promise<ReconcileReport> => {
    const report: ReconcileReport = {
      channels: 0,
      polled: 0,
      unpolled: 0,
      requests: 0,
      corrections: [],
      failures: [],
    };
    const tick = Math.floor(now() / settings.intervalMs);
    let beliefs: ChannelBelief[];
    try {
      const first = await store.remember(
        `reconciler:${tick}`,
        (tick + 2) * settings.intervalMs,
        "reconciler",
      );
      if (first !== true) {
        report.skipped = first === false ? "ran-this-interval" : "state-unavailable";
        return report;
      }
      beliefs = (await memory.recent()).sort((a, b) => a.pullId < b.pullId ? -1 : 1);
    } catch {
      report.skipped = "state-unavailable";
      return report;
    }
    report.channels = beliefs.length;
    if (!beliefs.length) return report;
    // Each run starts where the last left off, so every channel is polled in turn.
    const offset = (tick * perRun * settings.batchSize) % beliefs.length;
    const ordered = [...beliefs.slice(offset), ...beliefs.slice(0, offset)];
    const { batchChannelLiveState } = await (action ??= import(
      "../actions/live_state/batch_channel_live_state.ts"
    ));
    for (let run = 0; run < perRun && report.polled < ordered.length; run++) {
      const batch = ordered.slice(report.polled, report.polled + settings.batchSize);
      let taken: boolean;
      try {
        taken = await takeSlot();
      } catch {
        report.skipped = "state-unavailable";
        break;
      }
      if (!taken) {
        report.skipped = "budget";
        break;
      }
      report.requests++;
      report.polled += batch.length;
      let states;
      try {
        states = await batchChannelLiveState(client, {
          pullIds: batch.map((belief) => belief.pullId).join(","),
        }, { headers: { "x-gateway-request-id": crypto.randomUUID() } });
      } catch (error) {
        report.failures.push(
          `batchChannelLiveState: ${error instanceof Error ? error.name : "failed"}`,
        );
        continue;
      }
      const polledAt = new Date(now()).toISOString();
      const byId = new Map(batch.map((belief) => [belief.pullId, belief]));
      for (const entry of states) {
        const belief = byId.get(entry.pullId);
        const actual = STATE_OF[Number(entry.channelStatus)];
        if (!belief || !actual || actual == belief.state) continue;
        const event: ChannelStateCorrectedEvent = {
          id: wordsToHex(sha256(
            `channel.state_corrected|${belief.pullId}|${belief.eventId}|${actual}`,
          )).slice(0, 32),
          type: "channel.state_corrected",
          time: polledAt,
          params: {},
          extra: {},
          pullId: belief.pullId,
          believed: belief.state,
          believedSince: belief.since,
          believedEventId: belief.eventId,
          actual,
          missing: MISSING[belief.state][actual],
        };
        try {
          if (await hub.publish(event)) report.corrections.push(event);
        } catch {
          report.failures.push(`publish ${belief.pullId}: the event hub is unavailable`);
          continue;
        }
        try {
          await options.enqueueWebhook?.(event);
        } catch {
          report.failures.push(`webhook ${belief.pullId}: enqueue failed`);
        }
      }
    }
    report.unpolled = beliefs.length - report.polled;
    return report;
  };
  return { hub, reconcile };
}

/** The part of `Deno` that {@link scheduleReconciler} uses: `Deno.cron`, when present. */
export interface CronHost {
  /** Registers `handler` to run on `schedule` (Deno's `Deno.cron`, `--unstable-cron`). */
  cron?(name: string, schedule: string, handler: () => Promise<void>): Promise<void>;
}

/**
 * Puts a gateway's reconciler on the platform's scheduler: `Deno.cron` when the runtime has it
 * (Deno Deploy, or `--unstable-cron`; the interval must then be whole minutes dividing an hour),
 * else a plain interval in this process. Does nothing for a gateway without a reconciler.
 *
 * @param gateway The gateway.
 * @param intervalMs The reconciler's interval, ms.
 * @param host Where `cron` is looked up (default `Deno`, when defined).
 * @returns How it was scheduled: `"cron"`, `"interval"` or `"off"`.
 */
export function scheduleReconciler(
  gateway: { reconcile?(): Promise<ReconcileReport> },
  intervalMs: number,
  host: CronHost | undefined = (globalThis as { Deno?: CronHost }).Deno,
): "cron" | "interval" | "off" {
  const reconcile = gateway.reconcile;
  if (!reconcile) return "off";
  const run = async () => {
    const { corrections, ...counts } = await reconcile();
    console.error(JSON.stringify({ reconciler: { ...counts, corrections: corrections.length } }));
  };
  if (typeof host?.cron == "function") {
    void host.cron("gateway-reconciler", cronOf(intervalMs), run);
    return "cron";
  }
  const timer = setInterval(() => void run().catch(() => {}), intervalMs);
  // An interval must not keep a process alive that has nothing else to do.
  (timer as unknown as { unref?: () => void }).unref?.();
  (globalThis as { Deno?: { unrefTimer?: (id: number) => void } }).Deno?.unrefTimer?.(
    timer as unknown as number,
  );
  return "interval";
}
