/**
 * The event hub over `BroadcastChannel`: on Deno Deploy it reaches every isolate of the
 * deployment, in one Deno process its workers. Each isolate drops the event ids it has seen.
 *
 * What it can promise is per isolate: each isolate puts the events it receives in order (its own
 * order stage) and keeps its own bounded history in memory, with positions of its own
 * (`<epoch>.<n>`). A subscriber that reconnects to the same isolate resumes; one that lands on
 * another isolate, or after the isolate restarted, gets a `reset` (its position is not that
 * isolate's), never a wrong replay. A message the channel does not deliver (an isolate starting,
 * the platform's best effort) is not made up. For resuming across isolates, use Deno KV.
 *
 * @module
 */

import type { CallbackEvent } from "../../callbacks/parse.ts";
import { createMemoryHub, type EventHub, type HubOptions } from "../../gateway/event_hub.ts";

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
 * @param options Channel name, dedupe window, history bounds, order window and clocks.
 * @returns The hub.
 * @throws {WangsuValidationError} When a bound or the window is not a whole number in range.
 */
export function createBroadcastChannelHub(
  options: BroadcastChannelHubOptions = {},
): EventHub & {
  /** Subscriptions attached now, in this isolate. */
  readonly subscribers: number;
  /** Closes the channel (it reopens on next use). */
  close(): void;
} {
  // This isolate's hub (seen ids, order stage, history, subscribers); the channel carries what
  // is published here to the other isolates, each of which publishes it to its own.
  const local = createMemoryHub(options);
  let channel: BroadcastChannel | undefined;
  const open = () => {
    if (channel) return channel;
    channel = new BroadcastChannel(options.name ?? "wangsu-gateway-events");
    channel.onmessage = (message: MessageEvent<CallbackEvent>) => {
      const event = message.data;
      if (typeof event?.id == "string") void local.publish(event);
    };
    return channel;
  };
  return {
    get subscribers() {
      return local.subscribers;
    },
    async publish(event) {
      const broadcast = open();
      const fresh = await local.publish(event);
      if (fresh) broadcast.postMessage(event);
      return fresh;
    },
    subscribe(subscription) {
      open();
      return local.subscribe(subscription);
    },
    since: (position) => local.since(position),
    /** Closes the channel (it reopens on next use). */
    close() {
      local.close();
      channel?.close();
      channel = undefined;
    },
  };
}
