/**
 * The Durable Object behind the gateway's shared state on Workers (see
 * `src/gateway/durable_object_store.ts`). One object serialises the requests it receives, so its
 * check-then-write steps are atomic with no locking; its SQLite storage keeps the state across
 * restarts and evictions, and an alarm deletes what has expired, so storage stays bounded by what
 * a window holds.
 *
 * @module
 */

import { DurableObject, type DurableObjectState } from "cloudflare:workers";
import type { Reservation } from "../src/state_store.ts";

/** How often expired rows are swept while any remain, ms (`GATEWAY_STATE_SWEEP_MS` overrides). */
const SWEEP_EVERY_MS = 60_000;

/** Replay memory and sliding-window slots in one object's SQLite storage. */
export class GatewayStateObject extends DurableObject<Record<string, unknown>> {
  #sweepScheduled = false;
  #sweepEveryMs: number;

  /** @param ctx The object's state. @param env Bindings of the hosting worker. */
  constructor(ctx: DurableObjectState, env: Record<string, unknown>) {
    super(ctx, env);
    this.#sweepEveryMs = Number(env.GATEWAY_STATE_SWEEP_MS) || SWEEP_EVERY_MS;
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, expires INTEGER NOT NULL);
       CREATE TABLE IF NOT EXISTS slots (bucket TEXT NOT NULL, expires INTEGER NOT NULL);
       CREATE INDEX IF NOT EXISTS slots_by_bucket ON slots (bucket, expires);`,
    );
  }

  /** See `StateStore.remember`. */
  remember(id: string, expiresAt: number): boolean {
    const now = Date.now();
    const sql = this.ctx.storage.sql;
    const [row] = sql.exec<{ expires: number }>("SELECT expires FROM seen WHERE id = ?", id)
      .toArray();
    if (row && row.expires > now) return false;
    sql.exec("INSERT OR REPLACE INTO seen (id, expires) VALUES (?, ?)", id, expiresAt);
    this.#scheduleSweep();
    return true;
  }

  /** See `StateStore.reserve`. */
  reserve(bucket: string, limit: number, windowMs: number): Reservation {
    const now = Date.now();
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM slots WHERE bucket = ? AND expires <= ?", bucket, now);
    const { held, first } = sql.exec<{ held: number; first: number | null }>(
      "SELECT COUNT(*) AS held, MIN(expires) AS first FROM slots WHERE bucket = ?",
      bucket,
    ).one();
    if (held >= limit) return { ok: false, retryAfterMs: first! - now };
    sql.exec("INSERT INTO slots (bucket, expires) VALUES (?, ?)", bucket, now + windowMs);
    this.#scheduleSweep();
    return { ok: true };
  }

  /** Deletes expired rows; comes back while any rows remain. */
  async alarm(): Promise<void> {
    const now = Date.now();
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM seen WHERE expires <= ?", now);
    sql.exec("DELETE FROM slots WHERE expires <= ?", now);
    const { left } = sql.exec<{ left: number }>(
      "SELECT (SELECT COUNT(*) FROM seen) + (SELECT COUNT(*) FROM slots) AS left",
    ).one();
    this.#sweepScheduled = left > 0;
    if (left) await this.ctx.storage.setAlarm(now + this.#sweepEveryMs);
  }

  /** Rows held: what storage costs right now. */
  size(): { seen: number; slots: number } {
    return this.ctx.storage.sql.exec<{ seen: number; slots: number }>(
      "SELECT (SELECT COUNT(*) FROM seen) AS seen, (SELECT COUNT(*) FROM slots) AS slots",
    ).one();
  }

  #scheduleSweep() {
    if (this.#sweepScheduled) return;
    this.#sweepScheduled = true;
    this.ctx.storage.setAlarm(Date.now() + this.#sweepEveryMs).catch(() => {
      this.#sweepScheduled = false; // the next write tries again
    });
  }
}
