/**
 * The Durable Object behind the gateway's shared state on Workers (see
 * `createDurableObjectStore`), bound as `GATEWAY_STATE`. One object serialises the requests it receives, so its
 * check-then-write steps are atomic with no locking; its SQLite storage keeps the state across
 * restarts and evictions, and an alarm deletes what has expired, so storage stays bounded by what
 * a window holds. A replay shard holds at most `capacity` signatures, and one access key at most
 * `ownerShare` of them: when full it refuses new ones, and never forgets an unexpired one.
 *
 * @module
 */

// @ts-types="./workers_types.ts"
import { DurableObject } from "cloudflare:workers";
import type { DurableObjectState } from "./workers_types.ts";
import type { Reservation } from "../../server/state_store.ts";
import type { ChannelBelief } from "../../gateway/reconciler.ts";

/** How often expired rows are swept while any remain, ms (`GATEWAY_STATE_SWEEP_MS` overrides). */
const SWEEP_EVERY_MS = 60_000;
/** A replay shard's bounds when the caller gives none (an older store during a rollout). */
const DEFAULT_BOUNDS = { capacity: 100_000, ownerShare: 50_000 };
/** Most channels the reconciler's memory holds when the caller gives no bound. */
const CHANNEL_CAPACITY = 100_000;

/**
 * Replay memory, sliding-window slots and the reconciler's channel memory in one object's SQLite
 * storage.
 */
export class GatewayStateObject extends DurableObject<Record<string, unknown>> {
  #sweepScheduled = false;
  #sweepEveryMs: number;
  /** Rows of `seen` per owner, and in all: counted from storage on first use, then kept. */
  #owned?: Map<string, number>;
  #held = 0;
  /** No row of `seen` expires before this, Unix ms (a lower bound). */
  #nextExpiry = 0;
  /** When expired rows of `seen` are next deleted, Unix ms (at most once a second). */
  #purgeAt = 0;
  /** Rows of `channels`: counted from storage on first use, then kept (until a sweep). */
  #channels?: number;

  /**
   * Opens the object's tables (creating them, or adding what an older version lacked).
   *
   * @param ctx The object's state.
   * @param env Bindings of the hosting worker.
   */
  constructor(ctx: DurableObjectState, env: Record<string, unknown>) {
    super(ctx, env);
    this.#sweepEveryMs = Number(env.GATEWAY_STATE_SWEEP_MS) || SWEEP_EVERY_MS;
    const sql = ctx.storage.sql;
    sql.exec(
      `CREATE TABLE IF NOT EXISTS seen (
         id TEXT PRIMARY KEY, expires INTEGER NOT NULL, owner TEXT NOT NULL DEFAULT '');
       CREATE TABLE IF NOT EXISTS slots (bucket TEXT NOT NULL, expires INTEGER NOT NULL);
       CREATE INDEX IF NOT EXISTS slots_by_bucket ON slots (bucket, expires);`,
    );
    // Objects created before owners were counted: their rows count as one owner, "".
    const columns = sql.exec<{ name: string }>("PRAGMA table_info(seen)").toArray();
    if (!columns.some((column) => column.name == "owner")) {
      sql.exec("ALTER TABLE seen ADD COLUMN owner TEXT NOT NULL DEFAULT ''");
    }
    sql.exec("CREATE INDEX IF NOT EXISTS seen_by_expiry ON seen (expires)");
    // Tenancy: each object's owner (the object named `ownership` holds them), never expiring.
    sql.exec(
      `CREATE TABLE IF NOT EXISTS owners (id TEXT PRIMARY KEY, owner TEXT NOT NULL);
       CREATE INDEX IF NOT EXISTS owners_by_owner ON owners (owner);`,
    );
    // The reconciler's channel memory (the object named `channels` holds it), expiring.
    sql.exec(
      `CREATE TABLE IF NOT EXISTS channels (
         pull_id TEXT PRIMARY KEY, since TEXT NOT NULL, expires INTEGER NOT NULL,
         belief TEXT NOT NULL);
       CREATE INDEX IF NOT EXISTS channels_by_expiry ON channels (expires);`,
    );
  }

  /** See `StateStore.owners`. */
  owners(ids: readonly string[]): (string | undefined)[] {
    const sql = this.ctx.storage.sql;
    return ids.map((id) =>
      sql.exec<{ owner: string }>("SELECT owner FROM owners WHERE id = ?", id).toArray()[0]?.owner
    );
  }

  /** See `StateStore.setOwners`. */
  setOwners(ids: readonly string[], owner: string | undefined): void {
    const sql = this.ctx.storage.sql;
    for (const id of ids) {
      if (owner === undefined) sql.exec("DELETE FROM owners WHERE id = ?", id);
      else sql.exec("INSERT OR REPLACE INTO owners (id, owner) VALUES (?, ?)", id, owner);
    }
  }

  /** See `StateStore.ownedBy`. */
  ownedBy(owner: string): string[] {
    return this.ctx.storage.sql.exec<{ id: string }>(
      "SELECT id FROM owners WHERE owner = ? ORDER BY id",
      owner,
    ).toArray().map((row) => row.id);
  }

