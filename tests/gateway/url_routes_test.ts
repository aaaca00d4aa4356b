// The gateway issues signed push and play URLs (POST /urls/push, /urls/play) to keys with the
// `urls` right, offline: no upstream request, no budget spent; the simulator's edge check accepts
// them when the gateway holds the simulator's rules.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import {
  type AuditEntry,
  createGateway,
  type GatewayKeyConfig,
  type GatewayOptions,
} from "../../src/gateway/mod.ts";
import {
  createGatewayFromEnvironment,
  gatewayOptionsFromEnvironment,
} from "../../src/gateway/config.ts";
import { createSimulator, type SimUrlCheck } from "../../src/simulator/mod.ts";
import { signRequest } from "../../src/signer.ts";
import { verifyLiveUrl } from "../../src/url_signing/mod.ts";
import { countingUpstream } from "../helpers.ts";

const START = Date.UTC(2026, 5, 1);
const master = { accessKey: "AK_MASTER", secretKey: `SK_MASTER_${crypto.randomUUID()}` };
const issuer = { accessKey: "GW_ISSUER", secretKey: `issuer-${crypto.randomUUID()}` };
const viewerToken = `viewer-${crypto.randomUUID()}`;
const readerToken = `reader-${crypto.randomUUID()}`;
const tenantA = `tenant-a-${crypto.randomUUID()}`;
const tenantB = `tenant-b-${crypto.randomUUID()}`;
const keys: GatewayKeyConfig[] = [
  { name: "issuer", ...issuer, actions: ["read"], urls: ["push", "play"], objects: "all" },
  { name: "viewer", token: viewerToken, actions: ["read"], urls: ["play"], objects: "all" },
  { name: "reader", token: readerToken, actions: ["*"] },
  // Tenants: "own" keys (the default) may sign URLs only of the channels their tenant owns.
  { name: "tenant-a", token: tenantA, actions: ["pull-channels"], urls: ["play"] },
  { name: "tenant-b", token: tenantB, actions: ["pull-channels"], urls: ["play"] },
];
const reasonOf = (check: SimUrlCheck) => check.ok ? "accepted" : check.reason;

