/**
 * The Durable Object behind the Workers gateway's event hub (`createDurableObjectHub`): it keeps
 * the ids of recent events in SQLite to drop redeliveries, and holds every subscriber's
 * WebSocket through the hibernation API, so an idle hub costs nothing while sockets stay open.
 *
 * @module
 */

// @ts-types="./workers_types.ts"
import { DurableObject } from "cloudflare:workers";
import type { DurableObjectState } from "./workers_types.ts";

/** workerd's pair of connected WebSockets (a global there): one end returned, the other kept. */
declare const WebSocketPair: new () => { 0: WebSocket; 1: WebSocket };

/** The hub object: one per account (`idFromName("account")`). */
export class GatewayEventHub extends DurableObject {
  /** Creates the object and its table. @param ctx State. @param env Bindings. */
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, expires INTEGER NOT NULL)",
    );
  }

  /** Accepts a subscriber's WebSocket (hibernatable). @param request The upgrade request. */
  fetch(request: Request): Response {
    if (request.headers.get("upgrade")?.toLowerCase() != "websocket") {
      return new Response("Subscribe with a WebSocket", { status: 426 });
    }
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client } as ResponseInit);
  }

  /**
   * Sends an event to every subscriber, unless its id was seen within `dedupeMs`.
   *
   * @param event The event (its `id` keys the dedupe).
   * @param dedupeMs How long ids are kept.
   * @returns Whether it was new.
   */
  publish(event: { id: string }, dedupeMs: number): boolean {
    const now = Date.now();
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM events WHERE expires <= ?", now);
    const fresh =
      sql.exec("INSERT OR IGNORE INTO events (id, expires) VALUES (?, ?)", event.id, now + dedupeMs)
        .rowsWritten > 0;
    if (!fresh) return false;
    const text = JSON.stringify(event);
    for (const socket of this.ctx.getWebSockets()) {
      try {
        socket.send(text);
      } catch {
        // A socket closing under us: its subscriber reconnects.
      }
    }
    return true;
  }

  /** Subscribers only listen. */
  webSocketMessage(): void {}

  /** Completes the close handshake. @param socket The socket. @param code Close code. */
  webSocketClose(socket: WebSocket, code: number): void {
    try {
      socket.close(code == 1005 ? 1000 : code, "closed");
    } catch {
      // Already closed.
    }
  }
}
