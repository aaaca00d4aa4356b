// Live events in a real browser: headless Chromium opens a page that subscribes to the gateway's
// /events with EventSource and a read-only bearer token, plus a second subscription with a token
// that may read recording tasks only, and a third with a token that may read no events. The test
// drives the simulator (start, stop, start, ban) one step per event the page reports back. How
// fast events arrive is measured by `deno task bench`, not here.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { createGateway } from "../../src/gateway/mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { openChromium } from "./chromium.ts";
import { demoChannel, settles } from "../helpers.ts";

const PAGE = (config: Record<string, string>) =>
  `<!doctype html>
<html><body><pre id="log"></pre><script type="module">
const config = ${JSON.stringify(config)};
const post = (path, body) => fetch(path, { method: "POST", body: JSON.stringify(body) });
const types = ["push.started", "push.stopped", "channel.banned", "channel.reopened"];
const watch = (token) => new EventSource(config.gateway + "/events?access_token=" + token);
const reader = watch(config.readerToken);
const recorder = watch(config.recorderToken);
const outsider = watch(config.outsiderToken);
const others = [];
let received = 0;
for (const type of types) {
  // Numbered: two reports sent back to back may reach the test out of order.
  reader.addEventListener(type, (e) =>
    post("/event", { type, data: JSON.parse(e.data), seq: ++received }));
  recorder.addEventListener(type, (e) => others.push(type));
  outsider.addEventListener(type, (e) => others.push(type));
}
// The recording key's own event, raised after the ban: a stream delivers in order, so anything
// it (wrongly) received before is in others by then.
recorder.addEventListener("record.status", () =>
  post("/done", { others, outsider: outsider.readyState }));
// Ready once both subscriptions are open and the third was refused.
const up = new Set();
const ready = (name) => {
  if (up.size == 3) return;
  up.add(name);
  if (up.size == 3) post("/ready", { outsider: outsider.readyState });
};
reader.onopen = () => ready("reader");
recorder.onopen = () => ready("recorder");
outsider.onerror = () => ready("outsider");
</script></body></html>`;

Deno.test({
  name: "in headless Chromium: /events delivers push start, stop and ban; other keys see nothing",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const master = { accessKey: "AK_MASTER", secretKey: "SK_MASTER_events_browser_01" };
    const config = {
      gateway: "",
      readerToken: "reader-token-browser-0123456789",
      recorderToken: "recorder-token-browser-012345",
      outsiderToken: "outsider-token-browser-012345",
    };
    const ingress = "cb_browser_0123456789abcdef0123456789abcdef";
    // Callbacks carry the time in whole seconds and no id, so the gateway takes two identical
    // ones as one redelivery (see docs/callbacks.md): each step happens a second later
    // on the simulator's clock, as real pushes a second apart would, with no wait.
    let step = 0;
    const simulator = createSimulator({
      credentials: [master],
      now: () => Date.now() + step * 1_000,
      // `gateway` is made below, before any callback is raised.
      callbacks: { fetch: (request) => gateway.fetch(request) },
    });
    const client = sdk.createClient({ ...master, fetch: simulator.fetch });
    const pullId = await demoChannel(client, `http://gateway.internal/callbacks/${ingress}`);

    const steps: { type: string; reason?: string; pullId: unknown; seq: number }[] = [];
    let finish!: (body: { others: string[]; outsider: number }) => void;
    let fail!: (error: unknown) => void;
    const done = new Promise<{ others: string[]; outsider: number }>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    let outsiderAtReady: number | undefined;
    /** Moves the simulator's clock on a second, then makes the next change. */
    const change = (make: () => unknown) => {
      step++;
      Promise.resolve().then(make).catch(fail);
    };
    // What to change once this many events have been reported: the ban raises two.
    const next: Record<number, () => unknown> = {
      1: () => simulator.stopStream(pullId),
      2: () => simulator.startStream(pullId),
      3: () => sdk.channelForbidden(client, { pullId }),
      5: () =>
        sdk.createRecordTask(client, {
          pullId,
          quickStart: false,
          startTime: Math.floor(Date.now() / 1000) + 3_600,
          endTime: Math.floor(Date.now() / 1000) + 7_200,
          notifyUrl: `http://gateway.internal/callbacks/${ingress}`,
        }),
    };
    // The page server only records what the page says; the test judges it below.
    const page = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
      const { pathname } = new URL(request.url);
      const body = request.method == "POST" ? await request.json() : undefined;
      if (pathname == "/ready") {
        outsiderAtReady = body.outsider;
        change(() => simulator.startStream(pullId));
      }
      if (pathname == "/done") finish(body);
      if (pathname == "/event") {
        steps.push({
          type: body.type,
          reason: body.data.reason,
          pullId: body.data.pullId,
          seq: body.seq,
        });
        if (next[steps.length]) change(next[steps.length]);
      }
      if (pathname == "/") {
        return new Response(PAGE(config), { headers: { "content-type": "text/html" } });
      }
      return new Response("ok");
    });
    const origin = `http://127.0.0.1:${page.addr.port}`;
    const gateway = createGateway({
      upstream: { ...master, fetch: simulator.fetch },
      keys: [
        // Operators' keys: the channels are made on the simulator, outside the gateway.
        { name: "reader", token: config.readerToken, actions: ["read"], objects: "all" },
        { name: "recorder", token: config.recorderToken, actions: ["recording"], objects: "all" },
        { name: "outsider", token: config.outsiderToken, actions: ["channels"] },
      ],
      corsOrigins: [origin],
      callbacks: { token: ingress },
      auditLog: false,
    });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, gateway.fetch);
    config.gateway = `http://127.0.0.1:${server.addr.port}`;
    const chromium = await openChromium(origin, ["--remote-debugging-port=0"]);
    try {
      // The deadline only bounds a hang; it says how far the steps got.
      const { others, outsider } = await settles(done, "the page's last report", 120_000).catch(
        (error) => {
          throw new Error(`${error.message}; steps: ${JSON.stringify(steps)}`);
        },
      );
      steps.sort((a, b) => a.seq - b.seq);
      const seen = steps.map((s) => `${s.type} ${s.reason ?? ""}`.trim());
      assert.deepEqual(seen.slice(0, 3), ["push.started", "push.stopped stop", "push.started"]);
      // The ban raises two callbacks at once, delivered side by side: either may come first.
      assert.deepEqual(seen.slice(3).sort(), ["channel.banned", "push.stopped forbid"]);
      assert.deepEqual(steps.map((s) => s.pullId), Array(5).fill(pullId), "the channel's events");
      assert.deepEqual(others, [], "the recording-only and outsider keys received nothing");
      assert.deepEqual(
        [outsiderAtReady, outsider],
        [2, 2],
        "the key with no event rights was refused: its EventSource closed, and stayed closed",
      );
    } finally {
      await chromium.close();
      await page.shutdown();
      await server.shutdown();
      simulator.close();
    }
  },
});
