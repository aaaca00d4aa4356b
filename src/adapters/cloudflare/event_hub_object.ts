/**
 * The Durable Object behind the Workers gateway's event hub (`createDurableObjectHub`): it keeps
 * the ids of recent events in SQLite to drop redeliveries, puts the events of every isolate in
 * order (one order stage for the account, in the object's memory), appends each to its history
 * table under the next sequence number (the position every isolate's `/events` resumes from), and
 * holds every subscriber's WebSocket through the hibernation API, so an idle hub costs nothing
 * while sockets stay open. Events held in the order window live in the object's memory: if the
 * object is evicted within that window they are lost to `/events` (the reconciler's correction
 * makes them up), as are the open push sessions (a later stop then has `missing_start`).
 *
 * @module
 */

// @ts-types="./workers_types.ts"
import { DurableObject } from "cloudflare:workers";
import type { DurableObjectState } from "./workers_types.ts";
import type { CallbackEvent } from "../../callbacks/parse.ts";
import type { EventHubRpcOptions } from "./durable_object_hub.ts";
import {
  createOrderStage,
  historyBounds,
  type HistoryRead,
  type HubEvent,
} from "../../gateway/event_hub.ts";

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
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS history " +
        "(seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, event TEXT NOT NULL)",
    );
  }

  #stage?: ReturnType<typeof createOrderStage>;
  #bounds = historyBounds();

  /** Appends an event to the history and sends it to every subscriber under its position. */
  #append(event: HubEvent): void {
    const sql = this.ctx.storage.sql;
    const now = Date.now();
    const text = JSON.stringify(event);
    const [{ seq }] = sql.exec<{ seq: number }>(
      "INSERT INTO history (at, event) VALUES (?, ?) RETURNING seq",
      now,
      text,
    ).toArray();
    // The newest row stays, however old: it holds the head, from which positions go on.
    sql.exec(
      "DELETE FROM history WHERE seq <= ? OR (at <= ? AND seq < ?)",
      seq - this.#bounds.historyLength,
      now - this.#bounds.historyMs,
      seq,
    );
    const frame = JSON.stringify({ position: String(seq), event });
    for (const socket of this.ctx.getWebSockets()) {
      try {
        socket.send(frame);
      } catch {
        // A socket closing under us: its subscriber reconnects.
      }
    }
  }

  /**
   * The history after a position: the events after it, or a reset when it is not in the history.
   *
   * @param position A position (`Last-Event-ID`).
   * @param options The history bounds (as `publish` takes them).
   * @returns The events after it, and the newest position.
   */
  since(position: string, options?: EventHubRpcOptions): HistoryRead {
    if (options) this.#bounds = historyBounds(options);
    const sql = this.ctx.storage.sql;
    const [{ head, oldest }] = sql.exec<{ head: number | null; oldest: number | null }>(
      "SELECT MAX(seq) AS head, MIN(CASE WHEN at > ? THEN seq END) AS oldest FROM history",
      Date.now() - this.#bounds.historyMs,
    ).toArray();
    const newest = head ?? 0;
    const headOf = newest ? { head: String(newest) } : {};
    const after = /^\d{1,15}$/.test(position) ? Number(position) : NaN;
    const first = oldest ?? newest + 1;
    if (!(after >= first - 1 && after <= newest)) return { reset: true, events: [], ...headOf };
    const events = sql.exec<{ seq: number; event: string }>(
      "SELECT seq, event FROM history WHERE seq > ? ORDER BY seq",
      after,
    ).toArray().map((row) => ({ position: String(row.seq), event: JSON.parse(row.event) }));
    return { reset: false, events, ...headOf };
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
   * Takes an event, unless its id was seen within `dedupeMs`: it goes through the order stage into
   * the history, and to every subscriber.
   *
   * @param event The event (its `id` keys the dedupe).
   * @param options How long ids are kept (or the whole options), the history bounds and window.
   * @returns Whether it was new.
   */
  publish(event: CallbackEvent, options: number | EventHubRpcOptions): boolean {
    const { dedupeMs, ...bounds } = typeof options == "number" ? { dedupeMs: options } : options;
    this.#bounds = historyBounds(bounds);
    this.#stage ??= createOrderStage((out) => this.#append(out), {
      windowMs: this.#bounds.orderWindowMs,
    });
    const now = Date.now();
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM events WHERE expires <= ?", now);
    const fresh =
      sql.exec("INSERT OR IGNORE INTO events (id, expires) VALUES (?, ?)", event.id, now + dedupeMs)
        .rowsWritten > 0;
    if (!fresh) return false;
    this.#stage.add(event);
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
