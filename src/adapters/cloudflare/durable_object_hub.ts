/**
 * The event hub on a Cloudflare Durable Object (`GatewayEventHub` in `event_hub_object.ts`,
 * which the worker exports and binds as `GATEWAY_EVENTS`): one object per account receives every
 * event by RPC, drops redeliveries against its own SQLite table, and sends each event to every
 * subscriber over a hibernatable WebSocket. Each `/events` subscriber on any isolate holds one such
 * socket, so an event received by one isolate reaches subscribers on all of them. The object
 * orders the events of every isolate and keeps the history in its SQLite storage: a position is
 * its sequence number, one order for the account, so a subscriber may resume on any isolate.
 *
 * @module
 */

import type { CallbackEvent } from "../../callbacks/parse.ts";
import {
  type EventHub,
  historyBounds,
  type HistoryRead,
  type HubOptions,
} from "../../gateway/event_hub.ts";

/** What the hub sends the object with each call (the object checks the bounds and window). */
export interface EventHubRpcOptions {
  /** How long an event id is kept to drop redeliveries, ms. */
  dedupeMs: number;
  /** Most events the history keeps (as `HubOptions` has it). */
  historyLength?: number;
  /** Longest an event stays in the history, ms. */
  historyMs?: number;
  /** How long each event waits to be put in order, ms. */
  orderWindowMs?: number;
}

/** The stub of the hub object, as much of it as the gateway uses. */
export interface EventHubStub {
  /** RPC: publishes an event; `false` for a redelivery within `dedupeMs`. */
  publish(event: CallbackEvent, options: EventHubRpcOptions): Promise<boolean>;
  /** RPC: the history after a position. */
  since(position: string, options: EventHubRpcOptions): Promise<HistoryRead>;
  /** Opens a subscriber WebSocket (a request with `Upgrade: websocket`). */
  fetch(request: Request): Promise<Response>;
}

/** The binding of the hub's Durable Object namespace, as much of it as the hub uses. */
export interface EventHubNamespace {
  /** The id of the object with that name. */
  idFromName(name: string): unknown;
  /** A stub of the object. */
  get(id: never): EventHubStub;
}

interface WorkersWebSocket {
  accept(): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close" | "error", listener: () => void): void;
}

/**
 * Creates the hub over a Durable Object namespace.
 *
 * @param namespace The `GATEWAY_EVENTS` binding.
 * @param options `name`: the object's name, one per account (default `account`); `dedupeMs`:
 *   how long redeliveries are dropped (default 10 minutes); the history bounds and order window
 *   (`now` and `orderTimers` are the object's own, not taken).
 * @returns The hub.
 * @throws {WangsuValidationError} When a bound or the window is not a whole number in range.
 */
export function createDurableObjectHub(
  namespace: EventHubNamespace,
  options: { name?: string } & Omit<HubOptions, "now" | "orderTimers"> = {},
): EventHub {
  const object = () => namespace.get(namespace.idFromName(options.name ?? "account") as never);
  const bounds = { dedupeMs: options.dedupeMs ?? 600_000, ...historyBounds(options) };
  return {
    publish: (event) => object().publish(event, bounds),
    async since(position) {
      // A proxy from the RPC: read its fields into a plain object.
      const { reset, events, head } = await object().since(position, bounds);
      return {
        reset,
        events: events.map(({ position, event }) => ({ position, event })),
        ...(head === undefined ? {} : { head }),
      };
    },
    async subscribe({ onEvent, onEnd, signal }) {
      const response = await object().fetch(
        new Request("https://event-hub/subscribe", { headers: { upgrade: "websocket" } }),
      );
      const socket = (response as Response & { webSocket?: WorkersWebSocket }).webSocket;
      if (!socket) throw new Error(`The event hub refused the subscription (${response.status})`);
      socket.accept();
      let open = true;
      const end = () => {
        if (!open) return;
        open = false;
        onEnd?.();
      };
      socket.addEventListener("message", ({ data }) => {
        try {
          const { position, event } = JSON.parse(String(data));
          if (typeof position == "string" && typeof event?.id == "string") onEvent(event, position);
        } catch {
          // A frame that is not an event is not for us.
        }
      });
      socket.addEventListener("close", end);
      socket.addEventListener("error", end);
      const close = () => {
        open = false;
        try {
          socket.close(1000, "unsubscribed");
        } catch {
          // Already closed.
        }
      };
      if (signal.aborted) close();
      else signal.addEventListener("abort", close, { once: true });
    },
  };
}
