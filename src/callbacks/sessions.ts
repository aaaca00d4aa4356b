/**
 * Events in the platform's order, and pushes as sessions. Callbacks arrive late and out of order
 * (a ban's `push.stopped` and `channel.banned` come side by side, either first); these are pure
 * state machines, with no timers and no I/O, that put them back in order and pair them:
 *
 * - {@link createEventOrder} holds each event for a short window after it arrives and lets events
 *   out per channel in the order of their `time`; one that arrives after a later event of its
 *   channel was already let out passes at once, flagged `late`.
 * - {@link createSessionTracker} pairs each `push.stopped` with its channel's `push.started` into
 *   a {@link PushSession} (start, end, duration, reason), and says so when a start or a stop is
 *   missing.
 *
 * The caller owns the clock: it passes each arrival time in, and calls `release` at
 * `nextReleaseAt()` (a timer, a Durable Object alarm).
 *
 * @module
 */

import { wholeNumberAtLeast } from "../errors.ts";
import type { CallbackEvent } from "./parse.ts";

/** An event let out by an {@link EventOrder}. */
export interface OrderedEvent<E> {
  /** The event. */
  event: E;
  /** When it arrived (the clock given to `add`), Unix ms. */
  arrivedAt: number;
  /**
   * It arrived after a later event of its channel had been let out, so it could not be put in
   * order: it passed at once. Consumers that keep state should not let it undo newer state.
   */
  late: boolean;
}

/** Options of {@link createEventOrder}. */
export interface EventOrderOptions<E> {
  /** How long each event is held after it arrives, ms (default 2 000; 0 lets everything pass). */
  windowMs?: number;
  /**
   * Most events held at once (default 1 000). One more lets out early the earliest event of the
   * channel holding the event that arrived first, so memory stays bounded under any load.
   */
  maxHeld?: number;
  /**
   * Most channels whose last released time is remembered, to flag late events (default 10 000;
   * the least recently seen is forgotten, and a late event of a forgotten channel is not flagged).
   */
  maxChannels?: number;
  /**
   * The channel of an event; `undefined` lets the event pass at once. Default: its `pullId`, or
   * `task:` + its `taskId` for task events without one.
   */
  channelOf?: (event: E) => string | undefined;
}

/** The state machine {@link createEventOrder} returns. */
export interface EventOrder<E> {
  /**
   * Takes an event as it arrives.
   *
   * @param event The event.
   * @param arrivedAt Now, Unix ms.
   * @returns What may go out now, in event-time order per channel (this event, if it has no
   *   channel, no window, or is late; and whatever is due at `arrivedAt`).
   */
  add(event: E, arrivedAt: number): OrderedEvent<E>[];
  /**
   * Lets out what is due: every held event whose window has passed, with the events of its
   * channel that are earlier in time.
   *
   * @param now Now, Unix ms.
   * @returns The events, in event-time order per channel.
   */
  release(now: number): OrderedEvent<E>[];
  /** When the next held event is due (call `release` then), or `undefined` when none is held. */
  nextReleaseAt(): number | undefined;
  /**
   * The events held, in arrival order, to keep across a restart (a Durable Object's storage):
   * `add`ing them with their `arrivedAt` to a fresh order holds them the same way. Which channels
   * had events let out, and when, is not part of it.
   */
  pending(): OrderedEvent<E>[];
  /** How many events are held. */
  readonly held: number;
}

interface Held<E> extends OrderedEvent<E> {
  channel: string;
  timeMs: number;
  sequence: number;
}

/**
 * A whole-number option of at least `min` (internal: shared with `webhooks.ts`, not re-exported
 * by `@wangsu/sdk/callbacks`).
 *
 * @param action The function the option belongs to, for the error.
 * @param name The option's name.
 * @param value The option as given.
 * @param min The least it may be.
 * @returns `value`.
 * @throws {WangsuValidationError} Naming the option, never the value.
 */
export const atLeast = (action: string, name: string, value: number, min: number): number =>
  wholeNumberAtLeast(name, value, min, { action });

const defaultChannel = (event: unknown) => {
  const { pullId, taskId } = event as { pullId?: unknown; taskId?: unknown };
  if (typeof pullId == "string") return pullId;
  return typeof taskId == "string" ? `task:${taskId}` : undefined;
};

const byTime = <E>(a: Held<E>, b: Held<E>) => a.timeMs - b.timeMs || a.sequence - b.sequence;

