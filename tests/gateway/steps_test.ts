// The steps of a gateway action request, each on its own: it passes the request on with what the
// next step needs, or throws one GatewayError (status, reason, headers, audit note). Then the
// pipeline that runs them, as another route (the coming /mcp) would call it.
import assert from "node:assert/strict";
import { catalog } from "../../src/actions/catalog.ts";
import type { ActionDefinition } from "../../src/action.ts";
import { createClient } from "../../src/client.ts";
import { WangsuApiError, WangsuNetworkError, WangsuTimeoutError } from "../../src/errors.ts";
import type { AuditEntry } from "../../src/gateway/audit.ts";
import { BudgetExhaustedError, createBudgetLimiter } from "../../src/gateway/budget.ts";
import { GatewayError } from "../../src/gateway/gateway_error.ts";
import { type Caller, createAuthenticator } from "../../src/gateway/keys.ts";
import { createMemoryStore, type StateStore } from "../../src/server/state_store.ts";
import { signRequestSync } from "../../src/signer.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { authenticateCaller } from "../../src/gateway/steps/authenticate.ts";
import { checkScope } from "../../src/gateway/steps/scope.ts";
import { createActionLoader } from "../../src/gateway/steps/action_modules.ts";
import { validateBody } from "../../src/gateway/steps/body.ts";
import { checkReplay, createSignatureMemory } from "../../src/gateway/steps/replay.ts";
import { checkQuota } from "../../src/gateway/steps/quota.ts";
import { takeBudget } from "../../src/gateway/steps/budget.ts";
import { forward } from "../../src/gateway/steps/forward.ts";
import { answer } from "../../src/gateway/steps/answer.ts";
import { createActionRunner } from "../../src/gateway/steps/run_action.ts";
import { createGateway } from "../../src/gateway/mod.ts";
import { moduleGraph, virtualClock } from "../helpers.ts";

const secret = (label: string) => `${label}-${crypto.randomUUID().replaceAll("-", "")}`;
const entry = (name: string) => catalog.find((action) => action.name == name)!;
const LIST = entry("getChannelList");
const CREATE = entry("createChannel");

/** Runs `step`, which must throw a GatewayError, and returns it. */
async function refusal(step: () => unknown): Promise<GatewayError> {
  try {
    await step();
  } catch (error) {
    assert.ok(error instanceof GatewayError, `a GatewayError, not ${error}`);
    return error;
  }
  assert.fail("the step passed the request on");
}

const bearerCaller = (overrides: Partial<Caller> = {}): Caller => ({
  name: "viewer",
  kind: "bearer",
  allowed: new Set([LIST.name]),
  ...overrides,
});

Deno.test("authenticate: a caller, or 401 with the reason (the audit keeps an unknown key apart)", async () => {
  const clock = virtualClock();
  const token = secret("token");
  const signer = { accessKey: "GW_STEP", secretKey: secret("gw") };
  const authenticate = createAuthenticator({
    keys: [{ name: "viewer", token, actions: ["read"] }, {
      name: "ops",
      ...signer,
      actions: ["*"],
    }],
    actions: catalog,
    now: clock.now,
    maxSkewSeconds: 300,
  });
  const request = (headers: HeadersInit) =>
    new Request("http://gw.test/x", { method: "POST", headers, body: "{}" });
  const body = () => Promise.resolve("{}");
  const caller = await authenticateCaller(
    authenticate,
    request({ authorization: `Bearer ${token}` }),
    body,
  );
  assert.equal(caller.name, "viewer");
  const unknown = await refusal(() =>
    authenticateCaller(authenticate, request({ authorization: `Bearer ${secret("x")}` }), body)
  );
  assert.deepEqual(
    [unknown.status, unknown.reason, unknown.message, unknown.details, unknown.audit],
    [401, "unknown-token", "Unknown bearer token", { reason: "unknown-token" }, {
      authFailure: "unknown-token",
    }],
  );
  const stranger = signRequestSync(
    { method: "POST", url: "http://gw.test/x", body: "{}" },
    { accessKey: "GW_NOBODY", secretKey: secret("nobody") },
    { timestamp: Math.floor(clock.now() / 1000) },
  );
  const probe = await refusal(() => authenticateCaller(authenticate, request(stranger), body));
  assert.deepEqual([probe.reason, probe.details, probe.audit], [
    "bad-signature",
    { reason: "bad-signature" },
    { authFailure: "unknown-key" },
  ]);
});

