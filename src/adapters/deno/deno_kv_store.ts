/**
 * The gateway's shared state on Deno KV (Deno Deploy, or a local file shared by processes).
 * `remember` is one atomic write guarded by "the key does not exist" and expiring with the
 * memory; `reserve` keeps a bucket's held slots in one value, updated by an atomic
 * compare-and-set and retried on conflict, so every isolate sees the same count.
 *
 * A KV value holds at most 64 KiB, which one expiry time per slot outgrew at about 5,465 slots.
 * The value holds instead how many slots free at each instant, the instants rounded up to a
 * 2,000th of the window: at most about 2,000 entries (under 40 KB) whatever the limit, and a slot
 * is held at most a 2,000th of its window longer than asked, never shorter.
 *
 * @module
 */

import type { Reservation, StateStore } from "../../server/state_store.ts";

/** A versioned entry, as `Deno.Kv.get` returns it. */
export interface KvEntry<T> {
  /** The key. */
  key: readonly unknown[];
  /** The value, `null` when there is none. */
  value: T | null;
  /** The version, `null` when there is no value. */
  versionstamp: string | null;
}

/** The part of `Deno.Kv` the store uses (so that this module needs no Deno types). */
export interface DenoKvLike {
  /** Reads an entry. */
  get<T>(key: readonly unknown[]): Promise<KvEntry<T>>;
  /** Starts an atomic operation. */
  atomic(): {
    check(...checks: { key: readonly unknown[]; versionstamp: string | null }[]): ReturnType<
      DenoKvLike["atomic"]
    >;
    set(key: readonly unknown[], value: unknown, options?: { expireIn?: number }): ReturnType<
      DenoKvLike["atomic"]
    >;
    /** Deletes a key (tenancy's records). */
    delete?(key: readonly unknown[]): ReturnType<DenoKvLike["atomic"]>;
    commit(): Promise<{ ok: boolean }>;
  };
  /** Lists the entries under a prefix (tenancy's `ownedBy`). */
  list?(selector: { prefix: readonly string[] }): AsyncIterable<{ key: readonly unknown[] }>;
}

/** Options of {@link createDenoKvStore}. */
export interface DenoKvStoreOptions {
  /** Key prefix of everything the store writes (default `["wangsu-gateway"]`). */
  prefix?: string[];
  /** Clock, Unix ms (default `Date.now`). */
  now?: () => number;
  /** Compare-and-set attempts before a busy bucket is reported as unavailable (default 50). */
  attempts?: number;
}

/** A bucket's held slots as stored: `counts[i]` slots free at `base + gaps[i]` ms (ascending). */
interface HeldSlots {
  base: number;
  gaps: number[];
  counts: number[];
}

/** Instants a window's slot expiries are rounded up to: a 2,000th of the window. */
const STEPS_PER_WINDOW = 2_000;

/**
 * The sliding-window rule over a bucket's held slots: drops the expired ones, then takes a slot
 * if fewer than `limit` are held, its expiry rounded up to the window's step.
 *
 * @param stored The bucket's value: held slots, or (as an earlier version wrote) a list of
 *   expiry times, or nothing.
 * @returns The bucket's new value and the reservation.
 */
const takeSlot = (
  stored: HeldSlots | number[] | null,
  now: number,
  limit: number,
  windowMs: number,
): { held: HeldSlots; reservation: Reservation } => {
  let times: number[], counts: number[];
  if (Array.isArray(stored)) {
    times = [...stored].sort((a, b) => a - b);
    counts = times.map(() => 1);
  } else {
    times = stored?.gaps.map((gap) => stored.base + gap) ?? [];
    counts = stored?.counts.slice() ?? [];
  }
  let first = 0;
  while (first < times.length && times[first] <= now) first++;
  times = times.slice(first);
  counts = counts.slice(first);
  let held = 0;
  for (const count of counts) held += count;
  const reservation: Reservation = held < limit
    ? { ok: true }
    : { ok: false, retryAfterMs: times[0] - now };
  if (reservation.ok) {
    const step = Math.max(1, Math.ceil(windowMs / STEPS_PER_WINDOW));
    const expires = Math.ceil((now + windowMs) / step) * step;
    let at = times.length;
    while (at > 0 && times[at - 1] > expires) at--;
    if (times[at - 1] === expires) {
      counts[at - 1]++;
    } else {
      times.splice(at, 0, expires);
      counts.splice(at, 0, 1);
    }
  }
  const base = times[0] ?? now;
  return { held: { base, gaps: times.map((time) => time - base), counts }, reservation };
};