/**
 * Creates an event order: events go in as they arrive, and come out per channel in the order of
 * their `time` once they have waited `windowMs`, or earlier when a later event of their channel
 * is due. Events that arrive within `windowMs` of one another therefore come out in order.
 * Events with the same time keep their arrival order. Memory is bounded by `maxHeld` events and
 * `maxChannels` remembered channels.
 *
 * @example
 * ```ts
 * import { type CallbackEvent, createEventOrder, parseCallback } from "@wangsu/sdk/callbacks";
 *
 * const order = createEventOrder<CallbackEvent>({ windowMs: 2000 });
 * order.add(parseCallback("?action=publish_done&pullId=p1&time=1767225660"), 0);
 * order.add(parseCallback("?action=publish&pullId=p1&time=1767225600"), 300);
 * console.log(order.release(2000).map((out) => out.event.type).join(" ")); // push.started push.stopped
 * ```
 *
 * @param options The window, the bounds and how to tell channels apart.
 * @returns The state machine.
 * @throws {WangsuValidationError} When an option is not a whole number in range.
 */
export function createEventOrder<E extends { time: string }>(
  options: EventOrderOptions<E> = {},
): EventOrder<E> {
  const check = (name: string, value: number, min: number) =>
    atLeast("createEventOrder", name, value, min);
  const windowMs = check("windowMs", options.windowMs ?? 2000, 0);
  const maxHeld = check("maxHeld", options.maxHeld ?? 1000, 1);
  const maxChannels = check("maxChannels", options.maxChannels ?? 10_000, 1);
  const channelOf = options.channelOf ?? defaultChannel;
  /** Held events by channel, each list in event-time order. */
  const holding = new Map<string, Held<E>[]>();
  /** The latest time let out per channel, least recently seen first. */
  const released = new Map<string, number>();
  let held = 0, sequence = 0;

  const remember = (channel: string, timeMs: number) => {
    const last = released.get(channel);
    released.delete(channel);
    released.set(channel, Math.max(last ?? timeMs, timeMs));
    if (released.size > maxChannels) released.delete(released.keys().next().value!);
  };
  /** Takes the first `count` events of a channel out, in order. */
  const take = (channel: string, list: Held<E>[], count: number): OrderedEvent<E>[] => {
    const out = list.splice(0, count);
    held -= out.length;
    if (!list.length) holding.delete(channel);
    for (const item of out) remember(channel, item.timeMs);
    return out.map(({ event, arrivedAt }) => ({ event, arrivedAt, late: false }));
  };
  const release = (now: number): OrderedEvent<E>[] => {
    const out: OrderedEvent<E>[] = [];
    for (const [channel, list] of holding) {
      // The last event in time order that is due takes every earlier one with it.
      let count = 0;
      list.forEach((item, index) => {
        if (item.arrivedAt + windowMs <= now) count = index + 1;
      });
      if (count) out.push(...take(channel, list, count));
    }
    return out;
  };
  const oldestArrival = () => {
    let oldest: Held<E> | undefined;
    for (const list of holding.values()) {
      for (const item of list) {
        if (!oldest || item.arrivedAt < oldest.arrivedAt) oldest = item;
      }
    }
    return oldest;
  };

  return {
    add(event, arrivedAt) {
      const channel = channelOf(event);
      const timeMs = Date.parse(event.time);
      if (channel === undefined || Number.isNaN(timeMs)) return [{ event, arrivedAt, late: false }];
      const last = released.get(channel);
      if (last !== undefined && timeMs < last) {
        remember(channel, timeMs);
        return [{ event, arrivedAt, late: true }];
      }
      const item: Held<E> = {
        event,
        arrivedAt,
        late: false,
        channel,
        timeMs,
        sequence: sequence++,
      };
      const list = holding.get(channel) ?? [];
      list.push(item);
      list.sort(byTime);
      holding.set(channel, list);
      held++;
      const out: OrderedEvent<E>[] = [];
      if (held > maxHeld) {
        const oldest = oldestArrival()!;
        out.push(...take(oldest.channel, holding.get(oldest.channel)!, 1));
      }
      out.push(...release(arrivedAt));
      return out;
    },
    release,
    nextReleaseAt() {
      const oldest = oldestArrival();
      return oldest && oldest.arrivedAt + windowMs;
    },
    pending: () =>
      [...holding.values()].flat().sort((a, b) => a.sequence - b.sequence)
        .map(({ event, arrivedAt }) => ({ event, arrivedAt, late: false })),
    get held() {
      return held;
    },
  };
}

/** One push, from its `push.started` to its `push.stopped`. */
export interface PushSession {
  /** Channel id. */
  pullId: string;
  /**
   * `complete`: both ends seen. `missing_start`: a stop with no start before it (lost, or earlier
   * than the open start). `missing_stop`: a start not followed by its stop: another start came
   * (then `end` is that start's time, the latest the push can have ended), or the session was
   * dropped to keep memory bounded (then there is no `end`).
   */
  status: "complete" | "missing_start" | "missing_stop";
  /** When the push started (ISO 8601), when known. */
  start?: string;
  /** When it ended (ISO 8601), when known. */
  end?: string;
  /** `end` − `start`, ms, when both are known. */
  durationMs?: number;
  /** Why it stopped (the `push.stopped` event's `reason`), when sent. */
  reason?: string;
  /** The `push.started` event's id, when there was one. */
  startEventId?: string;
  /** The id of the event that ended it (a `push.stopped`, or the next `push.started`). */
  endEventId?: string;
}

