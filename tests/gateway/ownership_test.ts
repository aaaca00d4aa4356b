// Tenancy through the gateway on one simulator account: keys own what they create (by their
// tenant, the key's name), `own` keys see and touch nothing else, lists are filtered with paging
// that the SDK's paginators still walk to the end, deletion forgets, operators grant and revoke.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { createGateway, type GatewayOptions } from "../../src/gateway/mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { createMemoryStore, type StateStore } from "../../src/server/state_store.ts";
import type { AuditEntry } from "../../src/gateway/audit.ts";
import { virtualClock } from "../helpers.ts";

const secret = (label: string) => `${label}-${crypto.randomUUID().replaceAll("-", "")}`;
const master = { accessKey: "AK_MASTER", secretKey: secret("SK_MASTER") };
const teamA = { accessKey: "AK_TEAM_A", secretKey: secret("SK_A") };
const teamB = { accessKey: "AK_TEAM_B", secretKey: secret("SK_B") };
const tokens = { b: secret("tok-b"), ops: secret("tok-ops"), admin: secret("tok-admin") };
const channel = {
  channelName: "Show",
  channelType: "live",
  pushDomain: "push.example.com",
  pullRate: "0",
};

/** Two tenants (A signed, B signed and bearer), an operator seeing all, an admin. */
export function tenancy(options: Partial<GatewayOptions> & { store?: StateStore } = {}) {
  const simulator = createSimulator({ credentials: [master], rateLimit: false });
  const audits: AuditEntry[] = [];
  const gateway = createGateway({
    upstream: { ...master, endpoint: "http://upstream.test", fetch: simulator.fetch },
    keys: [
      { name: "team-a", ...teamA, actions: ["*"], rateLimit: false },
      { name: "team-b", ...teamB, actions: ["*"], rateLimit: false },
      { name: "team-b", token: tokens.b, actions: ["*"], rateLimit: false },
      { name: "ops", token: tokens.ops, actions: ["*"], objects: "all", rateLimit: false },
      { name: "admin", token: tokens.admin, actions: ["read"], admin: true, objects: "all" },
    ],
    accountBudget: false,
    auditLog: false,
    onAudit: (entry) => audits.push(entry),
    ...options,
  });
  const fetch = (input: RequestInfo | URL, init?: RequestInit) =>
    gateway.fetch(new Request(input, init));
  const client = (credentials: { accessKey: string; secretKey: string }) =>
    sdk.createClient({ ...credentials, endpoint: "http://gw.test", fetch, retries: 0 });
  const bearer = (token: string, path: string, body: unknown, method = "POST") =>
    gateway.fetch(
      new Request(`http://gw.test${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: method == "GET" ? undefined : JSON.stringify(body),
      }),
    );
  return { simulator, gateway, audits, a: client(teamA), b: client(teamB), bearer };
}

/** The refusal a call got, as the SDK raised it. */
const refusal = async (call: Promise<unknown>) => {
  const failure = await call.then(() => undefined, (error) => error);
  assert.ok(failure instanceof sdk.WangsuApiError, `refused: ${failure}`);
  return failure;
};

Deno.test("B can neither read, change, record, relay, ban nor delete A's channel", async () => {
  const { simulator, a, b } = tenancy();
  const { pullId } = await sdk.createChannel(a, channel);
  const mine = (await sdk.createChannel(b, channel)).pullId;
  const attempts: [string, () => Promise<unknown>][] = [
    ["getChannelConf", () => sdk.getChannelConf(b, { pullId })],
    ["channelEdit", () => sdk.channelEdit(b, { pullId, channelName: "Mine now" })],
    [
      "createRecordTask",
      () => sdk.createRecordTask(b, { pullId, quickStart: true, endTime: 4_000_000_000 }),
    ],
    [
      "startForwardTask",
      () => sdk.startForwardTask(b, { pullId, forwardUrl: "rtmp://relay.example.com/live/x" }),
    ],
    ["channelForbidden", () => sdk.channelForbidden(b, { pullId: `${mine},${pullId}` })],
    ["deleteChannel", () => sdk.deleteChannel(b, { pullId })],
    ["batchChannelLiveState", () => sdk.batchChannelLiveState(b, { pullIds: `${mine},${pullId}` })],
  ];
  for (const [name, attempt] of attempts) {
    const before = simulator.stats.requests;
    const failure = await refusal(attempt());
    assert.equal(failure.status, 403, name);
    assert.match(failure.message, new RegExp(`team-b does not own channel ${pullId}`), name);
    assert.equal(simulator.stats.requests, before, `${name}: nothing forwarded`);
  }
  // A's channel is untouched, and still A's.
  assert.equal((await sdk.getChannelConf(a, { pullId })).channelName, "Show");
});

Deno.test("lists hold only the tenant's objects; the paginators reach every one", async () => {
  const { a, b, bearer } = tenancy();
  const ownedByB = new Set<string>();
  const ownedByA = new Set<string>();
  // 130 channels, one of A's between every two of B's: B's 87 span pages of mixed ownership.
  for (let i = 0; i < 130; i++) {
    const owner = i % 3 == 1 ? a : b;
    const { pullId } = await sdk.createChannel(owner, { ...channel, channelName: `c${i}` });
    (owner == a ? ownedByA : ownedByB).add(pullId);
  }
  const walked = new Set<string>();
  for await (const item of sdk.paginateChannelList(b, { pageSize: 20 })) walked.add(item.pullId);
  assert.deepEqual(walked, ownedByB);
  const page = await sdk.getChannelList(b, { pageIndex: 2, pageSize: 50 });
  assert.equal(page.channelList.length, ownedByB.size - 50, "the last page is short");
  assert.ok(page.channelList.every((item) => ownedByB.has(item.pullId)));
  const ofA = new Set<string>();
  for await (const item of sdk.paginateChannelList(a)) ofA.add(item.pullId);
  assert.deepEqual(ofA, ownedByA);
  // An `all` key sees both.
  const all = await (await bearer(tokens.ops, "/live/channelManage/getChannelList", {
    pageSize: 50,
    pageIndex: 3,
  })).json();
  assert.equal(all.data.channelList.length, 130 - 100);
  // Live state of every channel: only the tenant's.
  const states = await sdk.batchChannelLiveState(b, { pullIds: "" });
  assert.deepEqual(new Set(states.map((state) => state.pullId)), ownedByB);
});

Deno.test("a successful delete forgets; a stale record never blocks a new object", async () => {
  const store = createMemoryStore();
  const { a, b } = tenancy({ store });
  const { pullId } = await sdk.createChannel(a, channel);
  assert.deepEqual(await store.owners!([`channel:${pullId}`]), ["team-a"]);
  await sdk.deleteChannel(a, { pullId });
  assert.deepEqual(await store.owners!([`channel:${pullId}`]), [undefined]);
  // A record left by a deletion outside the gateway: the upstream's new object with that id is
  // its creator's.
  await store.setOwners!(["channel:stale-id"], "team-a");
  const reused = await sdk.createChannel(b, channel);
  await store.setOwners!([`channel:${reused.pullId}`], "team-a");
  await store.setOwners!([`channel:${reused.pullId}`], undefined);
  const again = await sdk.createChannel(b, channel);
  assert.deepEqual(await store.owners!([`channel:${again.pullId}`]), ["team-b"]);
});

Deno.test("operators grant and revoke through an admin-only route, audited", async () => {
  const { a, b, bearer, audits } = tenancy();
  const { pullId } = await sdk.createChannel(a, channel);
  const grant = { tenant: "team-b", kind: "channel", ids: [pullId] };
  // B's own bearer key has no admin right.
  const denied = await bearer(tokens.b, "/admin/ownership", grant);
  assert.equal(denied.status, 403);
  assert.match((await denied.json()).message, /team-b has no admin right/);
  const granted = await bearer(tokens.admin, "/admin/ownership", grant);
  assert.equal(granted.status, 200, await granted.clone().text());
  assert.equal((await sdk.getChannelConf(b, { pullId })).channelName, "Show");
  assert.equal((await refusal(sdk.getChannelConf(a, { pullId }))).status, 403, "A lost it");
  const listed = await (await bearer(tokens.admin, "/admin/ownership?tenant=team-b", {}, "GET"))
    .json();
  assert.deepEqual(listed.objects, [{ kind: "channel", id: pullId }]);
  const revoked = await bearer(tokens.admin, "/admin/ownership", grant, "DELETE");
  assert.equal(revoked.status, 200);
  assert.equal((await refusal(sdk.getChannelConf(b, { pullId }))).status, 403, "revoked");
  const entries = audits.filter((entry) => entry.path == "/admin/ownership");
  assert.deepEqual(
    entries.map((entry) => [
      entry.key,
      entry.action,
      entry.status,
      (entry as { ownership?: string }).ownership,
    ]),
    [
      ["team-b", "grantOwnership", 403, undefined],
      ["admin", "grantOwnership", 200, `channel ${pullId} to team-b`],
      ["admin", "listOwnership", 200, undefined],
      ["admin", "revokeOwnership", 200, `channel ${pullId} from team-b`],
    ],
  );
});

Deno.test("keys are checked: objects is own or all, admin is true", () => {
  const keys = (
    extra: Record<string, unknown>,
  ) => [{ token: tokens.ops, actions: ["*"], ...extra }];
  const base = { upstream: { ...master, endpoint: "http://upstream.test" }, auditLog: false };
  assert.throws(
    () => createGateway({ ...base, keys: keys({ objects: "mine" }) as never }),
    /keys\.0\.objects: must be "own" or "all"/,
  );
  assert.throws(
    () => createGateway({ ...base, keys: keys({ admin: "yes" }) as never }),
    /keys\.0\.admin: must be true or false/,
  );
});

Deno.test("the ownership cache runs on the gateway's clock, whichever route asks first", async () => {
  // The ledger is made once per store, by the first route that asks for it (the operator's route
  // here): its cache must expire by the gateway's clock (`now`), not the real one.
  const clock = virtualClock(Date.now());
  const store = createMemoryStore();
  const { simulator, bearer } = tenancy({ store, now: clock.now });
  const direct = sdk.createClient({ ...master, fetch: simulator.fetch });
  const { pullId } = await sdk.createChannel(direct, channel);
  const grant = { tenant: "team-b", kind: "channel", ids: [pullId] };
  assert.equal((await bearer(tokens.admin, "/admin/ownership", grant)).status, 200);
  const read = () => bearer(tokens.b, "/live/channelManage/getChannelConfigure", { pullId });
  assert.equal((await read()).status, 200, "granted, and the owner cached");
  // Another isolate revokes it in the shared store; this isolate's cache holds it 10 s.
  await store.setOwners!([`channel:${pullId}`], undefined);
  clock.time += 11_000;
  assert.equal((await read()).status, 403, "11 s later by `now`, the cached owner has expired");
});
