// Live events in a real browser: headless Chromium opens a page that subscribes to the gateway's
// /events with EventSource and a read-only bearer token, plus a second subscription with a token
// that may read recording tasks only. The test drives the simulator (start, stop, start, ban) one
// step per event the page reports back, and times each step from the simulator's change to the
// page's report.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { createGateway } from "../../src/gateway/mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { openChromium } from "./chromium.ts";
import { demoChannel } from "../helpers.ts";

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
  reader.addEventListener(type, (e) => {
    // Numbered: two reports sent back to back may reach the test out of order.
    post("/event", { type, data: JSON.parse(e.data), seq: ++received });
    // The last step: give the other subscriptions a moment to (wrongly) receive anything.
    if (type == "channel.banned") setTimeout(() => post("/done", { others }), 500);
  });
  recorder.addEventListener(type, (e) => others.push(type));
  outsider.addEventListener(type, (e) => others.push(type));
}
let opened = 0;
const ready = () => ++opened == 2 && post("/ready", {});
reader.onopen = ready;
recorder.onopen = ready;
outsider.onerror = () => post("/outsider", { readyState: outsider.readyState });
</script></body></html>`;

Deno.test({
  name:
    "in headless Chromium: /events delivers push start, stop and ban within 2 s; other keys see nothing",
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
    const simulator = createSimulator({
      credentials: [master],
      // `gateway` is made below, before any callback is raised.
      callbacks: { fetch: (request) => gateway.fetch(request) },
    });
    const client = sdk.createClient({ ...master, fetch: simulator.fetch });
    const pullId = await demoChannel(client, `http://gateway.internal/callbacks/${ingress}`);

    const steps: { type: string; reason?: string; ms: number; seq: number }[] = [];
    let changedAt = 0;
    const change = (step: () => unknown) => {
      changedAt = performance.now();
      step();
    };
    let finished!: (others: string[]) => void;
    const done = new Promise<string[]>((resolve) => (finished = resolve));
    let outsider: number | undefined;
    const page = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
      const { pathname } = new URL(request.url);
      const body = request.method == "POST" ? await request.json() : undefined;
      if (pathname == "/ready") change(() => simulator.startStream(pullId));
      if (pathname == "/outsider") outsider = body.readyState;
      if (pathname == "/done") finished(body.others);
      if (pathname == "/event") {
        const ms = performance.now() - changedAt;
        steps.push({ type: body.type, reason: body.data.reason, ms, seq: body.seq });
        assert.equal(body.data.pullId, pullId);
        const next = [
          () => change(() => simulator.stopStream(pullId)),
          () => change(() => simulator.startStream(pullId)),
          () => change(() => sdk.channelForbidden(client, { pullId })),
        ][steps.length - 1];
        // Callbacks carry the time in whole seconds and no id, so the gateway takes two
        // identical ones as one redelivery: each step waits for the next second, as real pushes
        // a second apart would (see "Callbacks" in the README).
        if (next) setTimeout(next, 1_020 - (Date.now() % 1_000));
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
        { name: "reader", token: config.readerToken, actions: ["read"] },
        { name: "recorder", token: config.recorderToken, actions: ["recording"] },
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
      const others = await Promise.race([
        done,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`timed out; steps: ${JSON.stringify(steps)}`)), 30_000)
        ),
      ]);
      steps.sort((a, b) => a.seq - b.seq);
      const seen = steps.map((s) => `${s.type} ${s.reason ?? ""}`.trim());
      assert.deepEqual(seen.slice(0, 3), ["push.started", "push.stopped stop", "push.started"]);
      // The ban raises two callbacks at once, delivered side by side: either may come first.
      assert.deepEqual(seen.slice(3).sort(), ["channel.banned", "push.stopped forbid"]);
      for (const step of steps) assert.ok(step.ms < 2000, `${step.type} took ${step.ms} ms`);
      assert.deepEqual(others, [], "the recording-only and outsider keys received nothing");
      assert.equal(outsider, 2, "the key with no event rights was refused: EventSource closed");
    } finally {
      await chromium.close();
      await page.shutdown();
      await server.shutdown();
      simulator.close();
    }
  },
});