Deno.test("scope: passes an allowed action; 403 naming key and action otherwise", async () => {
  checkScope(bearerCaller(), LIST);
  const refused = await refusal(() => checkScope(bearerCaller(), CREATE));
  assert.deepEqual(
    [refused.status, refused.reason, refused.message, refused.details],
    [403, "out-of-scope", "Key viewer may not call createChannel", {}],
  );
});

Deno.test("body: the action's module loaded on first use, the input validated, or 400", async () => {
  const load = createActionLoader();
  assert.equal(load(LIST), load(LIST), "loaded once");
  const valid = await validateBody(LIST, JSON.stringify({ pageSize: 7 }), load);
  assert.equal(valid.definition.name, "getChannelList");
  assert.equal((valid.input as { pageSize: number }).pageSize, 7);
  assert.equal(typeof valid.send, "function");
  const notJson = await refusal(() => validateBody(LIST, "{", load));
  assert.deepEqual([notJson.status, notJson.reason, notJson.message, notJson.details], [
    400,
    "invalid-body",
    "The body must be JSON",
    {},
  ]);
  const wrong = await refusal(() => validateBody(LIST, JSON.stringify({ pageSize: "7" }), load));
  const { issues } = wrong.details as { issues: { path: string }[] };
  assert.equal(wrong.status, 400);
  assert.deepEqual(issues.map((issue) => issue.path), ["pageSize"]);
  assert.match(wrong.message, /pageSize/);
});

Deno.test("body: a module that fails to load is tried again on the next request", async () => {
  let attempts = 0;
  const flaky = {
    ...LIST,
    load: () => ++attempts == 1 ? Promise.reject(new Error("network")) : LIST.load(),
  };
  const load = createActionLoader();
  await assert.rejects(load(flaky), /network/);
  assert.equal((await load(flaky)).definition.name, "getChannelList");
  assert.equal(attempts, 2);
});

Deno.test("replay: bearer callers pass; a signature is fresh once, then 401; no memory is 503", async () => {
  const clock = virtualClock();
  const signature = {
    accessKey: "GW_STEP",
    signature: "ab".repeat(32),
    timestamp: Math.floor(clock.now() / 1000),
  };
  const signed = bearerCaller({ name: "ops", kind: "signed", signature });
  const remember = createSignatureMemory(createMemoryStore({ now: clock.now }), 300);
  assert.equal(await checkReplay(remember, bearerCaller()), undefined);
  assert.equal(await checkReplay(remember, signed), "fresh");
  const replayed = await refusal(() => checkReplay(remember, signed));
  assert.deepEqual(
    [replayed.status, replayed.reason, replayed.details, replayed.headers, replayed.audit],
    [401, "replay", { reason: "replay" }, {}, { authFailure: "replay", replay: "replayed" }],
  );
  const broken = createSignatureMemory(
    { ...createMemoryStore(), remember: () => Promise.reject(new Error("reset")) },
    300,
  );
  const unavailable = await refusal(() => checkReplay(broken, signed));
  assert.deepEqual(
    [unavailable.status, unavailable.reason, unavailable.headers, unavailable.audit],
    [503, "replay-check-unavailable", { "retry-after": "1" }, {
      authFailure: "replay-check-unavailable",
      replay: "unavailable",
    }],
  );
});

