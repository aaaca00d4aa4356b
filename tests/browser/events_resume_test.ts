// The proof in headless Chromium: an `EventSource` whose connection is cut while three
// events are published receives all three after it reconnects, none twice, through two gateway
// isolates. The isolates are two `workers/deno.ts` processes on one Deno KV file, behind a tiny
// round-robin proxy (this test's own server, which also serves the page, so it is one origin):
// the first connection goes to gateway A, the reconnection to gateway B, and the browser's own
// `Last-Event-ID` (EventSource sends it itself) is all that says where to resume.
import assert from "node:assert/strict";
import { openChromium } from "./chromium.ts";
import { settles, until } from "../helpers.ts";
import { twoEntriesOnOneKv, untilHealthy } from "../security/deno_entry_fixture.ts";

const PAGE = (token: string) =>
  `<!doctype html>
<html><body><script type="module">
const post = (path, body) => fetch(path, { method: "POST", body: JSON.stringify(body) });
const source = new EventSource("/events?access_token=" + ${JSON.stringify(token)});
let seq = 0;
source.addEventListener("push.started", (e) =>
  post("/event", { pullId: JSON.parse(e.data).pullId, id: e.lastEventId, seq: ++seq }));
source.addEventListener("reset", () => post("/event", { pullId: "RESET", seq: ++seq }));
source.onopen = () => post("/open", {});
</script></body></html>`;

Deno.test({
  name:
    "in headless Chromium: EventSource cut while three events are published gets all three after reconnecting to the other gateway, none twice",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { token, ingress, entries: gateways } = await twoEntriesOnOneKv();
    const got: { pullId: string; id?: string; seq: number }[] = [];
    const connections: { to: number; lastEventId: string | null }[] = [];
    let opened = 0;
    /** Cuts the open streams (aborting them upstream and down). */
    const live = new Set<AbortController>();
    /** While set, new `/events` connections wait for it (the browser is "offline"). */
    let offline: Promise<void> | undefined;
    let online = () => {};
    let turn = 0;
    const proxy = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
      const url = new URL(request.url);
      if (url.pathname == "/") {
        return new Response(PAGE(token), { headers: { "content-type": "text/html" } });
      }
      if (request.method == "POST") {
        const body = await request.json();
        if (url.pathname == "/open") opened++;
        if (url.pathname == "/event") got.push(body);
        return new Response("ok");
      }
      if (url.pathname != "/events") return new Response("no", { status: 404 });
      await offline;
      const to = turn++ % 2;
      connections.push({ to, lastEventId: request.headers.get("last-event-id") });
      const cut = new AbortController();
      live.add(cut);
      const upstream = await fetch(gateways[to].url + url.pathname + url.search, {
        headers: request.headers,
        signal: cut.signal,
      });
      const { readable, writable } = new TransformStream();
      upstream.body!.pipeTo(writable, { signal: cut.signal }).catch(() => {});
      return new Response(readable, { status: upstream.status, headers: upstream.headers });
    });
    const deliver = async (pullId: string, time: number, at: number) => {
      const response = await fetch(
        `${gateways[at].url}/callbacks/${ingress}?action=publish&pullId=${pullId}&time=${time}`,
      );
      assert.equal(response.status, 200);
      await response.body?.cancel();
    };
    const chromium = await (async () => {
      await Promise.all(gateways.map((gateway) => untilHealthy(gateway)));
      return openChromium(`http://127.0.0.1:${proxy.addr.port}/`);
    })();
    try {
      await until(() => opened == 1, "the page's first connection", { deadlineMs: 60_000 });
      await deliver("before", 1767225600, 1);
      await until(() => got.length == 1, "the first event in the page", { deadlineMs: 60_000 });
      // Offline: the stream is cut, and the reconnection waits while three events are published.
      offline = new Promise((resolve) => online = resolve);
      for (const cut of live) cut.abort();
      live.clear();
      await deliver("cut-1", 1767225601, 0);
      await deliver("cut-2", 1767225602, 1);
      await deliver("cut-3", 1767225603, 0);
      online();
      offline = undefined;
      await until(() => got.length >= 4, "the three missed events in the page", {
        deadlineMs: 60_000,
      });
      // A last live event: whatever was on its way came before it, so a repeat would show.
      await deliver("after", 1767225604, 1);
      await settles(
        until(() => got.some((e) => e.pullId == "after"), "the live event after"),
        "the live event after",
        60_000,
      );
      got.sort((a, b) => a.seq - b.seq);
      const names = got.map((e) => e.pullId);
      // Three channels published at two processes: each process orders what it received, so
      // the three may come in either order between them (one channel's events keep theirs).
      assert.deepEqual(
        [names[0], names.slice(1, 4).sort(), names.slice(4)],
        ["before", ["cut-1", "cut-2", "cut-3"], ["after"]],
        "all three, none twice, no reset",
      );
      assert.deepEqual(
        connections.map((c) => [c.to, c.lastEventId]),
        [[0, null], [1, got[0].id]],
        "first to A, then to B with the id of the last event received",
      );
      assert.equal(new Set(got.map((e) => e.id)).size, 5, "one position each");
    } finally {
      for (const cut of live) cut.abort();
      online();
      await chromium.close();
      await proxy.shutdown();
      await Promise.all(gateways.map((gateway) => gateway.stop()));
    }
  },
});
