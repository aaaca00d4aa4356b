/**
 * Tenancy, after the answer: a successful create records its tenant as the new object's owner, a
 * successful delete forgets the ids it deleted, and a list answers an `own` key with its
 * tenant's objects only. All of it read from the catalog's ownership facts.
 *
 * Paging: an `own` key's page `n` of size `s` holds its tenant's objects `(n-1)·s` to `n·s - 1`
 * in the upstream's order, so that every page but the last is full and a paginator that stops at
 * a short page (as the SDK's do) still reaches every owned object. To fill a page the gateway
 * reads upstream pages of the same size in turn (each one a request of the account budget); the
 * isolate remembers where each tenant page ended, so that walking pages in order reads each
 * upstream page about once. Count fields (`channelToal`, `total`) are recounted; a total of the
 * account (`totalCount`) becomes the number of objects the tenant owns.
 *
 * @module
 */

import type { CatalogEntry } from "../../action.ts";
import type { ActionOwnership, ObjectKind, OwnedCatalogEntry } from "../../actions/ownership.ts";
import { GatewayError, stateUnavailable } from "../gateway_error.ts";
import type { Caller } from "../keys.ts";
import type { Answer } from "./answer.ts";
import { askStore, notOwned, objectsIn, type OwnershipLedger, ownOnly } from "./ownership.ts";

type Lists = NonNullable<ActionOwnership["lists"]>;
type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value == "object" && value != null && !Array.isArray(value);

/** The answer's envelope, when it is one with `data`. */
const envelopeOf = (answer: Answer): Json | undefined => {
  if (answer.status != 200) return undefined;
  try {
    const parsed = JSON.parse(answer.text);
    return isRecord(parsed) && "data" in parsed ? parsed : undefined;
  } catch {
    return undefined;
  }
};

/** The pages of an answer's data (a list of pages when the service sent several). */
const pagesOf = (data: unknown): Json[] =>
  Array.isArray(data) ? data.filter(isRecord) : isRecord(data) ? [data] : [];

/** The items of a list answer's data, in order. */
const itemsOf = (lists: Lists, data: unknown): unknown[] => {
  if (!lists.items) return Array.isArray(data) ? data : [data];
  return pagesOf(data).flatMap((page) => {
    const items = page[lists.items];
    return Array.isArray(items) ? items : isRecord(items) ? [items] : [];
  });
};

const idOf = (lists: Lists, item: unknown) =>
  isRecord(item) && (typeof item[lists.id] == "string" || typeof item[lists.id] == "number")
    ? `${lists.kind}:${item[lists.id]}`
    : undefined;

/** The items of `items` the caller's tenant owns. */
const ownedItems = async (
  ledger: OwnershipLedger,
  caller: Caller,
  lists: Lists,
  items: unknown[],
): Promise<unknown[]> => {
  const ids = items.map((item) => idOf(lists, item));
  const named = ids.filter((id): id is string => !!id);
  const owners = await askStore(ledger.owners(named));
  const ownerOf = new Map(named.map((id, index) => [id, owners[index]]));
  return items.filter((_, index) => ids[index] && ownerOf.get(ids[index]!) === caller.name);
};

/** The answer with its data's items replaced by `items`, count fields recounted. */
const withItems = (
  envelope: Json,
  lists: Lists,
  items: unknown[],
  total: number | undefined,
  answer: Answer,
): Answer => {
  let data: unknown = items;
  if (lists.items) {
    const page = { ...pagesOf(envelope.data)[0], [lists.items]: items };
    if (lists.count) {
      page[lists.count] = typeof page[lists.count] == "string"
        ? String(items.length)
        : items.length;
    }
    if (lists.total && total !== undefined) page[lists.total] = total;
    data = page;
  }
  return { ...answer, text: JSON.stringify({ ...envelope, data }) };
};

/**
 * How far the scan for a tenant page got upstream: the upstream page to read next, the owned
 * items of it already used (`offset`), owned items still to skip before the page begins, and the
 * page's items found so far.
 */
interface ScanPoint {
  upstreamPage: number;
  offset: number;
  skip: number;
  found: unknown[];
  until: number;
}

/** Where each tenant page's scan starts (or stopped), remembered in the isolate for a minute. */
const scanPoints = new Map<string, ScanPoint>();
const SCAN_POINT_MS = 60_000;
const SCAN_POINTS_HELD = 1_000;

/** The largest page the list actions take: the gateway reads upstream at this size. */
export const UPSTREAM_PAGE_SIZE = 50;

/** Most upstream pages one gateway request of an `own` key reads, by default. */
export const MAX_LIST_PAGES = 5;

/** The header of an `own` key's page cut short by the bound on upstream pages. */
export const PARTIAL_PAGE_HEADER = "x-gateway-partial-page";

/** Fetches one page upstream: the forwarded request with this input. */
export type FetchPage = (input: Json) => Promise<Answer>;

