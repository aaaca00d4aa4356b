/**
 * The event hub on Deno KV: every process that opens the same KV (a local file given to several
 * `workers/deno.ts` processes as `GATEWAY_KV_PATH`, or a Deno Deploy deployment's own KV) shares
 * one ordered log of events and one memory of the event ids seen.
 *
 * Publishing remembers the id in one atomic write guarded by "this id is not remembered"
 * (expiring with the dedupe window): a redelivered callback, to any process, finds its id and is
 * a duplicate; a failed write leaves nothing behind and rejects, so the ingress answers 503 and
 * the platform retries. The event then waits in this process's order stage (`orderWindowMs`) and
 * is appended to the log in one atomic write guarded by "the log's head has not moved": under the
 * next sequence number (expiring after `historyMs`), moving the head and dropping the event
 * `historyLength` places back. With a window of 0 the append is part of the publish (a failed
 * append forgets the id again and rejects); with a window, an append that fails after its retries
 * is logged and the event is lost to `/events` (the reconciler's correction makes it up). Events
 * of one channel are put in order among those one process received: two arriving at two
 * processes keep the order in which they were appended.
 *
 * The log is the history `/events` resumes from: a position is the sequence number, the same in
 * every process, so a subscriber may resume on any of them (`since`).
 *
 * Each isolate with subscribers follows the log: it holds the last sequence number it delivered
 * and, whenever the head may have moved, reads the events after it, in order, and hands each to
 * each subscriber once. It learns that the head moved from `kv.watch` (at once, in this process
 * and on Deno Deploy) and from reading the head every `pollMs`: `kv.watch` on a local file does
 * not see other processes' writes (denoland/deno#21640), and may coalesce updates anywhere, which
 * reading the log by sequence number makes harmless. (KV queues would not do: each message goes
 * to one listener, not to every process.)
 *
 * @module
 */

import { wholeOption } from "../../server/whole_option.ts";
import { BUSY, type KvEntry, settleKv } from "./deno_kv_store.ts";
import {
  createOrderStage,
  type EventHub,
  historyBounds,
  type HistoryRead,
  type HubEvent,
  type HubOptions,
  type HubSubscription,
} from "../../gateway/event_hub.ts";

/** A Deno KV key, as the hub writes them. */
export type KvKeyLike = readonly (string | number | bigint | boolean | Uint8Array)[];

/** The part of `Deno.AtomicOperation` the hub uses. */
export interface KvAtomicLike {
  /** Adds checks that each key still has the given version (`null`: has no value). */
  check(...checks: { key: KvKeyLike; versionstamp: string | null }[]): KvAtomicLike;
  /** Adds a write, optionally expiring after `expireIn` ms. */
  set(key: KvKeyLike, value: unknown, options?: { expireIn?: number }): KvAtomicLike;
  /** Adds a deletion. */
  delete(key: KvKeyLike): KvAtomicLike;
  /** Commits: `ok` is `false` when a check failed. */
  commit(): Promise<{ ok: boolean }>;
}

/** The part of `Deno.Kv` the hub uses (so that this module needs no Deno types). */
export interface DenoKvHubLike {
  /** Reads an entry. */
  get<T>(key: KvKeyLike): Promise<KvEntry<T>>;
  /** Lists the entries from `start` (included) to `end` (excluded), in key order. */
  list<T>(selector: { start: KvKeyLike; end: KvKeyLike }): AsyncIterable<KvEntry<T>>;
  /** Starts an atomic operation. */
  atomic(): KvAtomicLike;
  /** Streams the keys' entries whenever one of them may have changed. */
  watch(keys: KvKeyLike[]): ReadableStream<readonly KvEntry<unknown>[]>;
}

/** Options of {@link createDenoKvHub}. */
export interface DenoKvHubOptions extends HubOptions {
  /** Key prefix of everything the hub writes (default `["wangsu-gateway"]`). */
  prefix?: string[];
  /** The log's name, one per account (default `account`). */
  name?: string;
  /** The former name of `historyLength` (used when that is not given). */
  logLength?: number;
  /** The former name of `historyMs` (used when that is not given). */
  logMs?: number;
  /**
   * How often an isolate with subscribers reads the log's head, ms (default 1 000): the longest
   * an event published by another process on the same local file waits; `0` for never (watch
   * only, right where every writer's changes reach `kv.watch`).
   */
  pollMs?: number;
  /** Attempts to publish while other processes write the log (default 50). */
  attempts?: number;
}

