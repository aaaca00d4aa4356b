/**
 * Where callback events fan out to `/events` subscribers: the one small interface every hub
 * implements, and the hub in this isolate's memory (one process; the default). The hubs that
 * reach other isolates are the platforms' (`src/adapters/`): `BroadcastChannel` and Deno KV
 * (`@wangsu/sdk/adapters/deno`), a Durable Object (`@wangsu/sdk/adapters/cloudflare`). Each hub
 * delivers an event to each subscriber once, however often the platform redelivers the callback.
 *
 * Between the dedupe and the subscribers, every hub runs the same {@link createOrderStage}: events
 * wait a short window and come out per channel in the order of their `time`, and a `push.stopped`
 * carries its {@link PushSession}. Only then is an event given its position in the hub's bounded
 * history, so replayed and live events come in one order, with one position each.
 *
 * @module
 */

import type { CallbackEvent } from "../callbacks/parse.ts";
import {
  createEventOrder,
  createSessionTracker,
  type OrderedEvent,
  type PushSession,
} from "../callbacks/sessions.ts";
import { createIdMemory } from "../server/state_store.ts";
import { wholeOption } from "../server/whole_option.ts";

/**
 * An event as the hubs hand it out: the callback's event, and what the order stage adds. `id`
 * stays the callback's own id (the same for a redelivery); the position in the history is apart.
 */
export type HubEvent = CallbackEvent & {
  /** On `push.stopped`: the push it ends, from its `push.started` (start, end, duration, reason). */
  session?: PushSession;
  /**
   * It arrived after a later event of its channel had gone out (outside the order window): it
   * could not be put in order, and must not undo newer state.
   */
  late?: true;
};

/** An event and its position in a hub's history. */
export interface HistoryEntry {
  /** The position: the `id:` of the event on `/events`, which `Last-Event-ID` names. */
  position: string;
  /** The event. */
  event: HubEvent;
}

/** What a hub's history holds after a position (see {@link EventHub.since}). */
export interface HistoryRead {
  /**
   * `true` when the position is not in the history (older than its bound, from another history,
   * or not a position at all): what came after it cannot be told, re-read the state.
   */
  reset: boolean;
  /** The events after the position, oldest first (none on a reset). */
  events: HistoryEntry[];
  /** The position of the newest event in the history, if any. */
  head?: string;
}

/** A subscription to a hub. */
export interface HubSubscription {
  /**
   * Receives each event once, with its position in the hub's history (absent only from a hub
   * that keeps no history).
   */
  onEvent(event: HubEvent, position?: string): void;
  /** Called if the hub ends the subscription (its connection closed). */
  onEnd?(): void;
  /** Ends the subscription when aborted. */
  signal: AbortSignal;
}

/** Fans events out to subscribers on every isolate that shares the hub. */
export interface EventHub {
  /**
   * Publishes an event.
   *
   * @returns `false` when an event with the same id was published within the dedupe window.
   */
  publish(event: CallbackEvent): Promise<boolean>;
  /** Attaches a subscriber; resolves once it is attached. */
  subscribe(subscription: HubSubscription): Promise<void>;
  /**
   * Reads the history after a position (a `Last-Event-ID`). A hub without it has no history: a
   * subscriber that asks for one is told to reset.
   */
  since?(position: string): Promise<HistoryRead>;
}

/** The clock and timer of the order stage (tests inject virtual ones). */
export interface OrderTimers {
  /** Now, ms. */
  now(): number;
  /** Runs `wake` after `ms`; returns what `clear` takes. */
  set(wake: () => void, ms: number): unknown;
  /** Cancels a timer `set` returned. */
  clear(timer: unknown): void;
}

/** Options shared by the hubs. */
export interface HubOptions {
  /** How long an event id is remembered to drop redeliveries, ms (default 10 minutes). */
  dedupeMs?: number;
  /** Clock, Unix ms (default `Date.now`): the dedupe window and the history's age. */
  now?: () => number;
  /** Most events the history keeps for subscribers that resume (default 1 000). */
  historyLength?: number;
  /** Longest an event stays in the history, ms (default 600 000: 10 minutes). */
  historyMs?: number;
  /**
   * How long each event waits so that events of its channel that arrive out of order within it
   * come out in the order of their `time`, ms (default 1 000; `0`: no wait, arrival order).
   */
  orderWindowMs?: number;
  /** The order stage's clock and timer (default the real ones). */
  orderTimers?: OrderTimers;
}