/** Bounds of {@link ownedPage}. */
export interface OwnedPageLimits {
  /** Clock, Unix ms. */
  now: () => number;
  /** Most upstream pages read for one request (default {@link MAX_LIST_PAGES}). */
  maxPages?: number;
  /** Charges the key for one more upstream page (the first is the request's own); throws to stop. */
  charge?: () => Promise<unknown>;
}

/**
 * An `own` key's page of a paged list: its tenant's objects only, full but for the last.
 *
 * The gateway reads upstream pages of {@link UPSTREAM_PAGE_SIZE} items, at most `maxPages` for
 * one request, each after the first charged to the key's quota. When the bound stops the scan
 * before the page is full and before the upstream list ends, the answer holds what was found and
 * the header {@link PARTIAL_PAGE_HEADER} (`1`): the same request again continues the scan where it
 * stopped (in this isolate, for a minute), so a client repeats a partial page until it comes back
 * without the header.
 *
 * @param ledger The ownership ledger.
 * @param caller The authenticated caller (an `own` key).
 * @param action The list action.
 * @param input The validated input.
 * @param fetchPage Sends one upstream page request.
 * @param limits Clock, bound on upstream pages, and the quota charge.
 * @returns The answer: the first upstream page's envelope holding the tenant's page.
 */
export async function ownedPage(
  ledger: OwnershipLedger,
  caller: Caller,
  action: CatalogEntry,
  input: Json,
  fetchPage: FetchPage,
  limits: OwnedPageLimits,
): Promise<Answer> {
  const { now } = limits;
  const maxPages = limits.maxPages ?? MAX_LIST_PAGES;
  const lists = (action as OwnedCatalogEntry).ownership!.lists!;
  const size = typeof input.pageSize == "number" ? input.pageSize : 10;
  const index = typeof input.pageIndex == "number" ? input.pageIndex : 1;
  const { pageIndex: _index, pageSize: _size, ...rest } = input;
  const key = (page: number) => JSON.stringify([caller.name, action.name, rest, size, page]);
  const remember = (page: number, point: Omit<ScanPoint, "until">) => {
    const held = key(page);
    scanPoints.delete(held);
    if (scanPoints.size >= SCAN_POINTS_HELD) scanPoints.delete(scanPoints.keys().next().value!);
    scanPoints.set(held, { ...point, until: now() + SCAN_POINT_MS });
  };
  const known = scanPoints.get(key(index));
  const point = known && known.until > now()
    ? { ...known, found: [...known.found] }
    : { upstreamPage: 1, offset: 0, skip: (index - 1) * size, found: [] as unknown[] };
  let first: { envelope: Json; answer: Answer } | undefined;
  let complete = false;
  for (let read = 0; read < maxPages; read++) {
    if (read > 0) {
      // Refused (quota spent): the scan so far is kept, so the retry continues from here.
      await limits.charge?.().catch((refusal) => {
        remember(index, point);
        throw refusal;
      });
    }
    const answer = await fetchPage({
      ...rest,
      pageIndex: point.upstreamPage,
      pageSize: UPSTREAM_PAGE_SIZE,
    });
    const envelope = envelopeOf(answer);
    if (!envelope) return answer; // the service's refusal, as it came
    first ??= { envelope, answer };
    const items = itemsOf(lists, envelope.data);
    const owned = (await ownedItems(ledger, caller, lists, items)).slice(point.offset);
    const skipped = Math.min(point.skip, owned.length);
    point.skip -= skipped;
    const taken = owned.slice(skipped, skipped + size - point.found.length);
    point.found.push(...taken);
    const used = point.offset + skipped + taken.length;
    const ended = items.length < UPSTREAM_PAGE_SIZE;
    if (point.found.length == size || ended) {
      // Where the next tenant page starts.
      remember(
        index + 1,
        used < point.offset + owned.length
          ? { upstreamPage: point.upstreamPage, offset: used, skip: 0, found: [] }
          : { upstreamPage: point.upstreamPage + 1, offset: 0, skip: 0, found: [] },
      );
      scanPoints.delete(key(index));
      complete = true;
      break;
    }
    point.upstreamPage++;
    point.offset = 0;
  }
  if (!complete) remember(index, point);
  const total = lists.total
    ? (await askStore(ledger.ownedBy(caller.name))).filter((id) => id.startsWith(`${lists.kind}:`))
      .length
    : undefined;
  const page = withItems(first!.envelope, lists, point.found, total, first!.answer);
  return complete ? page : { ...page, headers: { ...page.headers, [PARTIAL_PAGE_HEADER]: "1" } };
}

/** The ids (their text) the input names, in any field. */
const textsOf = (input: unknown): string[] =>
  isRecord(input)
    ? Object.values(input).flatMap((value) =>
      typeof value == "string" || typeof value == "number" ? String(value).split(",") : []
    ).map((text) => text.trim())
    : [];

/**
 * The refusal for an object an answer names: it names the object only when the input did, so
 * that no refusal tells one tenant another's id (a task found by its `transNo`).
 */