/** An entry of the log: when it was appended, and the event. */
interface Logged {
  at: number;
  event: HubEvent;
}

/**
 * Creates the hub over an open Deno KV database (`await Deno.openKv(path)`, or `Deno.openKv()` on
 * Deno Deploy). Its `subscribers` counts this isolate's subscriptions attached now; `close()`
 * ends them and stops following the log (it starts again with the next subscriber).
 *
 * @param kv The database.
 * @param options Prefix, log name and bounds, dedupe window, poll interval and clock.
 * @returns The hub.
 * @throws {WangsuValidationError} When a bound is not a whole number in range.
 */
export function createDenoKvHub(
  kv: DenoKvHubLike,
  options: DenoKvHubOptions = {},
): EventHub & {
  /** Subscriptions attached now, in this isolate. */
  readonly subscribers: number;
  /** Ends this isolate's subscriptions and stops following the log. */
  close(): void;
} {
  const now = options.now ?? Date.now;
  const dedupeMs = wholeOption(options.dedupeMs, "dedupeMs", 1, 600_000);
  const bounds = historyBounds({
    ...options,
    historyLength: options.historyLength ?? options.logLength,
    historyMs: options.historyMs ?? options.logMs,
  });
  const { historyLength: logLength, historyMs: logMs } = bounds;
  const pollMs = wholeOption(options.pollMs, "pollMs", 0, 1_000);
  const attempts = wholeOption(options.attempts, "attempts", 1, 50);
  const base = [...(options.prefix ?? ["wangsu-gateway"]), "events", options.name ?? "account"];
  const head: KvKeyLike = [...base, "head"];
  const logged = (sequence: number): KvKeyLike => [...base, "log", sequence];

  const subscribers = new Set<HubSubscription>();
  /** Subscriptions waiting for the log to be followed. */
  let joining = 0;
  let following: ReturnType<typeof follow> | undefined;

  const send = (event: HubEvent, position: string) => {
    for (const subscriber of subscribers) {
      try {
        subscriber.onEvent(event, position);
      } catch {
        // One subscriber's failure is its own.
      }
    }
  };
  /** Ends every subscription (their streams close; clients reconnect). */
  const endAll = () => {
    for (const subscriber of [...subscribers]) {
      subscribers.delete(subscriber);
      try {
        subscriber.onEnd?.();
      } catch {
        // Ending is best effort.
      }
    }
  };

  /**
   * Follows the log from its head now: `ready` settles once the head is read and the watch is
   * open. Catch-ups run one at a time; a wake during one runs another after it.
   */
  const follow = () => {
    let stopped = false;
    let last = 0;
    let running = false;
    let again = false;
    let timer: ReturnType<typeof setInterval> | undefined;
    let watch: ReadableStreamDefaultReader<unknown> | undefined;
    const stop = () => {
      stopped = true;
      clearInterval(timer);
      watch?.cancel().catch(() => {});
    };
    const fail = () => {
      if (stopped) return;
      stop();
      if (following === self) following = undefined;
      endAll();
    };
    const catchUp = async () => {
      const latest = (await kv.get<number>(head)).value ?? 0;
      // A head behind ours: the log was cleared; follow it from where it is.
      if (latest <= last) return void (last = latest);
      const start = logged(Math.max(last + 1, latest - logLength + 1));
      for await (const entry of kv.list<Logged>({ start, end: logged(latest + 1) })) {
        if (stopped) return;
        const sequence = entry.key[entry.key.length - 1];
        if (typeof sequence != "number" || sequence <= last || !entry.value?.event) continue;
        last = sequence;
        send(entry.value.event, String(sequence));
      }
      // Events gone from the log (expired, or pushed out while this isolate lagged) are skipped.
      last = latest;
    };
    const wake = async () => {
      if (stopped) return;
      if (running) return void (again = true);
      running = true;
      try {
        do {
          again = false;
          await catchUp();
        } while (again && !stopped);
      } catch (error) {
        // A busy file is read again at the next wake; anything else ends the subscriptions.
        if (!BUSY.test(String(error))) fail();
      } finally {
        running = false;
      }
    };
    const ready = (async () => {
      last = (await kv.get<number>(head)).value ?? 0;
      if (stopped) return;
      watch = kv.watch([head]).getReader();
      if (pollMs) timer = setInterval(wake, pollMs);
      (async () => {
        while (!stopped) {
          const { done } = await watch.read();
          if (done) break;
          wake();
        }
      })().catch(() => {}).finally(fail);
    })();
    const self = { ready, stop };
    return self;
  };

  /** Stops following the log when nobody in this isolate listens any more. */
  const idle = () => {
    if (subscribers.size || joining || !following) return;
    following.stop();
    following = undefined;
  };

  /** Appends an event under the next sequence number, retrying while other processes write. */
  const appendNow = async (event: HubEvent) => {
    await settleKv(attempts, "the event log", async () => {
      const current = await kv.get<number>(head);
      const sequence = (current.value ?? 0) + 1;
      const operation = kv.atomic()
        .check({ key: head, versionstamp: current.versionstamp })
        .set(head, sequence)
        .set(logged(sequence), { at: now(), event } satisfies Logged, { expireIn: logMs });
      if (sequence > logLength) operation.delete(logged(sequence - logLength));
      return (await operation.commit()).ok || undefined;
    });
  };
  /** Appends one at a time, in the order the stage lets events out. */
  let tail: Promise<void> = Promise.resolve();
  const appending = new Map<string, Promise<void>>();
  const stage = createOrderStage((event) => {
    const done = tail.then(() => appendNow(event));
    tail = done.catch(() => {});
    appending.set(event.id, done);
    done.catch((error) => {
      // Released by the timer: nobody awaits it; say so (no event content, only its id).
      if (appending.get(event.id) === done) {
        console.error(`Deno KV hub: event ${event.id} could not be appended: ${error}`);
      }
    }).finally(() => {
      if (appending.get(event.id) === done) appending.delete(event.id);
    });
  }, { windowMs: bounds.orderWindowMs, timers: options.orderTimers });

  return {
    get subscribers() {
      return subscribers.size;
    },
    async publish(event) {
      const seen: KvKeyLike = [...base, "seen", event.id];
      let remembered: KvEntry<number> | undefined;
      const fresh = await settleKv(attempts, "the event log", async () => {
        // Read first: a redelivery is told without a write, and a KV that cannot be read fails
        // the publish here (503) rather than the append later.
        remembered ??= await kv.get<number>(seen);
        // KV deletes expired keys lazily: the value is when the id is forgotten.
        if (remembered?.value != null && remembered.value > now()) return false;
        const operation = kv.atomic()
          .check({ key: seen, versionstamp: remembered?.versionstamp ?? null })
          .set(seen, now() + dedupeMs, { expireIn: dedupeMs });
        if ((await operation.commit()).ok) return true;
        // The id is remembered (by another process, maybe at this moment).
        remembered = await kv.get<number>(seen);
      });
      if (!fresh) return false;
      stage.add(event);
      // Let out at once (no window): the append is part of the publish.
      const done = appending.get(event.id);
      if (done) {
        appending.delete(event.id);
        try {
          await done;
        } catch (error) {
          await kv.atomic().delete(seen).commit().catch(() => {});
          throw error;
        }
      }
      return true;
    },
    async since(position): Promise<HistoryRead> {
      const latest = (await kv.get<number>(head)).value ?? 0;
      const headOf = latest ? { head: String(latest) } : {};
      const after = /^\d{1,15}$/.test(position) ? Number(position) : NaN;
      const reset = { reset: true, events: [], ...headOf };
      if (!(after <= latest)) return reset;
      const events = [];
      let expected = after + 1;
      const oldest = now() - logMs;
      for await (
        const entry of kv.list<Logged>({ start: logged(after + 1), end: logged(latest + 1) })
      ) {
        const sequence = entry.key[entry.key.length - 1];
        // A gap (pushed out or expired; KV deletes expired keys lazily): what was there is lost.
        if (sequence !== expected || !entry.value?.event || entry.value.at <= oldest) return reset;
        events.push({ position: String(sequence), event: entry.value.event });
        expected++;
      }
      return expected == latest + 1 ? { reset: false, events, ...headOf } : reset;
    },
    async subscribe(subscription) {
      if (subscription.signal.aborted) return;
      const current = following ??= follow();
      joining++;
      try {
        await current.ready;
      } catch (error) {
        if (following === current) {
          current.stop();
          following = undefined;
        }
        throw error;
      } finally {
        joining--;
      }
      if (following !== current) throw new Error("Deno KV: the event log stopped being followed");
      if (subscription.signal.aborted) return idle();
      subscribers.add(subscription);
      subscription.signal.addEventListener("abort", () => {
        subscribers.delete(subscription);
        idle();
      }, { once: true });
    },
    close() {
      stage.close();
      following?.stop();
      following = undefined;
      endAll();
    },
  };
}
