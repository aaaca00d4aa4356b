/**
 * The event hub over `BroadcastChannel`: on Deno Deploy it reaches every isolate of the
 * deployment, in one Deno process its workers. Each isolate drops the event ids it has seen.
 *
 * @module
 */

import type { CallbackEvent } from "../../callbacks/parse.ts";
import { createSeenIds, type EventHub, fanOut, type HubOptions } from "../../gateway/event_hub.ts";

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