  /**
   * See `StateStore.remember`: `true` new (now held), `false` held and unexpired, `"full"` new
   * but refused, because the shard holds `bounds.capacity` ids or `owner` holds
   * `bounds.ownerShare` of them (ids without an owner count only towards the capacity).
   */
  remember(
    id: string,
    expiresAt: number,
    owner?: string,
    bounds: { capacity: number; ownerShare: number } = DEFAULT_BOUNDS,
  ): boolean | "full" {
    const now = Date.now();
    if (now >= this.#purgeAt) this.#purge(now);
    const sql = this.ctx.storage.sql;
    const owned = this.#counts();
    const [row] = sql.exec<{ expires: number; owner: string }>(
      "SELECT expires, owner FROM seen WHERE id = ?",
      id,
    ).toArray();
    if (row && row.expires > now) return false;
    if (row) {
      sql.exec("DELETE FROM seen WHERE id = ?", id);
      this.#count(row.owner, -1);
    }
    const full = () =>
      this.#held >= bounds.capacity ||
      (owner !== undefined && (owned.get(owner) ?? 0) >= bounds.ownerShare);
    if (full() && now >= this.#nextExpiry) this.#purge(now);
    if (full()) return "full";
    sql.exec("INSERT INTO seen (id, expires, owner) VALUES (?, ?, ?)", id, expiresAt, owner ?? "");
    this.#count(owner ?? "", 1);
    this.#nextExpiry = Math.min(this.#nextExpiry, expiresAt);
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

  /**
   * The reconciler's channel memory (see `createDurableObjectChannelMemory`): keeps `belief`
   * until `expiresAt` (Unix ms), unless the channel holds one with a later `since` that is
   * unexpired at `now` (the caller's clock). At most `capacity` channels: a new channel beyond
   * that takes the place of the ones that expire first (noted least lately).
   *
   * @returns Whether `belief` is now held.
   */
  noteChannel(
    belief: ChannelBelief,
    expiresAt: number,
    now: number = Date.now(),
    capacity: number = CHANNEL_CAPACITY,
  ): boolean {
    const sql = this.ctx.storage.sql;
    const [row] = sql.exec<{ since: string; expires: number }>(
      "SELECT since, expires FROM channels WHERE pull_id = ?",
      belief.pullId,
    ).toArray();
    if (row && row.expires > now && row.since > belief.since) return false;
    if (!row) {
      const held = this.#channels ??= sql.exec<{ held: number }>(
        "SELECT COUNT(*) AS held FROM channels",
      ).one().held;
      const over = held - Math.max(1, capacity) + 1;
      if (over > 0) {
        sql.exec(
          "DELETE FROM channels WHERE pull_id IN " +
            "(SELECT pull_id FROM channels ORDER BY expires LIMIT ?)",
          over,
        );
      }
      this.#channels = held - Math.max(0, over) + 1;
    }
    sql.exec(
      "INSERT OR REPLACE INTO channels (pull_id, since, expires, belief) VALUES (?, ?, ?, ?)",
      belief.pullId,
      belief.since,
      expiresAt,
      JSON.stringify(belief),
    );
    this.#scheduleSweep();
    return true;
  }

  /**
   * The reconciler's channel memory: the beliefs unexpired at `now` (the caller's clock), by
   * channel id, at most `limit` of them. Expired rows are deleted by the alarm.
   */
  recentChannels(now: number = Date.now(), limit: number = CHANNEL_CAPACITY): ChannelBelief[] {
    return this.ctx.storage.sql.exec<{ belief: string }>(
      "SELECT belief FROM channels WHERE expires > ? ORDER BY pull_id LIMIT ?",
      now,
      Math.max(0, limit),
    ).toArray().map((row) => JSON.parse(row.belief));
  }

  /** Deletes expired rows; comes back while any rows remain. */
  async alarm(): Promise<void> {
    const now = Date.now();
    const sql = this.ctx.storage.sql;
    this.#purge(now);
    sql.exec("DELETE FROM slots WHERE expires <= ?", now);
    sql.exec("DELETE FROM channels WHERE expires <= ?", now);
    this.#channels = undefined; // counted again when next needed
    const { left } = sql.exec<{ left: number }>(
      "SELECT (SELECT COUNT(*) FROM seen) + (SELECT COUNT(*) FROM slots) + " +
        "(SELECT COUNT(*) FROM channels) AS left",
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

  /** The rows of `seen` per owner, counted from storage the first time. */
  #counts(): Map<string, number> {
    if (this.#owned) return this.#owned;
    this.#owned = new Map();
    this.#held = 0;
    const rows = this.ctx.storage.sql.exec<{ owner: string; held: number }>(
      "SELECT owner, COUNT(*) AS held FROM seen GROUP BY owner",
    );
    for (const { owner, held } of rows.toArray()) this.#count(owner, held);
    return this.#owned;
  }

  #count(owner: string, change: number) {
    const owned = this.#owned;
    if (!owned) return; // not counted yet: counted from storage when first needed
    const held = (owned.get(owner) ?? 0) + change;
    if (held > 0) owned.set(owner, held);
    else owned.delete(owner);
    this.#held += change;
  }

  /** Deletes the expired rows of `seen` (by the index on expiry), keeping the counts right. */
  #purge(now: number) {
    const sql = this.ctx.storage.sql;
    if (this.#owned) {
      const expired = sql.exec<{ owner: string; held: number }>(
        "SELECT owner, COUNT(*) AS held FROM seen WHERE expires <= ? GROUP BY owner",
        now,
      );
      for (const { owner, held } of expired.toArray()) this.#count(owner, -held);
    }
    sql.exec("DELETE FROM seen WHERE expires <= ?", now);
    const { first } = sql.exec<{ first: number | null }>("SELECT MIN(expires) AS first FROM seen")
      .one();
    this.#nextExpiry = first ?? Infinity;
    this.#purgeAt = Math.max(this.#nextExpiry, now + 1_000);
  }

  #scheduleSweep() {
    if (this.#sweepScheduled) return;
    this.#sweepScheduled = true;
    this.ctx.storage.setAlarm(Date.now() + this.#sweepEveryMs).catch(() => {
      this.#sweepScheduled = false; // the next write tries again
    });
  }
}