Deno.test("quota: keys without one pass; within it ok; over it 429 with Retry-After; no store 503", async () => {
  const clock = virtualClock();
  const store = createMemoryStore({ now: clock.now });
  assert.equal(await checkQuota(store, bearerCaller()), undefined);
  const limited = bearerCaller({ rateLimit: { limit: 1, windowSeconds: 60 } });
  assert.equal(await checkQuota(store, limited), "ok");
  clock.time += 20_000;
  const over = await refusal(() => checkQuota(store, limited));
  assert.deepEqual([over.status, over.reason, over.message, over.headers, over.audit], [
    429,
    "quota-exceeded",
    "Key viewer is over its quota of 1 requests per 60 s; retry in 40 s",
    { "retry-after": "40" },
    { quota: "exceeded" },
  ]);
  const failing: StateStore = { ...store, reserve: () => Promise.reject(new Error("reset")) };
  const unavailable = await refusal(() => checkQuota(failing, limited));
  assert.deepEqual([unavailable.status, unavailable.audit], [503, { quota: "unavailable" }]);
  // A store that throws at once is a bug, not an outage: it is not answered as one.
  const buggy: StateStore = {
    ...store,
    reserve: () => {
      throw new TypeError("a bug");
    },
  };
  await assert.rejects(checkQuota(buggy, limited), TypeError);
});

Deno.test("budget: a ticket with what it waited; 429 naming the budget when used up; 503 without a store", async () => {
  const clock = virtualClock();
  const config = { limit: 1, windowSeconds: 30, maxWaitMs: 0, marginMs: 0 };
  const budget = createBudgetLimiter(createMemoryStore({ now: clock.now }), config, clock);
  assert.deepEqual(await takeBudget(budget), { waitedMs: 0, unspent: true });
  const used = await refusal(() => takeBudget(budget));
  assert.deepEqual([used.status, used.reason, used.message, used.headers, used.audit], [
    429,
    "budget-exhausted",
    "The account's upstream budget of 1 requests per 30 s is used up; retry in 30 s",
    { "retry-after": "30" },
    { budget: "exhausted", budgetWaitMs: 0 },
  ]);
  const broken = createBudgetLimiter(
    { ...createMemoryStore(), reserve: () => Promise.reject(new Error("reset")) },
    config,
    clock,
  );
  const unavailable = await refusal(() => takeBudget(broken));
  assert.deepEqual([unavailable.status, unavailable.audit], [503, {
    budget: "unavailable",
    budgetWaitMs: 0,
  }]);
});

Deno.test("forward: sends the input with the request id and the ticket; repeats only what is safe", async () => {
  const calls: unknown[][] = [];
  const exchange = { envelope: { code: 200, message: "ok", data: {} }, text: "{}", status: 200 };
  const send = (...args: unknown[]) => {
    calls.push(args);
    return Promise.resolve({ ...exchange, requestId: "up-1" });
  };
  const upstream = createClient({ accessKey: "AK", secretKey: secret("SK") });
  const ticket = { waitedMs: 0, unspent: true };
  const definition = { ...(await LIST.load()) } as ActionDefinition;
  const outcome = await forward({
    send: send as never,
    upstream,
    action: LIST,
    definition,
    input: { pageSize: 7 },
    requestId: "gw-1",
    distinct: true,
    ticket,
  });
  assert.deepEqual(outcome, { exchange: { ...exchange, requestId: "up-1" }, requestId: "up-1" });
  const [client, request, name, repeatable] = calls[0];
  assert.equal(client, upstream);
  assert.deepEqual(request, {
    path: LIST.path,
    body: { pageSize: 7 },
    headers: { "x-gateway-request-id": "gw-1" },
    distinct: true,
    budget: ticket,
  });
  assert.deepEqual([name, repeatable], ["getChannelList", true]);

  const write = {
    ...(await CREATE.load()),
    repeatable: (input: unknown) => !!input,
  } as ActionDefinition;
  for (const input of [0, 1]) {
    await forward({
      send: send as never,
      upstream,
      action: CREATE,
      definition: write,
      input,
      requestId: "gw",
      distinct: false,
    });
  }
  assert.deepEqual(calls.slice(1).map((call) => call[3]), [false, true]);

  const failure = new WangsuApiError("refused", { status: 400, code: 400 }, { requestId: "up-2" });
  const failed = await forward({
    send: () => Promise.reject(failure),
    upstream,
    action: LIST,
    definition,
    input: {},
    requestId: "gw-2",
    distinct: true,
  });
  assert.deepEqual(failed, { failure, requestId: "up-2" });
});

