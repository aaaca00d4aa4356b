/**
 * Tenancy on `/events`: which events an `own` key's stream shows, live and replayed. An event is
 * about a task when it names one (`record.status`, `forward.status`: its `taskId`), else about a
 * channel (its `pullId`); an `own` key sees it when its tenant owns that object.
 *
 * No event costs a store lookup. Each tenant with open streams in the isolate has one view of the
 * ids it owns, read from the store when its first stream opens and read again at most every
 * `refreshMs` (default 10 000): on a timer while its streams are open, and by the first event
 * after the interval. Before the view, the ownership ledger's own knowledge is asked (what this
 * isolate created, granted, revoked or deleted, at once). So an owner recorded in another isolate
 * reaches this isolate's streams within `refreshMs`; a revoke or delete in another isolate stops
 * them within `refreshMs` too (or the ledger's `cacheMs` where this isolate cached the owner). A
 * view holds the tenant's ids (as many as it owns) and is dropped with its tenant's last stream.
 *
 * @module
 */

import type { CallbackEvent } from "../../callbacks/parse.ts";
import type { Caller } from "../keys.ts";
import { type OwnershipLedger, ownOnly } from "./ownership.ts";

/** Options of {@link createEventOwnership}. */
export interface EventOwnershipOptions {
  /** Clock, Unix ms (default `Date.now`). */
  now?: () => number;
  /** Longest a tenant's view of its ids is used before it is read again, ms (default 10 000). */
  refreshMs?: number;
}

/** Which events a caller's stream shows: nothing for an `all` key (every event). */
export type EventSight = (
  caller: Caller,
  signal: AbortSignal,
) => Promise<((event: CallbackEvent) => boolean) | undefined>;

/**
 * The object an event is about, as `kind:id`: its task when it names one, else its channel.
 *
 * @param event The event.
 * @returns Its id, or nothing for an event about no owned object.
 */
function eventObject(event: CallbackEvent): string | undefined {
  if (event.type == "record.status") return `recordTask:${event.taskId}`;
  if (event.type == "forward.status") return `forwardTask:${event.taskId}`;
  if ("pullId" in event && typeof event.pullId == "string") return `channel:${event.pullId}`;
  return undefined;
}

/**
 * Whether a webhook endpoint takes an event, by tenancy: an endpoint without a `tenant` takes
 * every event; one with a `tenant` only events about an object that tenant owns (none about no
 * owned object, none when the store keeps no ownership).
 *
 * @param ledger The ownership ledger.
 * @returns The check, for the webhook delivery's `accepts`.
 * @throws From the returned function, when the store cannot answer (the enqueue fails, so the
 *   callback is sent again rather than delivered to the wrong tenant or lost).
 */
export function webhookTenancy(
  ledger: OwnershipLedger,
): (endpoint: { tenant?: string }, event: CallbackEvent) => Promise<boolean> {
  return async (endpoint, event) => {
    if (endpoint.tenant === undefined) return true;
    const id = eventObject(event);
    if (id === undefined || !ledger.kept) return false;
    const [owner] = await ledger.owners([id]);
    return owner === endpoint.tenant;
  };
}

/**
 * Makes the event filter of a gateway's `/events` over its ownership ledger.
 *
 * @param ledger The ownership ledger (shared with the action steps).
 * @param options Clock and refresh interval.
 * @returns For a caller and its stream's end signal, the predicate its stream applies.
 * @throws From the returned function, when the store cannot list the tenant's ids.
 */
export function createEventOwnership(
  ledger: OwnershipLedger,
  options: EventOwnershipOptions = {},
): EventSight {
  const now = options.now ?? Date.now;
  const refreshMs = options.refreshMs ?? 10_000;
  type View = {
    ids: Set<string>;
    at: number;
    streams: number;
    reading?: Promise<void>;
    /** One refresh timer per tenant view, however many of its streams are open. */
    timer?: ReturnType<typeof setInterval>;
  };
  const views = new Map<string, View>();
  const read = (tenant: string, view: View) =>
    view.reading ??= ledger.ownedBy(tenant).then((ids) => {
      view.ids = new Set(ids);
      view.at = now();
    }).catch(() => {
      // The store did not answer: the old view stands until the next try.
    }).finally(() => view.reading = undefined);
  return async (caller, signal) => {
    if (!ownOnly(caller)) return undefined;
    const tenant = caller.name;
    let view = views.get(tenant);
    if (!view) {
      const fresh: View = { ids: new Set(await ledger.ownedBy(tenant)), at: now(), streams: 0 };
      view = views.get(tenant) ?? fresh;
      views.set(tenant, view);
    }
    const held = view;
    if (held.streams++ == 0) held.timer = setInterval(() => read(tenant, held), refreshMs);
    const release = () => {
      if (--held.streams > 0) return;
      clearInterval(held.timer);
      if (views.get(tenant) == held) views.delete(tenant);
    };
    if (signal.aborted) release();
    else signal.addEventListener("abort", release, { once: true });
    return (event) => {
      const id = eventObject(event);
      if (id === undefined) return false;
      const known = ledger.cached(id);
      if (known !== undefined) return known === tenant;
      if (now() - held.at >= refreshMs) void read(tenant, held);
      return held.ids.has(id);
    };
  };
}
