// The simulator signs its setPushTsatc / setPullTsatc URLs with each domain's timestamp anti-leech
// rule, and checks a URL as that domain's edge would (checkUrl and GET /_sim/check-url).
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import {
  createSimulator,
  type SimulatorOptions,
  type SimUrlCheck,
} from "../../src/simulator/mod.ts";
import { verifyLiveUrl } from "../../src/url_signing/mod.ts";

const START = Date.UTC(2026, 5, 1);
const reasonOf = (check: SimUrlCheck) => check.ok ? "accepted" : check.reason;

function setup(options: SimulatorOptions = {}) {
  let clock = START;
  const simulator = createSimulator({ now: () => clock, callbacks: false, ...options });
  const client = sdk.createClient({
    ...simulator.credentials[0],
    fetch: simulator.fetch,
    now: () => clock,
  });
  const channel = (pushDomain = "push.example.com", pullRate = "0,1", pullProtocol = "0,1,2") =>
    sdk.createChannel(client, {
      channelName: `urls ${crypto.randomUUID()}`,
      channelType: "live",
      pushDomain,
      pullRate,
      pullProtocol,
    });
  const advance = (seconds: number) => clock += seconds * 1000;
  return { simulator, client, channel, advance, now: () => clock / 1000 };
}

Deno.test("setPushTsatc answers a push URL signed with the push domain's rule: checkUrl accepts it until it expires", async () => {
  const { simulator, client, channel, advance, now } = setup();
  const { pullId } = await channel();
  const { pushUrl } = await sdk.setPushTsatc(client, { pullId, effectiveHourLong: "600" });
  // Today's shape: wsSecret (32 hex) and wsTime (hex expiry).
  assert.match(
    pushUrl,
    /^rtmp:\/\/push\.example\.com\/live\/\w+\?wsSecret=[0-9a-f]{32}&wsTime=[0-9a-f]+$/,
  );
  const expiry = parseInt(new URL(pushUrl).searchParams.get("wsTime")!, 16);
  assert.equal(expiry, now() + 600);
  assert.deepEqual(simulator.checkUrl(pushUrl), {
    ok: true,
    keyIndex: 0,
    time: expiry,
    expiresAt: expiry,
  });
  // The domain's rule, as the simulator holds it, verifies it independently.
  assert.equal(
    verifyLiveUrl(pushUrl, simulator.urlRuleOf("push.example.com"), { now: now() }).ok,
    true,
  );
  advance(600);
  assert.equal(simulator.checkUrl(pushUrl).ok, true, "valid up to its expiry");
  advance(1);
  assert.equal(reasonOf(simulator.checkUrl(pushUrl)), "expired");
  const tampered = pushUrl.replace(/\/live\/\w+\?/, "/live/another?");
  assert.equal(reasonOf(simulator.checkUrl(tampered)), "bad-signature");
});

Deno.test("setPullTsatc signs each play URL on its own with the play domain's rule", async () => {
  const { simulator, client, channel } = setup();
  const { pullId } = await channel();
  const sets = await sdk.setPullTsatc(client, { pullId, effectiveHourLong: "3600" });
  assert.deepEqual(sets.map((set) => set.pullProtocol), ["0", "1", "2"]);
  const urls = sets.flatMap((set) =>
    Object.entries(set).filter(([name, value]) => /Url$/.test(name) && value).map(([, url]) => url)
  );
  // origin and fluent, each with its smart-HD variant, and the audio URL, per protocol.
  assert.equal(urls.length, 15);
  for (const url of urls) {
    assert.ok(url.includes("//play.example.com/"), url);
    assert.deepEqual(simulator.checkUrl(url).ok, true, url);
  }
  const signatures = new Set(urls.map((url) => new URL(url).searchParams.get("wsSecret")));
  assert.equal(signatures.size, urls.length, "each URL has its own signature");
  // A play URL's signature does not carry over to another stream of the channel.
  const [origin, fluent] = [sets[1].originPullUrl, sets[1].fluentPullUrl];
  const swapped = fluent.split("?")[0] + "?" + origin.split("?")[1];
  assert.equal(reasonOf(simulator.checkUrl(swapped)), "bad-signature");
});

