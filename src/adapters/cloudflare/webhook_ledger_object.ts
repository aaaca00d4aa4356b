/**
 * The Durable Object behind the webhooks' ledger on Workers (see
 * `createDurableObjectWebhookLedger`), bound as `GATEWAY_WEBHOOK_LEDGER`: which messages were
 * delivered (marks with expiry, swept by an alarm) and the dead letters, in SQLite storage.
 *
 * @module
 */

// @ts-types="./workers_types.ts"
import { DurableObject } from "cloudflare:workers";
import type { DurableObjectState } from "./workers_types.ts";
import type { WebhookDeadLetter } from "../../gateway/webhooks/ledger.ts";

/** Delivered marks and dead letters in one object's SQLite storage; an alarm sweeps old marks. */
export class GatewayWebhookLedger extends DurableObject<Record<string, unknown>> {
  /**
   * Opens the object's tables.
   *
   * @param ctx The object's state.
   * @param env Bindings of the hosting worker.
   */
  constructor(ctx: DurableObjectState, env: Record<string, unknown>) {
    super(ctx, env);
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS delivered (key TEXT PRIMARY KEY, expires INTEGER NOT NULL);
       CREATE INDEX IF NOT EXISTS delivered_by_expiry ON delivered (expires);
       CREATE TABLE IF NOT EXISTS dead (key TEXT PRIMARY KEY, letter TEXT NOT NULL);`,
    );
  }

  /** See `WebhookLedger.delivered`. */
  delivered(key: string): boolean {
    return this.ctx.storage.sql.exec(
      "SELECT 1 FROM delivered WHERE key = ? AND expires > ?",
      key,
      Date.now(),
    ).toArray().length > 0;
  }

  /** See `WebhookLedger.markDelivered`. */
  async markDelivered(key: string, expiresAt: number): Promise<void> {
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO delivered (key, expires) VALUES (?, ?)",
      key,
      expiresAt,
    );
    if (await this.ctx.storage.getAlarm() == null) await this.ctx.storage.setAlarm(expiresAt);
  }

  /** See `WebhookLedger.putDeadLetter`. */
  putDeadLetter(letter: WebhookDeadLetter): void {
    this.ctx.storage.sql.exec(
      "INSERT OR REPLACE INTO dead (key, letter) VALUES (?, ?)",
      letter.key,
      JSON.stringify(letter),
    );
  }

  /** See `WebhookLedger.listDeadLetters`. */
  listDeadLetters(limit: number): WebhookDeadLetter[] {
    return this.ctx.storage.sql.exec<{ letter: string }>(
      "SELECT letter FROM dead ORDER BY key LIMIT ?",
      limit,
    ).toArray().map((row) => JSON.parse(row.letter));
  }

  /** See `WebhookLedger.getDeadLetter`. */
  getDeadLetter(key: string): WebhookDeadLetter | undefined {
    const [row] = this.ctx.storage.sql.exec<{ letter: string }>(
      "SELECT letter FROM dead WHERE key = ?",
      key,
    ).toArray();
    return row && JSON.parse(row.letter);
  }

  /** See `WebhookLedger.deleteDeadLetter`. */
  deleteDeadLetter(key: string): void {
    this.ctx.storage.sql.exec("DELETE FROM dead WHERE key = ?", key);
  }

  /** Deletes expired marks; comes back at the next expiry while any remain. */
  async alarm(): Promise<void> {
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM delivered WHERE expires <= ?", Date.now());
    const { next } = sql.exec<{ next: number | null }>(
      "SELECT MIN(expires) AS next FROM delivered",
    ).one();
    if (next != null) await this.ctx.storage.setAlarm(next);
  }
}
