// The gateway's shared-state decisions, in-process in front of the simulator: per-key quotas,
// the account budget (wait, then refuse), failing closed when the store fails, and the audit
// trail. The same decisions across isolates are in tests/workers/edge_state_test.ts (Durable
// Objects) and tests/workers/deno_kv_test.ts (Deno KV).
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import {
  type AuditEntry,
  createGateway,
  createMemoryStore,
  type GatewayOptions,
  type StateStore,
} from "../../src/gateway/mod.ts";
import { gatewayOptionsFromEnvironment } from "../../src/gateway/config.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { signRequest } from "../../src/signer.ts";
import { edge, edgeKeys, virtualTimers } from "../helpers.ts";

const master = { accessKey: "AK_MASTER", secretKey: "SK_MASTER_never_leaves_the_gateway" };
const { ops, viewerToken, partnerToken } = edge;
const LIST = "/live/channelManage/getChannelList";

/**
 * A gateway in front of the simulator; with `clock`, both on it (its `sleep` is the gateway's
 * wait for the budget).
 */
function setup(
  overrides: Partial<GatewayOptions> = {},
  clock?: { now: () => number; sleep: (ms: number) => Promise<void> },
) {
  const simulator = createSimulator({ credentials: [master], rateLimit: false, now: clock?.now });
  const audits: AuditEntry[] = [];
  const gateway = createGateway({
    now: clock?.now,
    upstream: {
      ...master,
      endpoint: "http://upstream.test",
      fetch: simulator.fetch,
      sleep: clock?.sleep,
    },
    keys: edgeKeys({ limit: 3, windowSeconds: 60 }),
    auditLog: false,
    onAudit: (entry) => audits.push(entry),
    ...overrides,
  });
  const post = (token: string, body = "{}") =>
    gateway.fetch(
      new Request(`http://gw.test${LIST}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body,
      }),
    );
  return { simulator, gateway, post, audits };
}

Deno.test("a key over its quota gets 429 with Retry-After naming its limit; others go on", async () => {
  const clock = virtualTimers();
  const { post, simulator } = setup({}, clock);
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push((await post(partnerToken)).status);
  assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
  clock.time += 15_000;
  const refused = await post(partnerToken);
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get("retry-after"), "45", "the first slot frees 60 s after it");
  assert.equal(
    (await refused.json()).message,
    "Key partner is over its quota of 3 requests per 60 s; retry in 45 s",
  );
  assert.equal((await post(viewerToken)).status, 200, "a key without a quota is not held back");
  assert.equal(simulator.stats.requests, 4, "refused requests never went upstream");
});

Deno.test("keys sharing a name share its quota (a rotation does not double it)", async () => {
  const quota = { limit: 2, windowSeconds: 60 };
  const { post } = setup({
    keys: [
      { name: "dash", token: "old-token-0123456789abcdef", actions: ["read"], rateLimit: quota },
      { name: "dash", token: "new-token-0123456789abcdef", actions: ["read"], rateLimit: quota },
    ],
  });
  assert.equal((await post("old-token-0123456789abcdef")).status, 200);
  assert.equal((await post("new-token-0123456789abcdef")).status, 200);
  assert.equal((await post("old-token-0123456789abcdef")).status, 429);
});

Deno.test("the account budget: nothing over it is sent; a request waits for a slot, up to the bound", async () => {
  const { post, simulator, audits } = setup({
    accountBudget: { limit: 3, windowSeconds: 1, maxWaitMs: 0, marginMs: 0 },
  }, virtualTimers());
  const first = await Promise.all(Array.from({ length: 5 }, () => post(viewerToken)));
  assert.deepEqual(first.map((r) => r.status).sort(), [200, 200, 200, 429, 429]);
  const refused = first.find((r) => r.status == 429)!;
  assert.equal(refused.headers.get("retry-after"), "1");
  assert.match(
    (await refused.json()).message,
    /^The account's upstream budget of 3 requests per 1 s is used up; retry in 1 s$/,
  );
  assert.equal(simulator.stats.requests, 3);
  assert.deepEqual(audits.map((a) => a.budget).sort(), [
    "exhausted",
    "exhausted",
    "ok",
    "ok",
    "ok",
  ]);

  // Virtual time, moving only once every request is answered or asleep, as real time would
  // with instant answers.
  let answered = 0;
  const clock = virtualTimers(undefined, () => answered + clock.sleeping == 6);
  const started = clock.now();
  const patient = setup({
    accountBudget: { limit: 3, windowSeconds: 1, maxWaitMs: 5_000, marginMs: 0 },
  }, clock);
  const all = await Promise.all(
    Array.from({ length: 6 }, () => patient.post(viewerToken).finally(() => answered++)),
  );
  assert.deepEqual(all.map((r) => r.status), [200, 200, 200, 200, 200, 200]);
  assert.equal(patient.simulator.stats.requests, 6);
  // The first three go at once; the others wait for the window to move on (1 s), each then
  // up to 50 ms more so that they do not all wake on the same millisecond.
  const waited = patient.audits.map((a) => a.budgetWaitMs!).sort((a, b) => a - b);
  assert.deepEqual(waited.slice(0, 3), [0, 0, 0], `waits ${waited}`);
  assert.ok(waited.slice(3).every((ms) => ms >= 1_000 && ms <= 1_050), `waits ${waited}`);
  // (The audit rounds to whole ms.)
  assert.equal(Math.round(clock.now() - started), waited[5], "no one waited longer than needed");
});

Deno.test("store failures fail closed: 503, nothing forwarded", async () => {
  const broken = (which: keyof StateStore): StateStore => {
    const store = createMemoryStore();
    return {
      ...store,
      [which]: () => Promise.reject(new Error("Durable Object reset")),
    };
  };
  for (const which of ["remember", "reserve"] as const) {
    const { gateway, post, simulator, audits } = setup({ store: broken(which) });
    const client = sdk.createClient({
      ...ops,
      endpoint: "http://gw.test",
      fetch: (input, init) => gateway.fetch(new Request(input, init)),
      retries: 0,
    });
    const signed = await sdk.getChannelList(client, {}).catch((e) => e);
    assert.ok(signed instanceof sdk.WangsuApiError, which);
    assert.equal(signed.status, 503, which);
    const bearer = await post(viewerToken);
    // A bearer request needs no replay memory; the budget needs the store.
    assert.equal(bearer.status, which == "remember" ? 200 : 503, which);
    if (which == "reserve") {
      assert.equal(bearer.headers.get("retry-after"), "1");
      assert.match(
        (await bearer.json()).message,
        /shared state is unavailable.*nothing was forwarded/,
      );
    }
    assert.equal(simulator.stats.requests, which == "remember" ? 1 : 0, which);
    const first = audits[0];
    // Every key has a quota by default, and the quota is asked before the budget.
    assert.equal(which == "remember" ? first.replay : first.quota, "unavailable", which);
  }
});

Deno.test("a replay is refused across gateways that share a store, not across ones that don't", async () => {
  const shared = createMemoryStore();
  const a = setup({ store: shared });
  const b = setup({ store: shared });
  const lonely = setup();
  const url = `http://gw.test${LIST}`;
  const headers = await signRequest({ method: "POST", url, body: "{}" }, ops);
  const send = (gateway: typeof a.gateway) =>
    gateway.fetch(new Request(url, { method: "POST", headers, body: "{}" }));
  assert.equal((await send(a.gateway)).status, 200);
  const replayed = await send(b.gateway);
  assert.equal(replayed.status, 401);
  assert.equal((await replayed.json()).reason, "replay");
  assert.equal(b.audits[0].replay, "replayed");
  assert.equal((await send(lonely.gateway)).status, 200, "a store of its own cannot know");
});

Deno.test("audit: one entry per request with its fields; no secret, token, body or signature", async () => {
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => lines.push(line);
  try {
    const { gateway, post, audits } = setup({ auditLog: true });
    const client = sdk.createClient({
      ...ops,
      endpoint: "http://gw.test",
      fetch: (input, init) => gateway.fetch(new Request(input, init)),
    });
    const secretName = "a channel name that is body content";
    await sdk.createChannel(client, {
      channelName: secretName,
      channelType: "live",
      pushDomain: "push.example.com",
      pullRate: "0",
    });
    await post(viewerToken, JSON.stringify({ pageSize: 7 }));
    await post("wrong-token-0123456789abcdef");
    await gateway.fetch(new Request("http://gw.test/nowhere"));
    for (let i = 0; i < 4; i++) await post(partnerToken);

    assert.equal(audits.length, 8, "one entry per request");
    assert.deepEqual(
      lines.map((line) => JSON.parse(line)),
      audits.map((entry) => ({
        type: "gateway.audit",
        ...entry,
      })),
    );
    const [create, read, unknown, nowhere, ...partner] = audits;
    assert.equal(create.key, "ops");
    assert.equal(create.action, "createChannel");
    assert.equal(create.status, 200);
    assert.equal(create.replay, "fresh");
    assert.equal(create.budget, "ok");
    assert.match(create.upstreamRequestId ?? "", /^[0-9a-f-]{36}$/);
    assert.ok(create.bytesIn > secretName.length && create.bytesOut > 20);
    assert.ok(create.durationMs >= 0);
    assert.ok(!Number.isNaN(Date.parse(create.time)));
    assert.equal(read.key, "viewer");
    assert.equal(read.replay, undefined, "bearer calls have no signature to check");
    assert.equal(read.bytesIn, JSON.stringify({ pageSize: 7 }).length);
    assert.equal(unknown.status, 401);
    assert.equal(unknown.authFailure, "unknown-token");
    assert.equal(unknown.key, undefined);
    assert.equal(nowhere.status, 404);
    assert.equal(nowhere.action, undefined);
    assert.deepEqual(partner.map((p) => [p.status, p.quota]), [
      [200, "ok"],
      [200, "ok"],
      [200, "ok"],
      [429, "exceeded"],
    ]);
    const all = lines.join("\n");
    for (
      const secret of [master.secretKey, ops.secretKey, viewerToken, partnerToken, secretName]
    ) {
      assert.ok(!all.includes(secret), `never in the audit: ${secret}`);
    }
    assert.ok(!/CNC-HMAC|Signature=|Bearer/i.test(all), "no Authorization header");
  } finally {
    console.log = log;
  }
});

Deno.test("configuration: budget and quotas from the environment, errors naming the field", () => {
  const base = { WANGSU_ACCESS_KEY: "AK", WANGSU_SECRET_KEY: "SK", GATEWAY_KEYS: "[]" };
  assert.equal(gatewayOptionsFromEnvironment(base).accountBudget, undefined, "the default");
  assert.deepEqual(
    gatewayOptionsFromEnvironment({
      ...base,
      GATEWAY_ACCOUNT_BUDGET: "60/30",
      GATEWAY_BUDGET_MAX_WAIT_MS: "100",
    }).accountBudget,
    { limit: 60, windowSeconds: 30, maxWaitMs: 100, marginMs: undefined },
  );
  assert.equal(
    gatewayOptionsFromEnvironment({ ...base, GATEWAY_ACCOUNT_BUDGET: "off" }).accountBudget,
    false,
  );
  assert.equal(
    gatewayOptionsFromEnvironment({ ...base, GATEWAY_AUDIT_LOG: "off" }).auditLog,
    false,
  );
  assert.throws(
    () => gatewayOptionsFromEnvironment({ ...base, GATEWAY_ACCOUNT_BUDGET: "300 per 5 min" }),
    (e) =>
      e instanceof sdk.WangsuValidationError && /GATEWAY_ACCOUNT_BUDGET: must be/.test(e.message),
  );
  const badQuota = (rateLimit: unknown) => () =>
    createGateway({
      upstream: master,
      keys: [{ token: viewerToken, actions: ["read"], rateLimit } as never],
    });
  assert.throws(
    badQuota({ limit: 0, windowSeconds: 60 }),
    (e) =>
      e instanceof sdk.WangsuValidationError &&
      e.issues[0].path == "keys.0.rateLimit.limit" && /at least 1/.test(e.message),
  );
  assert.throws(
    badQuota({ limit: 10 }),
    (e) =>
      e instanceof sdk.WangsuValidationError && /keys\.0\.rateLimit\.windowSeconds/.test(e.message),
  );
});