Deno.test("a URL signed for another domain fails, and a domain the simulator does not serve is unknown", async () => {
  const { simulator, client, channel } = setup();
  const first = await channel("push.one.example");
  await channel("push.two.example");
  const { pushUrl } = await sdk.setPushTsatc(client, {
    pullId: first.pullId,
    effectiveHourLong: "600",
  });
  assert.equal(simulator.checkUrl(pushUrl).ok, true);
  const moved = pushUrl.replace("push.one.example", "push.two.example");
  assert.equal(reasonOf(simulator.checkUrl(moved)), "bad-signature", "each domain has its own key");
  const unknown = simulator.checkUrl(pushUrl.replace("push.one.example", "push.nowhere.example"));
  assert.equal(reasonOf(unknown), "unknown-domain");
  assert.match(unknown.ok ? "" : unknown.message, /push\.nowhere\.example/);
  assert.equal(reasonOf(simulator.checkUrl("not a url")), "malformed-url");
});

Deno.test("the urlRules option sets a domain's rule: the simulator signs and checks with it", async () => {
  const rule = {
    secretKey: `sim-${crypto.randomUUID()}`,
    timeFormat: "UNIX timestamp",
    effectiveTimeMode: "duration",
    effectiveTime: 120,
    ciphe_combination: "key+path+time",
  } as const;
  const { simulator, client, channel, advance, now } = setup({
    urlRules: { "push.example.com": rule },
  });
  const { pullId } = await channel();
  const { pushUrl } = await sdk.setPushTsatc(client, { pullId, effectiveHourLong: "3600" });
  // Duration mode: the URL carries its signing time, in decimal, and lives effectiveTime seconds.
  assert.equal(new URL(pushUrl).searchParams.get("wsTime"), String(now()));
  assert.equal(verifyLiveUrl(pushUrl, rule, { now: now() }).ok, true, "signed with the given key");
  advance(121);
  assert.equal(reasonOf(simulator.checkUrl(pushUrl)), "expired");
  assert.throws(
    () =>
      createSimulator({
        urlRules: { "push.example.com": { ...rule, ciphe_combination: "k+p" as never } },
      }),
    (error: unknown) =>
      error instanceof sdk.WangsuValidationError &&
      error.issues[0].path == "urlRules.push.example.com.ciphe_combination" &&
      !error.message.includes(rule.secretKey),
  );
});

Deno.test("GET /_sim/check-url answers 200 with the check for a good URL, 403 for a refused one, 400 without a URL", async () => {
  const { simulator, client, channel } = setup();
  const { pullId } = await channel();
  const { pushUrl } = await sdk.setPushTsatc(client, { pullId, effectiveHourLong: "600" });
  const check = (url?: string) =>
    simulator.fetch(
      `http://sim.test/_sim/check-url${url === undefined ? "" : `?url=${encodeURIComponent(url)}`}`,
    );
  const good = await check(pushUrl);
  assert.equal(good.status, 200);
  assert.deepEqual(await good.json(), simulator.checkUrl(pushUrl));
  const bad = await check(pushUrl.replace(/wsSecret=\w/, "wsSecret=z"));
  assert.equal(bad.status, 403);
  assert.equal((await bad.json()).reason, "bad-signature");
  const elsewhere = await check("rtmp://push.nowhere.example/live/s?wsSecret=0&wsTime=0");
  assert.equal(elsewhere.status, 403);
  assert.equal((await elsewhere.json()).reason, "unknown-domain");
  const none = await check();
  assert.equal(none.status, 400);
  assert.match((await none.json()).message, /url/);
});