Deno.test("answer: the service's answer as it came, or the gateway's refusal", async () => {
  const ok = answer({
    exchange: {
      envelope: { code: 200, message: "", data: 1 },
      text: "T",
      status: 200,
      requestId: "up",
    },
    requestId: "up",
  });
  assert.deepEqual(ok, { status: 200, text: "T", headers: { "x-cnc-request-id": "up" } });
  const api = (
    status: number,
    extra: Record<string, unknown> = {},
    body: unknown = { code: status },
  ) => ({
    failure: new WangsuApiError("x", { status, code: status, body, ...extra }, { requestId: "up" }),
    requestId: "up",
  });
  assert.deepEqual(answer(api(400)), {
    status: 400,
    text: '{"code":400}',
    headers: { "x-cnc-request-id": "up" },
  });
  assert.deepEqual(answer(api(429, {}, "slow")), {
    status: 429,
    text: "slow",
    headers: { "x-cnc-request-id": "up", "retry-after": "1" },
  });
  assert.deepEqual(answer(api(429, { retryAfterSeconds: 2.5 })).headers["retry-after"], "3");
  for (const status of [401, 403, 462]) {
    const refused = await refusal(() => answer(api(status)));
    assert.deepEqual([refused.status, refused.reason, refused.details, refused.headers], [
      502,
      "upstream-credentials",
      { upstreamStatus: status },
      {},
    ]);
  }
  const garbage = await refusal(() =>
    answer({
      failure: new WangsuApiError("x", { status: 200, code: "INVALID_RESPONSE" }, {
        requestId: "up",
      }),
      requestId: "up",
    })
  );
  assert.deepEqual([garbage.status, garbage.reason, garbage.headers], [
    502,
    "upstream-unreachable",
    { "x-cnc-request-id": "up" },
  ]);
  const unreachable = await refusal(() =>
    answer({ failure: new WangsuNetworkError("down", { requestId: "up" }) })
  );
  assert.deepEqual([unreachable.status, unreachable.headers], [502, {}]);
  const late = await refusal(() => answer({ failure: new WangsuTimeoutError(20) }));
  assert.deepEqual([late.status, late.reason, late.message], [
    504,
    "upstream-timeout",
    "The upstream service did not answer within 20 ms",
  ]);
  // A retry the budget refused: the same answer as the budget step's, without a second wait.
  const clock = virtualClock();
  const budget = createBudgetLimiter(createMemoryStore({ now: clock.now }), {
    limit: 4,
    windowSeconds: 8,
  }, clock);
  const spent = await refusal(() =>
    answer({ failure: new BudgetExhaustedError(1_500, 3) }, budget)
  );
  assert.deepEqual([spent.status, spent.message, spent.headers, spent.audit], [
    429,
    "The account's upstream budget of 4 requests per 8 s is used up; retry in 2 s",
    { "retry-after": "2" },
    { budget: "exhausted" },
  ]);
  // Whatever else went wrong on the way is answered as the upstream's failure.
  const other = await refusal(() => answer({ failure: new RangeError("a bug") }));
  assert.deepEqual([other.status, other.reason], [502, "upstream-unreachable"]);
});