/**
 * What Deno KV answers while another process writes a local database file: the same as a lost
 * compare-and-set, tried again.
 */
export const BUSY = /database is locked|busy/i;

/**
 * Runs `step` until it settles the question (returns a value) or `attempts` run out, pausing a
 * random few ms longer after each attempt. A step returns `undefined` when it lost a
 * compare-and-set; a local database file that another process is writing answers "database is
 * locked", which is the same thing. Any other error is thrown at once.
 *
 * @param attempts How many times `step` runs at most.
 * @param what What is written, for the error.
 * @param step One attempt.
 * @returns What the step settled.
 * @throws {Error} `Deno KV: <what> stayed busy after <attempts> attempts` when attempts run out.
 */
export const settleKv = async <T>(
  attempts: number,
  what: string,
  step: () => Promise<T | undefined>,
): Promise<T> => {
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      const result = await step();
      if (result !== undefined) return result;
    } catch (error) {
      if (!BUSY.test(String(error))) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
  }
  throw new Error(`Deno KV: ${what} stayed busy after ${attempts} attempts`);
};

/**
 * Creates the store over an open Deno KV database (`await Deno.openKv(path)`).
 *
 * @param kv The database.
 * @param options Prefix, clock and conflict attempts.
 * @returns The store.
 */
export function createDenoKvStore(kv: DenoKvLike, options: DenoKvStoreOptions = {}): StateStore {
  const prefix = options.prefix ?? ["wangsu-gateway"];
  const now = options.now ?? Date.now;
  const attempts = options.attempts ?? 50;
  const settle = <T>(what: string, step: () => Promise<T | undefined>) =>
    settleKv(attempts, what, step);
  /** The owner record of an id, and the owner's index entry of it. */
  const ownerKey = (id: string) => [...prefix, "owner", id];
  const ownedKey = (owner: string, id: string) => [...prefix, "owned", owner, id];
  return {
    async owners(ids) {
      const entries = await Promise.all(ids.map((id) => kv.get<string>(ownerKey(id))));
      return entries.map((entry) => entry.value ?? undefined);
    },
    async setOwners(ids, owner) {
      for (const id of ids) {
        await settle(`the owner of ${id}`, async () => {
          const current = await kv.get<string>(ownerKey(id));
          let write = kv.atomic().check(current);
          if (current.value != null) write = write.delete!(ownedKey(current.value, id));
          write = owner === undefined
            ? write.delete!(ownerKey(id))
            : write.set(ownerKey(id), owner).set(ownedKey(owner, id), true);
          return (await write.commit()).ok || undefined;
        });
      }
    },
    async ownedBy(owner) {
      const ids: string[] = [];
      for await (const entry of kv.list!({ prefix: [...prefix, "owned", owner] })) {
        ids.push(String(entry.key[entry.key.length - 1]));
      }
      return ids.sort();
    },
    // No per-owner share here: KV never drops an unexpired key (`expireIn` deletes it only
    // after it expires); a write KV refuses (its storage quota) fails closed as unavailable.
    remember(id, expiresAt) {
      const key = [...prefix, "seen", id];
      let current: KvEntry<number> | undefined;
      return settle("the replay memory", async () => {
        // The first attempt assumes a new id; KV deletes expired keys lazily, so an entry still
        // present may have expired.
        if (current?.value != null && current.value > now()) return false;
        const written = await kv.atomic().check(current ?? { key, versionstamp: null })
          .set(key, expiresAt, { expireIn: Math.max(1, expiresAt - now()) }).commit();
        if (written.ok) return true;
        current = await kv.get<number>(key);
      });
    },
    reserve(bucket, limit, windowMs) {
      const key = [...prefix, "slots", bucket];
      return settle(`bucket ${bucket}`, async () => {
        const current = await kv.get<HeldSlots | number[]>(key);
        const { held, reservation } = takeSlot(current.value, now(), limit, windowMs);
        if (!reservation.ok) return reservation;
        const expireIn = held.base + held.gaps[held.gaps.length - 1] - now();
        const written = await kv.atomic().check(current).set(key, held, { expireIn }).commit();
        return written.ok ? reservation : undefined;
      });
    },
  };
}