/** A push that has started and not yet stopped. */
export interface OpenSession {
  /** Channel id. */
  pullId: string;
  /** When it started (ISO 8601). */
  start: string;
  /** The `push.started` event's id. */
  startEventId: string;
}

/** Options of {@link createSessionTracker}. */
export interface SessionTrackerOptions {
  /**
   * Most open sessions kept (default 10 000). One more closes the one opened first as
   * `missing_stop` with no `end`.
   */
  maxOpen?: number;
}

/** The state machine {@link createSessionTracker} returns. */
export interface SessionTracker {
  /**
   * Takes the next event, in event-time order per channel (an {@link EventOrder}'s output).
   * Events other than `push.started` and `push.stopped` are ignored.
   *
   * @param event The event.
   * @returns The sessions it closes (usually none or one).
   */
  add(event: CallbackEvent): PushSession[];
  /** The pushes open now, opened first first. */
  open(): OpenSession[];
}

/**
 * Creates a session tracker: each `push.stopped` closes its channel's open `push.started` into a
 * {@link PushSession}. A stop with no start, and a start while one is open, are reported with
 * their `status` rather than guessed away.
 *
 * @example
 * ```ts
 * import { createSessionTracker, parseCallback } from "@wangsu/sdk/callbacks";
 *
 * const tracker = createSessionTracker();
 * tracker.add(parseCallback("?action=publish&pullId=p1&time=1767225600"));
 * const [session] = tracker.add(
 *   parseCallback("?action=publish_done&pullId=p1&reason=stop&time=1767229200"),
 * );
 * console.log(session.status, session.durationMs, session.reason); // complete 3600000 stop
 * ```
 *
 * @param options The bound on open sessions.
 * @returns The state machine.
 * @throws {WangsuValidationError} When `maxOpen` is not a whole number of at least 1.
 */
export function createSessionTracker(options: SessionTrackerOptions = {}): SessionTracker {
  const maxOpen = atLeast("createSessionTracker", "maxOpen", options.maxOpen ?? 10_000, 1);
  const opened = new Map<string, OpenSession>();
  const since = (start: string, end: string) => Date.parse(end) - Date.parse(start);
  const unended = (open: OpenSession): PushSession => ({
    pullId: open.pullId,
    status: "missing_stop",
    start: open.start,
    startEventId: open.startEventId,
  });

  return {
    add(event) {
      if (event.type != "push.started" && event.type != "push.stopped") return [];
      const open = opened.get(event.pullId);
      if (event.type == "push.started") {
        const closed: PushSession[] = [];
        if (open) {
          // A second start: the first push ended by now, its stop was lost.
          closed.push({
            ...unended(open),
            end: event.time,
            durationMs: since(open.start, event.time),
            endEventId: event.id,
          });
        }
        opened.delete(event.pullId);
        opened.set(event.pullId, {
          pullId: event.pullId,
          start: event.time,
          startEventId: event.id,
        });
        if (opened.size > maxOpen) {
          const [first] = opened.values();
          opened.delete(first.pullId);
          closed.push(unended(first));
        }
        return closed;
      }
      const reason = event.reason === undefined ? {} : { reason: event.reason };
      if (!open || since(open.start, event.time) < 0) {
        // No start, or a stop older than the open start (the stop of an earlier push).
        return [{
          pullId: event.pullId,
          status: "missing_start",
          end: event.time,
          ...reason,
          endEventId: event.id,
        }];
      }
      opened.delete(event.pullId);
      return [{
        pullId: event.pullId,
        status: "complete",
        start: open.start,
        end: event.time,
        durationMs: since(open.start, event.time),
        ...reason,
        startEventId: open.startEventId,
        endEventId: event.id,
      }];
    },
    open: () => [...opened.values()].map((open) => ({ ...open })),
  };
}

/**
 * Pairs a list of push events, already in event-time order per channel, into sessions: a
 * {@link createSessionTracker} fed every event.
 *
 * @param events The events, in order.
 * @returns The sessions closed, in the order they closed, and the pushes still open.
 */
export function pairSessions(
  events: Iterable<CallbackEvent>,
): { sessions: PushSession[]; open: OpenSession[] } {
  const tracker = createSessionTracker();
  const sessions: PushSession[] = [];
  for (const event of events) sessions.push(...tracker.add(event));
  return { sessions, open: tracker.open() };
}