/** The history bounds and the order window, as the gateway's `callbacks` options give them. */
type HistoryOptions = Pick<HubOptions, "historyLength" | "historyMs" | "orderWindowMs">;

/**
 * The history bounds and order window of the gateway's `callbacks` options, as given (unchecked;
 * one not set stays `undefined`), for the hub a gateway or a platform's entry builds.
 *
 * @param callbacks The callbacks options.
 * @returns `historyLength`, `historyMs` and `orderWindowMs`.
 */
export const historyOptionsOf = (callbacks: HistoryOptions): HistoryOptions => {
  const { historyLength, historyMs, orderWindowMs } = callbacks;
  return { historyLength, historyMs, orderWindowMs };
};

/** The history bounds and order window of `options`, checked, with their defaults. */
export const historyBounds = (options: HubOptions = {}) => ({
  historyLength: wholeOption(options.historyLength, "historyLength", 1, 1_000),
  historyMs: wholeOption(options.historyMs, "historyMs", 1, 600_000),
  orderWindowMs: wholeOption(options.orderWindowMs, "orderWindowMs", 0, 1_000),
});

const realTimers: OrderTimers = {
  now: () => performance.now(),
  set: (wake, ms) => setTimeout(wake, ms),
  clear: (timer) => clearTimeout(timer as number),
};

/**
 * The order stage every hub runs between its dedupe and its history: each event waits
 * `windowMs` and events come out per channel in the order of their `time`
 * (`createEventOrder`); each `push.stopped` that comes out carries the session it ends
 * (`createSessionTracker`), and an event that arrived too late to be put in order is flagged
 * `late`. With a window of 0 an event comes out at once, inside `add`.
 *
 * @param emit Receives each event as it comes out, in order.
 * @param options The window and the timers.
 * @returns `add` an event as it arrives; `close` drops what is held and stops the timer.
 */
export function createOrderStage(
  emit: (event: HubEvent) => void,
  options: { windowMs: number; timers?: OrderTimers },
): { add(event: CallbackEvent): void; close(): void } {
  const timers = options.timers ?? realTimers;
  const order = createEventOrder<CallbackEvent>({ windowMs: options.windowMs });
  const sessions = createSessionTracker();
  let timer: unknown;
  let due: number | undefined;
  const out = (released: OrderedEvent<CallbackEvent>[]) => {
    for (const { event, late } of released) {
      const closed = sessions.add(event);
      const session = event.type == "push.stopped"
        ? closed.find((s) => s.endEventId == event.id && s.status != "missing_stop")
        : undefined;
      const extra = { ...(session && { session }), ...(late && { late: true as const }) };
      try {
        emit(Object.keys(extra).length ? { ...event, ...extra } : event);
      } catch {
        // The emitter's failure is its own; the order goes on.
      }
    }
  };
  const schedule = () => {
    const next = order.nextReleaseAt();
    if (next === due) return;
    if (timer !== undefined) timers.clear(timer);
    timer = undefined;
    due = next;
    if (next === undefined) return;
    timer = timers.set(() => {
      timer = due = undefined;
      out(order.release(timers.now()));
      schedule();
    }, Math.max(0, next - timers.now()));
  };
  return {
    add(event) {
      out(order.add(event, timers.now()));
      schedule();
    },
    close() {
      // What is held is let go with the stage (a closing hub delivers nothing more).
      if (timer !== undefined) timers.clear(timer);
      timer = due = undefined;
    },
  };
}

/**
 * A history in this isolate's memory, for the memory and `BroadcastChannel` hubs: positions are
 * `<epoch>.<n>`, the epoch random per history, so a position from another isolate or from before
 * a restart is not mistaken for one of its own. It keeps the last `historyLength` events and
 * none older than `historyMs`.
 *
 * @param bounds The history's bounds, checked.
 * @param now Clock, Unix ms.
 * @returns `append` an event (its position), `since` a position.
 */
