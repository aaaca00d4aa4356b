// The review's finding: with the ownership store down, a create that succeeded upstream answered
// 500 and left the new channel owned by nobody, its id lost; a list of an `own` key answered 500
// instead of refusing with 503. Now the create answers 503 naming the created object (so the
// caller or an operator can recover it), and a list fails closed with 503.
import assert from "node:assert/strict";
import { createMemoryStore, type StateStore } from "../../src/server/state_store.ts";
import { tokens, twoTenants } from "./tenancy_fixture.ts";
import { channel } from "./gateway_fixture.ts";

const storeError = `kv down ${crypto.randomUUID()}`;

/** A memory store whose ownership operations fail while `down` is set; setOwners calls counted. */
function flakyStore() {
  const store = createMemoryStore();
  const state = { down: false, setOwnersCalls: 0 };
  const failing = <T>(run: () => Promise<T>) =>
    state.down ? Promise.reject(new Error(storeError)) : run();
  const wrapped: StateStore = {
    ...store,
    owners: (ids) => failing(() => store.owners!(ids)),
    ownedBy: (owner) => failing(() => store.ownedBy!(owner)),
    setOwners: (ids, owner) => {
      state.setOwnersCalls++;
      return failing(() => store.setOwners!(ids, owner));
    },
  };
  return { store: wrapped, state };
}

/** Runs `body` with console.error captured. */
async function capturingErrors<T>(body: () => Promise<T>): Promise<{ result: T; logged: string }> {
  const original = console.error;
  const lines: string[] = [];
  console.error = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  try {
    return { result: await body(), logged: lines.join("\n") };
  } finally {
    console.error = original;
  }
}

Deno.test("a create with the ownership store down answers 503 naming the created object", async () => {
  const { store, state } = flakyStore();
  const { call, upstream } = twoTenants({ store });
  state.down = true;
  const before = upstream();
  const { result: made, logged } = await capturingErrors(() =>
    call(tokens.a, "/live/channelManage/createChannel", channel)
  );
  assert.equal(upstream() - before, 1, "the create was forwarded once, never repeated");
  assert.equal(made.status, 503, JSON.stringify(made.body));
  assert.equal(made.body.reason, "state-unavailable");
  assert.ok(made.headers.get("retry-after"));
  const created = made.body.created;
  assert.equal(created?.kind, "channel", JSON.stringify(made.body));
  assert.equal(typeof created.id, "string");
  assert.ok(state.setOwnersCalls >= 3, `setOwners tried ${state.setOwnersCalls} times`);
  assert.ok(!JSON.stringify(made.body).includes(storeError), "the store's error is not shown");
  assert.ok(logged.includes(created.id), `the log names the orphan: ${logged}`);
  assert.ok(!logged.includes(storeError), "the store's error message is not logged");
  assert.ok(!logged.includes(tokens.a), "no token is logged");

  // The id really is the upstream's new channel: owned by nobody, so team-a cannot use it yet.
  state.down = false;
  const query = { pullId: created.id };
  const refused = await call(tokens.a, "/live/channelManage/getChannelConfigure", query);
  assert.equal(refused.status, 403, JSON.stringify(refused.body));

  // The operator grants it with the id from the answer; then team-a's key may use it.
  const grant = { tenant: "team-a", kind: created.kind, ids: [created.id] };
  const granted = await call(tokens.ops, "/admin/ownership", grant);
  assert.equal(granted.status, 200, JSON.stringify(granted.body));
  const usable = await call(tokens.a, "/live/channelManage/getChannelConfigure", query);
  assert.equal(usable.status, 200, JSON.stringify(usable.body));
  assert.equal(usable.body.data.channelName, channel.channelName, "the upstream made that channel");
});

Deno.test("a create survives a store that recovers within the retries", async () => {
  const { store, state } = flakyStore();
  const { call } = twoTenants({ store });
  const setOwners = store.setOwners!;
  let failures = 2;
  store.setOwners = (ids, owner) =>
    failures-- > 0 ? Promise.reject(new Error(storeError)) : setOwners(ids, owner);
  const made = await call(tokens.a, "/live/channelManage/createChannel", channel);
  assert.equal(made.status, 200, JSON.stringify(made.body));
  state.down = false;
  const query = { pullId: made.body.data.pullId };
  const usable = await call(tokens.a, "/live/channelManage/getChannelConfigure", query);
  assert.equal(usable.status, 200, JSON.stringify(usable.body));
});

Deno.test("a list of an own key with the ownership store down answers 503, leaking nothing", async () => {
  const { store, state } = flakyStore();
  let clock = Date.now();
  const { call, create, upstream } = twoTenants({ store, now: () => clock });
  const ofA = await create(tokens.a);
  const ofB = await create(tokens.b);
  state.down = true;
  clock += 60_000; // past the isolate's owner cache, so the list must ask the store
  for (
    const [path, input] of [
      ["/live/channelManage/getChannelList", {}],
      ["/live/channelManage/batchChannelLiveState", { pullIds: "" }],
    ] as const
  ) {
    const before = upstream();
    const listed = await call(tokens.b, path, input);
    assert.equal(listed.status, 503, `${path}: ${JSON.stringify(listed.body)}`);
    const text = JSON.stringify(listed.body);
    assert.ok(!text.includes(ofA) && !text.includes(ofB), `${path} leaked an id: ${text}`);
    assert.ok(!text.includes(storeError), `${path} showed the store's error`);
    assert.ok(upstream() - before <= 1, `${path} read upstream ${upstream() - before} times`);
  }
});
