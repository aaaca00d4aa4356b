/**
 * The event hub on a Cloudflare Durable Object (`GatewayEventHub` in `event_hub_object.ts`,
 * which the worker exports and binds as `GATEWAY_EVENTS`): one object per account receives every
 * event by RPC, drops redeliveries against its own SQLite table, and sends each event to every
 * subscriber over a hibernatable WebSocket. Each `/events` subscriber on any isolate holds one such
 * socket, so an event received by one isolate reaches subscribers on all of them.
 *
 * @module
 */

import type { CallbackEvent } from "../../callbacks/parse.ts";
import type { EventHub } from "../../gateway/event_hub.ts";

/** The stub of the hub object, as much of it as the gateway uses. */
export interface EventHubStub {
  /** RPC: publishes an event; `false` for a redelivery within `dedupeMs`. */
  publish(event: CallbackEvent, dedupeMs: number): Promise<boolean>;
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
 *   how long redeliveries are dropped (default 10 minutes).
 * @returns The hub.
 */
export function createDurableObjectHub(
  namespace: EventHubNamespace,
  options: { name?: string; dedupeMs?: number } = {},
): EventHub {
  const object = () => namespace.get(namespace.idFromName(options.name ?? "account") as never);
  return {
    publish: (event) => object().publish(event, options.dedupeMs ?? 600_000),
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
          onEvent(JSON.parse(String(data)));
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
