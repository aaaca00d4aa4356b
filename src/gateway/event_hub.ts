/**
 * Where callback events fan out to `/events` subscribers: the one small interface every hub
 * implements, and the hub in this isolate's memory (one process; the default). The hubs that
 * reach other isolates are the platforms' (`src/adapters/`): `BroadcastChannel` and Deno KV
 * (`@wangsu/sdk/adapters/deno`), a Durable Object (`@wangsu/sdk/adapters/cloudflare`). Each hub
 * delivers an event to each subscriber once, however often the platform redelivers the callback.
 *
 * @module
 */

import type { CallbackEvent } from "../callbacks/parse.ts";
import { createIdMemory } from "../server/state_store.ts";

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

/**
 * Event ids seen lately: `false` for one seen within the dedupe window (at most 50 000 held).
 *
 * @param options Dedupe window and clock.
 * @returns Whether an id is new.
 */
export const createSeenIds = ({ dedupeMs = 600_000, now = Date.now }: HubOptions = {}) => {
  const remember = createIdMemory(now, 50_000);
  return (id: string): boolean => remember(id, now() + dedupeMs);
};

/**
 * This isolate's subscribers of a hub: `send` hands an event to each (one's failure is its own).
 *
 * @returns The set, with `add`, `size` and `send`.
 */
export const fanOut = () => {
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
