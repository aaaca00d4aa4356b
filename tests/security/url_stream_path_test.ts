// Security review, item 2: an `own` key signed URLs whose path smuggled another tenant's stream
// (`/live/<own>/<other>.flv`, `/live/<own>_hd/<other>/playlist.m3u8`, `/live%2F<other>.flv/<own>`:
// the tenancy check read only the path's second segment), and a 10-year URL. Now a URL's path is
// `/<app>/<stream>[.ext]` or `/<app>/<stream>/(playlist.m3u8|manifest.f4m)`, encoded separators
// are refused, and `expiresIn` / `expiresAt` have a maximum (24 h unless configured).
import assert from "node:assert/strict";
import { gatewayOptionsFromEnvironment } from "../../src/gateway/config.ts";
import { createGateway } from "../../src/gateway/mod.ts";
import { createMemoryStore } from "../../src/server/state_store.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { virtualClock } from "../helpers.ts";

const master = { accessKey: "AK_MASTER", secretKey: `SK_MASTER_${crypto.randomUUID()}` };
const tokenA = `team-a-${crypto.randomUUID()}`;
const tokenB = `team-b-${crypto.randomUUID()}`;

async function setup(maxExpiresIn?: number) {
  const clock = virtualClock();
  const simulator = createSimulator({
    credentials: [master],
    rateLimit: false,
    callbacks: false,
    now: clock.now,
  });
  const gateway = createGateway({
    upstream: { ...master, endpoint: "http://upstream.test", fetch: simulator.fetch },
    now: clock.now,
    keys: [
      { name: "team-a", token: tokenA, actions: ["*"], urls: ["play"], rateLimit: false },
      { name: "team-b", token: tokenB, actions: ["*"], urls: ["play"], rateLimit: false },
    ],
    store: createMemoryStore(),
    accountBudget: false,
    auditLog: false,
    urlRules: {
      play: { "play.example.com": simulator.urlRuleOf("play.example.com") },
      ...(maxExpiresIn === undefined ? {} : { maxExpiresIn }),
    },
  });
  const post = async (token: string, path: string, body: unknown) => {
    const response = await gateway.fetch(
      new Request(`http://gw.test${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
    return { status: response.status, body: await response.json() };
  };
  const pull = {
    channelName: "p",
    sourcePullProtocol: "0",
    pullDomain: "play.example.com",
    sourcePullUrl: "rtmp://origin.example.com/live/s",
    pullRate: "0,1",
  };
  const a: string = (await post(tokenA, "/live/channelManage/createPullChannel", pull)).body.data
    .pullId;
  const b: string = (await post(tokenB, "/live/channelManage/createPullChannel", pull)).body.data
    .pullId;
  const sign = (url: string, expiry: Record<string, number> = { expiresIn: 60 }) =>
    post(tokenB, "/urls/play", { url, ...expiry });
  return { a, b, sign, clock };
}

/** The issues' `path rule` pairs of a 400 answer. */
const issuesOf = (body: { issues?: { path: string; rule: string }[] }) =>
  (body.issues ?? []).map((issue) => `${issue.path} ${issue.rule}`);

Deno.test("a path that carries a second stream is refused, naming url and the rule", async () => {
  const { a, b, sign } = await setup();
  for (
    const url of [
      `http://play.example.com/live/${b}/${a}.flv`,
      `http://play.example.com/live/${b}_hd/${a}/playlist.m3u8`,
      `http://play.example.com/${b}/live/${a}.flv`,
      `http://play.example.com/live/${b}/x/playlist.m3u8`,
      `http://play.example.com/live/${b}/index.m3u8`,
      `http://play.example.com/live/${b}.flv/`,
      `http://play.example.com/live`,
    ]
  ) {
    const answer = await sign(url);
    assert.equal(answer.status, 400, url);
    assert.deepEqual(issuesOf(answer.body), ["url stream_path"], url);
    assert.match(answer.body.message, /^url: /);
  }
});

Deno.test("encoded separators in the path are refused", async () => {
  const { a, b, sign } = await setup();
  for (
    const url of [
      `http://play.example.com/live%2F${a}.flv/${b}`,
      `http://play.example.com/live/${b}%2f${a}.flv`,
      `http://play.example.com/live/${b}%5C${a}.flv`,
    ]
  ) {
    const answer = await sign(url);
    assert.equal(answer.status, 400, url);
    assert.deepEqual(issuesOf(answer.body), ["url encoded_separator"], url);
  }
});

Deno.test("the platform's own play URL shapes for the key's channel are signed", async () => {
  const { a, b, sign } = await setup();
  for (
    const url of [
      `http://play.example.com/live/${b}.flv`,
      `http://play.example.com/live/${b}_hd.flv`,
      `http://play.example.com/live/${b}/playlist.m3u8`,
      `http://play.example.com/live/${b}_sd_zkgq/playlist.m3u8`,
      `http://play.example.com/live/${b}/manifest.f4m`,
      `rtmp://play.example.com/live/${b}_audio`,
    ]
  ) {
    const answer = await sign(url);
    assert.equal(answer.status, 200, `${url}: ${JSON.stringify(answer.body)}`);
  }
  // Another tenant's stream in the one stream segment is still refused as not owned.
  assert.equal((await sign(`http://play.example.com/live/${a}.flv`)).status, 403);
});

Deno.test("expiresIn and expiresAt are at most 24 h by default", async () => {
  const { b, sign, clock } = await setup();
  const url = `http://play.example.com/live/${b}.flv`;
  const tenYears = await sign(url, { expiresIn: 315_000_000 });
  assert.equal(tenYears.status, 400);
  assert.deepEqual(issuesOf(tenYears.body), ["expiresIn max_value"]);
  assert.equal((await sign(url, { expiresIn: 86_400 })).status, 200);
  const now = Math.floor(clock.now() / 1000);
  const late = await sign(url, { expiresAt: now + 86_401 });
  assert.equal(late.status, 400);
  assert.deepEqual(issuesOf(late.body), ["expiresAt max_value"]);
  assert.equal((await sign(url, { expiresAt: now + 86_400 })).status, 200);
});

Deno.test("the maximum is configurable, in the options and the environment", async () => {
  const { b, sign } = await setup(600);
  const url = `http://play.example.com/live/${b}.flv`;
  assert.equal((await sign(url, { expiresIn: 600 })).status, 200);
  assert.deepEqual(issuesOf((await sign(url, { expiresIn: 601 })).body), ["expiresIn max_value"]);
  const env = {
    WANGSU_ACCESS_KEY: master.accessKey,
    WANGSU_SECRET_KEY: master.secretKey,
    GATEWAY_KEYS: JSON.stringify([{ name: "k", token: tokenA, actions: ["read"] }]),
    GATEWAY_URL_RULES: JSON.stringify({ play: {} }),
    GATEWAY_URL_MAX_EXPIRES_IN: "7200",
  };
  assert.equal(gatewayOptionsFromEnvironment(env).urlRules?.maxExpiresIn, 7200);
  assert.throws(
    () => gatewayOptionsFromEnvironment({ ...env, GATEWAY_URL_MAX_EXPIRES_IN: "soon" }),
    /GATEWAY_URL_MAX_EXPIRES_IN/,
  );
  assert.throws(
    () => createGateway({ upstream: master, keys: [], urlRules: { maxExpiresIn: 0 } }),
    (
      error: Error & { issues?: { path: string }[] },
    ) => error.issues?.[0]?.path == "urlRules.maxExpiresIn",
  );
});
