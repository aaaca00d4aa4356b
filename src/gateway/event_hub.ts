/**
 * Where callback events fan out to `/events` subscribers. One small interface, three engines:
 * this isolate's memory (one process), `BroadcastChannel` (every isolate of a Deno Deploy
 * deployment, or the workers of one Deno process) and a Durable Object (every isolate of a
 * Workers deployment; see `createDurableObjectHub`). Each hub delivers an event to each
 * subscriber once, however often the platform redelivers the callback.
 *
 * @module
 */

import type { CallbackEvent } from "../callbacks/parse.ts";
import { createIdMemory } from "../state_store.ts";

/** A subscription to a hub. */
export interface HubSubscription {
  /** Receives each event once. */
  onEvent(event: CallbackEvent): void;
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
}

/** Options shared by the hubs. */
export interface HubOptions {
  /** How long an event id is remembered to drop redeliveries, ms (default 10 minutes). */
  dedupeMs?: number;
  /** Clock, Unix ms (default `Date.now`). */
  now?: () => number;
}

/** Event ids seen lately: `false` for one seen within the dedupe window (at most 50 000 held). */
const createSeenIds = ({ dedupeMs = 600_000, now = Date.now }: HubOptions = {}) => {
  const remember = createIdMemory(now, 50_000);
  return (id: string): boolean => remember(id, now() + dedupeMs);
};

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
    send(event: CallbackEvent) {
      for (const subscriber of subscribers) {
        try {
          subscriber.onEvent(event);
        } catch {
          // One subscriber's failure is its own.
        }
      }
    },
  };
};

/**
 * A hub in this isolate's memory: right for one process (and the default). Its `subscribers`
 * counts the subscriptions attached now (each `/events` stream holds one until it ends), for
 * monitoring and tests.
 *
 * @param options Dedupe window and clock.
 * @returns The hub.
 */
export function createMemoryHub(
  options: HubOptions = {},
): EventHub & {
  /** Subscriptions attached now. */
  readonly subscribers: number;
} {
  const fresh = createSeenIds(options);
  const local = fanOut();
  return {
    get subscribers() {
      return local.size;
    },
    publish(event) {
      if (!fresh(event.id)) return Promise.resolve(false);
      local.send(event);
      return Promise.resolve(true);
    },
    subscribe(subscription) {
      local.add(subscription);
      return Promise.resolve();
    },
  };
}

/** Options of {@link createBroadcastChannelHub}. */
export interface BroadcastChannelHubOptions extends HubOptions {
  /** Channel name (default `wangsu-gateway-events`). */
  name?: string;
}

/**
 * A hub over `BroadcastChannel`: on Deno Deploy it reaches every isolate of the deployment. Each
 * isolate drops ids it has seen, so a callback redelivered to another isolate still reaches each
 * subscriber once. The channel opens with the first subscriber or event. Its `subscribers`
 * counts this isolate's subscriptions attached now.
 *
 * @param options Channel name, dedupe window and clock.
 * @returns The hub.
 */
export function createBroadcastChannelHub(
  options: BroadcastChannelHubOptions = {},
): EventHub & {
  /** Subscriptions attached now, in this isolate. */
  readonly subscribers: number;
  /** Closes the channel (it reopens on next use). */
  close(): void;
} {
  const fresh = createSeenIds(options);
  const local = fanOut();
  let channel: BroadcastChannel | undefined;
  const open = () => {
    if (channel) return channel;
    channel = new BroadcastChannel(options.name ?? "wangsu-gateway-events");
    channel.onmessage = (message: MessageEvent<CallbackEvent>) => {
      const event = message.data;
      if (typeof event?.id == "string" && fresh(event.id)) local.send(event);
    };
    return channel;
  };
  return {
    get subscribers() {
      return local.size;
    },
    publish(event) {
      const broadcast = open();
      if (!fresh(event.id)) return Promise.resolve(false);
      local.send(event);
      broadcast.postMessage(event);
      return Promise.resolve(true);
    },
    subscribe(subscription) {
      open();
      local.add(subscription);
      return Promise.resolve();
    },
    /** Closes the channel (it reopens on next use). */
    close() {
      channel?.close();
      channel = undefined;
    },
  };
}