function createMemoryHistory(
  { historyLength, historyMs }: { historyLength: number; historyMs: number },
  now: () => number,
) {
  const epoch = crypto.randomUUID().slice(0, 8);
  const kept: (HistoryEntry & { at: number })[] = [];
  let count = 0;
  const prune = () => {
    const oldest = now() - historyMs;
    while (kept.length > historyLength || (kept.length && kept[0].at <= oldest)) kept.shift();
  };
  return {
    append(event: HubEvent): string {
      const position = `${epoch}.${++count}`;
      kept.push({ position, event, at: now() });
      prune();
      return position;
    },
    since(position: string): HistoryRead {
      prune();
      // The newest position (none before the first event).
      const head = count ? `${epoch}.${count}` : undefined;
      const [from, n] = position.split(".");
      const after = from == epoch && /^\d{1,15}$/.test(n ?? "") ? Number(n) : NaN;
      // Resumable from the one before the oldest kept to the newest: nothing after it was lost.
      const first = count - kept.length + 1;
      if (!(after >= first - 1 && after <= count)) return { reset: true, events: [], head };
      return {
        reset: false,
        events: kept.slice(after - first + 1).map(({ position, event }) => ({ position, event })),
        head,
      };
    },
  };
}

/**
 * Event ids seen lately: `false` for one seen within the dedupe window (at most 50 000 held).
 *
 * @param options Dedupe window and clock.
 * @returns Whether an id is new.
 */
const createSeenIds = ({ dedupeMs = 600_000, now = Date.now }: HubOptions = {}) => {
  const remember = createIdMemory(now, 50_000);
  return (id: string): boolean => remember(id, now() + dedupeMs);
};

/**
 * This isolate's subscribers of a hub: `send` hands an event to each (one's failure is its own).
 *
 * @returns The set, with `add`, `size` and `send`.
 */
const fanOut = () => {
  const subscribers = new Set<HubSubscription>();
  return {
    add(subscription: HubSubscription) {
      if (subscription.signal.aborted) return;
      subscribers.add(subscription);
      subscription.signal.addEventListener("abort", () => subscribers.delete(subscription), {
        once: true,
      });
    },
    get size() {
      return subscribers.size;
    },
    send(event: HubEvent, position?: string) {
      for (const subscriber of subscribers) {
        try {
          subscriber.onEvent(event, position);
        } catch {
          // One subscriber's failure is its own.
        }
      }
    },
  };
};

/**
 * A hub in this isolate's memory: right for one process (and the default). Events go through the
 * order stage, then into a bounded history (`historyLength`, `historyMs`) that `since` reads for
 * subscribers that resume. Its `subscribers` counts the subscriptions attached now (each `/events`
 * stream holds one until it ends), for monitoring and tests.
 *
 * @param options Dedupe window, history bounds, order window and clocks.
 * @returns The hub.
 * @throws {WangsuValidationError} When a bound or the window is not a whole number in range.
 */
export function createMemoryHub(
  options: HubOptions = {},
): EventHub & Required<Pick<EventHub, "since">> & {
  /** Subscriptions attached now. */
  readonly subscribers: number;
  /** Stops the order window's timers (events held in it are not delivered). */
  close(): void;
} {
  const bounds = historyBounds(options);
  const fresh = createSeenIds(options);
  const local = fanOut();
  const history = createMemoryHistory(bounds, options.now ?? Date.now);
  const stage = createOrderStage(
    (event) => local.send(event, history.append(event)),
    { windowMs: bounds.orderWindowMs, timers: options.orderTimers },
  );
  return {
    get subscribers() {
      return local.size;
    },
    publish(event) {
      if (!fresh(event.id)) return Promise.resolve(false);
      stage.add(event);
      return Promise.resolve(true);
    },
    subscribe(subscription) {
      local.add(subscription);
      return Promise.resolve();
    },
    since: (position) => Promise.resolve(history.since(position)),
    close: () => stage.close(),
  };
}