const notOwnedUnnamed = (caller: Caller, input: unknown, id: string) => {
  const [kind, ...rest] = id.split(":");
  if (textsOf(input).includes(rest.join(":"))) return notOwned(caller, id);
  return new GatewayError(
    403,
    "not-owned",
    `Key ${caller.name} does not own the ${kind} this request names`,
    { details: { reason: "not-owned", object: kind } },
  );
};

/** Waits before each retry of recording a created object's owner, ms (three retries). */
const RECORD_OWNER_RETRY_MS: readonly number[] = [10, 30, 90];

/**
 * Records `caller` as the owner of the object `id` it just created, retrying a failing store
 * after each of `RECORD_OWNER_RETRY_MS`. When the store still fails, the object exists upstream
 * but nobody owns it: the refusal (503) names it as `created: { kind, id }`, so that the caller
 * can report it and an operator grant it (`POST /admin/ownership`), and the log names it (never
 * the store's error text, which may hold a secret).
 */
const recordOwner = async (
  ledger: OwnershipLedger,
  caller: Caller,
  id: string,
) => {
  for (let attempt = 0;; attempt++) {
    try {
      return await ledger.setOwners([id], caller.name);
    } catch (failure) {
      if (attempt < RECORD_OWNER_RETRY_MS.length) {
        await new Promise((resolve) => setTimeout(resolve, RECORD_OWNER_RETRY_MS[attempt]));
        continue;
      }
      const [kind, ...rest] = id.split(":");
      const created = { kind, id: rest.join(":") };
      const name = failure instanceof Error ? failure.name : typeof failure;
      console.error(
        `gateway: ${kind} ${created.id} was created upstream for ${caller.name} but its owner ` +
          `could not be recorded (${name}); grant it with POST /admin/ownership`,
      );
      const refusal = stateUnavailable({
        ownership: `${kind} ${created.id} created, owner unrecorded`,
      });
      throw new GatewayError(
        refusal.status,
        refusal.reason,
        `The ${kind} ${created.id} was created, but the gateway's shared state is unavailable, ` +
          "so it is not yet yours: keep its id and ask an operator to grant it",
        {
          headers: refusal.headers,
          audit: refusal.audit,
          details: { reason: refusal.reason, created },
        },
      );
    }
  }
};

/**
 * What a successful answer changes and shows: the owner of a created object recorded (or, for
 * an answer that may name an existing object owned by another tenant, the request refused), the
 * deleted ids forgotten, and a list answer filtered to the tenant's objects for an `own` key.
 * A paged list of an `own` key is answered by {@link ownedPage} instead.
 *
 * @param ledger The ownership ledger.
 * @param caller The authenticated caller.
 * @param action The action.
 * @param input The validated input.
 * @param answer The service's answer.
 * @returns The answer to give.
 * @throws {GatewayError} 403 (`not-owned`) when the answer names one object the caller's tenant
 *   does not own (a repeated `transNo` of another tenant's task); 503 (`state-unavailable`) when
 *   the ownership store cannot answer, naming as `created: { kind, id }` an object the service
 *   created whose owner could not be recorded.
 */
export async function afterAnswer(
  ledger: OwnershipLedger,
  caller: Caller,
  action: CatalogEntry,
  input: unknown,
  answer: Answer,
): Promise<Answer> {
  const ownership = (action as OwnedCatalogEntry).ownership;
  if (!ownership) return answer;
  const { creates, forgets, lists } = ownership;
  // A list answer changes nothing and is shown whole to an `all` key: no need to parse it.
  if (!(creates || forgets || (lists && ownOnly(caller)))) return answer;
  const envelope = envelopeOf(answer);
  if (!envelope) return answer;
  if (creates && isRecord(envelope.data)) {
    const made = envelope.data[creates.id];
    if (typeof made == "string" || typeof made == "number") {
      const id = `${creates.kind}:${made}`;
      if (creates.existing) {
        const [owner] = await askStore(ledger.owners([id]));
        if (owner !== undefined && owner !== caller.name) throw notOwnedUnnamed(caller, input, id);
      }
      await recordOwner(ledger, caller, id);
    }
  }
  if (forgets) {
    const fields = Object.fromEntries(forgets.map((field) => [field, ownership.names?.[field]]));
    const gone = objectsIn(fields as Record<string, ObjectKind>, input);
    if (gone.length) await askStore(ledger.setOwners(gone, undefined));
  }
  if (lists && ownOnly(caller)) {
    const items = itemsOf(lists, envelope.data);
    const owned = await ownedItems(ledger, caller, lists, items);
    if (!lists.items && !Array.isArray(envelope.data)) {
      const id = idOf(lists, envelope.data);
      if (!owned.length && id) throw notOwnedUnnamed(caller, input, id);
      return answer;
    }
    return withItems(envelope, lists, owned, undefined, answer);
  }
  return answer;
}