/** A runner over the simulator with one bearer key, as a route other than HTTP would hold it. */
function runner() {
  const clock = virtualClock();
  const master = { accessKey: "AK_STEPS", secretKey: secret("SK") };
  const simulator = createSimulator({ credentials: [master], rateLimit: false, now: clock.now });
  const token = secret("token");
  const store = createMemoryStore({ now: clock.now });
  const runAction = createActionRunner({
    authenticate: createAuthenticator({
      keys: [{ name: "viewer", token, actions: ["read"], rateLimit: false }],
      actions: catalog,
      now: clock.now,
      maxSkewSeconds: 300,
    }),
    remember: createSignatureMemory(store, 300),
    store,
    upstream: createClient({
      ...master,
      endpoint: "http://upstream.test",
      fetch: simulator.fetch,
      now: clock.now,
    }),
    distinct: false,
    measureBody: true,
  });
  const audit = (): AuditEntry => ({
    time: "",
    requestId: crypto.randomUUID(),
    method: "POST",
    path: "/mcp",
    status: 0,
    durationMs: 0,
    bytesIn: 0,
    bytesOut: 0,
  });
  const request = (body: string) =>
    new Request("http://gw.test/mcp", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "x-gateway-via": "forged" },
      body,
    });
  return { runAction, audit, request };
}

Deno.test("runAction: another route runs an action through the same steps, audited with its `via`", async () => {
  const { runAction, audit, request } = runner();
  const listed = audit();
  const answered = await runAction(request("{}"), { action: LIST, audit: listed, via: "mcp" });
  assert.equal(answered.status, 200);
  assert.equal(JSON.parse(answered.text).code, 200);
  assert.deepEqual(
    [listed.action, listed.key, listed.via, listed.bytesIn],
    ["getChannelList", "viewer", "mcp", 2],
  );
  // The action's input given apart from the request's body (a tool call's arguments).
  const given = audit();
  const paged = await runAction(request("ignored"), {
    action: LIST,
    audit: given,
    via: "mcp",
    input: JSON.stringify({ pageSize: "seven" }),
  }).catch((error) => error);
  assert.ok(paged instanceof GatewayError);
  assert.equal(paged.status, 400);
  assert.equal(given.bytesIn, 0, "the input is not the request's body");
  // A refusal is noted in the audit entry before it is thrown.
  const refusedEntry = audit();
  const refused = await runAction(request("{}"), { action: CREATE, audit: refusedEntry })
    .catch((error) => error);
  assert.ok(refused instanceof GatewayError);
  assert.equal(refused.status, 403);
  assert.deepEqual([refusedEntry.key, refusedEntry.via], ["viewer", undefined]);
});

Deno.test("the HTTP route: no `via` in its audit entries, whatever the request's headers say", async () => {
  const token = secret("token");
  const master = { accessKey: "AK_VIA", secretKey: secret("SK") };
  const simulator = createSimulator({ credentials: [master], rateLimit: false });
  const audits: AuditEntry[] = [];
  const gateway = createGateway({
    upstream: { ...master, endpoint: "http://upstream.test", fetch: simulator.fetch },
    keys: [{ name: "viewer", token, actions: ["read"], rateLimit: false }],
    auditLog: false,
    onAudit: (entry) => audits.push(entry),
  });
  const response = await gateway.fetch(
    new Request(`http://gw.test${LIST.path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, via: "1.1 mcp", "x-gateway-via": "mcp" },
      body: "{}",
    }),
  );
  assert.equal(response.status, 200);
  assert.equal(audits[0].action, "getChannelList");
  assert.ok(!("via" in audits[0]), JSON.stringify(audits[0]));
});

Deno.test("the gateway starts without its action steps: they load with the first action request", async () => {
  const graph = await moduleGraph(new URL("../../src/gateway/mod.ts", import.meta.url));
  const steps = graph.statics.filter((specifier) => specifier.includes("/src/gateway/steps/"));
  // Only the memory of signatures, which the event routes share, is there from the start.
  assert.deepEqual(steps.map((specifier) => specifier.replace(/.*\/steps\//, "")), ["replay.ts"]);
  assert.ok(
    graph.all.some((specifier) => specifier.endsWith("/src/gateway/steps/run_action.ts")),
    "reachable on demand",
  );
});