async function setup(overrides: Partial<GatewayOptions> = {}) {
  let clock = START;
  const now = () => clock;
  // The push domain's rule is given (its key known, to look for it in answers); the play
  // domain's is the simulator's own random one.
  const pushKey = `push-${crypto.randomUUID()}`;
  const simulator = createSimulator({
    credentials: [master],
    now,
    callbacks: false,
    urlRules: {
      "push.example.com": {
        secretKey: pushKey,
        timeFormat: "hex",
        effectiveTimeMode: "abstime",
        ciphe_combination: "path+time+key",
      },
    },
  });
  const direct = sdk.createClient({ ...master, fetch: simulator.fetch, now });
  const { pullId } = await sdk.createChannel(direct, {
    channelName: "urls",
    channelType: "live",
    pushDomain: "push.example.com",
    pullRate: "0",
  });
  const pushId = simulator.store.channels.get(pullId)!.pushId;
  const counted = countingUpstream(simulator, master);
  const audits: AuditEntry[] = [];
  const gateway = createGateway({
    upstream: counted.upstream,
    keys,
    now,
    auditLog: false,
    onAudit: (entry) => audits.push(entry),
    urlRules: {
      push: { "push.example.com": simulator.urlRuleOf("push.example.com") },
      play: { "play.example.com": simulator.urlRuleOf("play.example.com") },
    },
    ...overrides,
  });
  const texts: string[] = [];
  const send = async (request: Request) => {
    const response = await gateway.fetch(request);
    texts.push(await response.clone().text());
    return response;
  };
  const bearer = (path: string, body: unknown, token = viewerToken) =>
    send(
      new Request(`http://gw.test${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: typeof body == "string" ? body : JSON.stringify(body),
      }),
    );
  const signed = async (path: string, body: unknown) => {
    const url = `http://gw.test${path}`;
    const text = JSON.stringify(body);
    const headers = await signRequest({ method: "POST", url, body: text }, issuer, {
      timestamp: Math.floor(clock / 1000),
    });
    return new Request(url, { method: "POST", headers, body: text });
  };
  return {
    simulator,
    pushKey,
    pushId,
    bearer,
    signed,
    send,
    audits,
    texts,
    upstream: counted.requests,
    advance: (seconds: number) => clock += seconds * 1000,
  };
}

Deno.test("a key with the urls right gets push and play URLs the simulator's edge accepts, with no upstream request", async () => {
  const { simulator, pushId, bearer, signed, send, upstream, advance, audits } = await setup();
  const push = await send(
    await signed("/urls/push", { url: `rtmp://push.example.com/live/${pushId}`, expiresIn: 600 }),
  );
  assert.equal(push.status, 200);
  const pushed = await push.json();
  assert.equal(pushed.expiresAt, START / 1000 + 600);
  assert.equal(pushed.time, pushed.expiresAt, "abstime: the URL's time is its expiry");
  assert.equal(reasonOf(simulator.checkUrl(pushed.url)), "accepted");

  const play = await bearer("/urls/play", {
    url: `http://play.example.com/live/${pushId}.flv`,
    expiresIn: 60,
  });
  assert.equal(play.status, 200);
  const { url } = await play.json();
  assert.equal(reasonOf(simulator.checkUrl(url)), "accepted");
  advance(61);
  assert.equal(reasonOf(simulator.checkUrl(url)), "expired");

  assert.equal(upstream(), 0, "nothing went upstream");
  assert.deepEqual(
    audits.map(({ path, key, status }) => ({ path, key, status })),
    [
      { path: "/urls/push", key: "issuer", status: 200 },
      { path: "/urls/play", key: "viewer", status: 200 },
    ],
  );
});

Deno.test("a key without the urls right, or without the push right, gets 403; no key gets 401", async () => {
  const { pushId, bearer, send, upstream, texts } = await setup();
  const body = { url: `rtmp://push.example.com/live/${pushId}`, expiresIn: 600 };
  const reader = await bearer("/urls/play", body, readerToken);
  assert.equal(reader.status, 403);
  assert.match((await reader.json()).message, /reader may not sign play URLs/);
  const viewer = await bearer("/urls/push", body);
  assert.equal(viewer.status, 403);
  assert.match((await viewer.json()).message, /viewer may not sign push URLs/);
  const anonymous = await send(
    new Request("http://gw.test/urls/push", { method: "POST", body: JSON.stringify(body) }),
  );
  assert.equal(anonymous.status, 401);
  assert.equal(upstream(), 0);
  for (const text of texts) assert.ok(!text.includes(viewerToken) && !text.includes(readerToken));
});

Deno.test("bad input is a 400 naming the field; no rule's key appears in any answer", async () => {
  const { simulator, pushKey, pushId, bearer, signed, send, upstream, texts } = await setup();
  const cases: [string, unknown, string][] = [
    ["/urls/play", "not json", ""],
    ["/urls/play", [], ""],
    ["/urls/play", { expiresIn: 60 }, "url"],
    ["/urls/play", { url: 42, expiresIn: 60 }, "url"],
    ["/urls/play", { url: `http://play.example.com/live/${pushId}.flv` }, "expiresIn"],
    [
      "/urls/play",
      { url: `http://play.example.com/live/${pushId}.flv`, expiresIn: "60" },
      "expiresIn",
    ],
    [
      "/urls/play",
      { url: `http://play.example.com/live/${pushId}.flv`, expiresIn: 0 },
      "expiresIn",
    ],
    ["/urls/play", { url: `http://play.example.com/x.flv`, expiresIn: 60, pullId: "p" }, "pullId"],
    // A push domain is not a play domain, nor is a domain the gateway has no rule for.
    ["/urls/play", { url: `rtmp://push.example.com/live/${pushId}`, expiresIn: 60 }, "url"],
    ["/urls/play", { url: "http://play.elsewhere.example/live/s.flv", expiresIn: 60 }, "url"],
    [
      "/urls/play",
      { url: "srt://play.example.com:9000?streamid=#!::r=live/s", expiresIn: 60 },
      "url",
    ],
  ];
  for (const [path, body, field] of cases) {
    const response = await bearer(path, body);
    const answer = await response.json();
    assert.equal(response.status, 400, JSON.stringify(body));
    if (field) {
      assert.equal(answer.issues?.[0]?.path, field, `${JSON.stringify(body)}: ${answer.message}`);
      assert.match(answer.message, new RegExp(`^${field}: `));
    }
  }
  const twice = await signed("/urls/push", {
    url: `rtmp://push.example.com/live/${pushId}`,
    expiresIn: 600,
  });
  assert.equal((await send(twice.clone())).status, 200);
  const replayed = await send(twice);
  assert.equal(replayed.status, 401, "a signed request is not taken twice");
  assert.equal((await replayed.json()).reason, "replay");
  assert.equal(upstream(), 0);
  for (const text of texts) {
    for (const secret of [pushKey, master.secretKey, issuer.secretKey, viewerToken]) {
      assert.ok(!text.includes(secret), text);
    }
  }
  assert.equal(simulator.stats.requests, 1, "only the test's own createChannel reached it");
});

Deno.test("the gateway's URL rules are checked at creation, naming urlRules.<push|play>.<domain>.<field>, never a key", () => {
  const base = {
    upstream: { ...master, fetch: () => Promise.reject(new Error("no upstream")) },
    keys,
    auditLog: false,
  };
  const secretKey = `gw-${crypto.randomUUID()}`;
  const bad = (urlRules: unknown, path: string) =>
    assert.throws(
      () => createGateway({ ...base, urlRules: urlRules as GatewayOptions["urlRules"] }),
      (error: unknown) =>
        error instanceof sdk.WangsuValidationError && error.issues[0].path == path &&
        error.issues[0].message.startsWith(path) && !error.message.includes(secretKey),
    );
  bad(
    { push: { "push.example.com": { secretKey, timeFormat: "hex" } } },
    "urlRules.push.push.example.com.effectiveTimeMode",
  );
  bad({ pull: {} }, "urlRules.pull");
  bad({ play: { "not a domain": { secretKey } } }, "urlRules.play.not a domain");
  bad({ play: [] }, "urlRules.play");
  assert.throws(
    () => createGateway({ ...base, keys: [{ ...keys[1], urls: ["pull"] }] as never }),
    (error: unknown) =>
      error instanceof sdk.WangsuValidationError && error.issues[0].path == "keys.0.urls.0",
  );
});

Deno.test("GATEWAY_URL_RULES configures the rules from the environment, naming the variable on a bad one", async () => {
  const secretKey = `env-${crypto.randomUUID()}`;
  const env = {
    WANGSU_ACCESS_KEY: master.accessKey,
    WANGSU_SECRET_KEY: master.secretKey,
    GATEWAY_KEYS: JSON.stringify([keys[1]]),
    GATEWAY_URL_RULES: JSON.stringify({
      play: {
        "play.example.com": {
          secretKey,
          timeFormat: "UNIX timestamp",
          effectiveTimeMode: "duration",
          effectiveTime: "1800",
          ciphe_combination: "key+path+time",
        },
      },
    }),
  };
  const options = gatewayOptionsFromEnvironment(env);
  const gateway = createGateway({ ...options, auditLog: false, now: () => START });
  const response = await gateway.fetch(
    new Request("http://gw.test/urls/play", {
      method: "POST",
      headers: { authorization: `Bearer ${viewerToken}` },
      body: JSON.stringify({ url: "http://play.example.com/live/s.flv" }),
    }),
  );
  assert.equal(response.status, 200);
  const { url, expiresAt } = await response.json();
  assert.equal(expiresAt, START / 1000 + 1800, "duration mode: the rule sets the life");
  assert.equal(
    verifyLiveUrl(url, JSON.parse(env.GATEWAY_URL_RULES).play["play.example.com"], {
      now: START / 1000,
    }).ok,
    true,
  );
  for (
    const [text, path] of [["{", "GATEWAY_URL_RULES"], [
      '{"push":{"p.example.com":{"secretKey":"' + secretKey + '"}}}',
      "GATEWAY_URL_RULES.push.p.example.com.timeFormat",
    ]]
  ) {
    assert.throws(
      () => {
        createGatewayFromEnvironment(
          gatewayOptionsFromEnvironment({ ...env, GATEWAY_URL_RULES: text }),
        );
      },
      (error: unknown) =>
        error instanceof sdk.WangsuValidationError && error.issues[0].path == path &&
        !error.message.includes(secretKey),
      text,
    );
  }
});

Deno.test("a gateway without URL rules has no URL routes", async () => {
  const gateway = createGateway({
    upstream: { ...master, fetch: () => Promise.reject(new Error("no upstream")) },
    keys,
    auditLog: false,
  });
  const response = await gateway.fetch(
    new Request("http://gw.test/urls/play", {
      method: "POST",
      headers: { authorization: `Bearer ${viewerToken}` },
      body: JSON.stringify({ url: "http://play.example.com/live/s.flv", expiresIn: 60 }),
    }),
  );
  assert.equal(response.status, 404);
});

Deno.test("an own key may sign play URLs only of the channels its tenant owns: the URL's stream names the channel", async () => {
  const { simulator, bearer, upstream } = await setup();
  // A pull-mode channel, created through the gateway by tenant A: its stream is its pullId.
  const created = await bearer("/live/channelManage/createPullChannel", {
    channelName: "tenant pull",
    sourcePullProtocol: "0",
    pullDomain: "play.example.com",
    sourcePullUrl: "rtmp://origin.example.com/live/source",
    pullRate: "0,1",
  }, tenantA);
  assert.equal(created.status, 200, await created.clone().text());
  const { data: { pullId } } = await created.json();
  const requests = upstream();
  const ask = (token: string, stream: string) =>
    bearer(
      "/urls/play",
      { url: `http://play.example.com/live/${stream}.flv`, expiresIn: 60 },
      token,
    );
  for (const stream of [pullId, `${pullId}_fluent`, `${pullId}_fluent_zkgq`, `${pullId}_audio`]) {
    const mine = await ask(tenantA, stream);
    assert.equal(mine.status, 200, stream);
    assert.equal(reasonOf(simulator.checkUrl((await mine.json()).url)), "accepted");
  }
  const theirs = await ask(tenantB, pullId);
  assert.equal(theirs.status, 403);
  assert.deepEqual(
    [(await theirs.json()).reason, (await (await ask(tenantA, "not-a-channel")).json()).reason],
    ["not-owned", "not-owned"],
  );
  assert.equal(upstream(), requests, "the ownership check made no upstream request");
});
