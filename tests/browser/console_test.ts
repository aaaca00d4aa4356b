// The page at `/` in headless Chromium, driven over the DevTools protocol: the API reference
// renders every action from /openapi.json (screenshot kept), a "try it" call with the demo's
// read-only token answers 200, and the live console shows a channel going live once its simulated
// encoder starts, all with no Content-Security-Policy violation reported. Each wait below is on
// the page's state, with a deadline that only bounds a hang; how fast the page follows is for
// `deno task bench`.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { createGateway } from "../../src/gateway/mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import spec from "../../src/actions/spec.json" with { type: "json" };
import { consoleAssets, simulatorConsolePage } from "../../workers/console_assets.ts";
import { openChromiumDriven } from "./chromium.ts";
import { demoChannel } from "../helpers.ts";

/** Deadline of each wait on the page: only a bound on a hang, never a latency target. */
const HANG_MS = 60_000;

Deno.test({
  name: "in headless Chromium: the page at / renders the reference, tries a call, and goes live",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const master = { accessKey: "AK_MASTER", secretKey: "SK_MASTER_console_test_01" };
    const token = "demo-read-token-0123456789abcdef";
    const ingress = "cb_console_0123456789abcdef0123456789abcd";
    const simulator = createSimulator({
      credentials: [master],
      // `gateway` is made below, before any callback is raised.
      callbacks: { fetch: (request) => gateway.fetch(request) },
    });
    const gateway = createGateway({
      upstream: { ...master, fetch: simulator.fetch },
      // The operator's key: the channels are made on the simulator, outside the gateway.
      keys: [{ name: "demo", token, actions: ["read"], objects: "all" }],
      callbacks: { token: ingress },
      page: simulatorConsolePage(simulator, token),
      auditLog: false,
    });
    const client = sdk.createClient({ ...master, fetch: simulator.fetch });
    const pullIds = [
      await demoChannel(client, undefined, "Main stage"),
      await demoChannel(client, `http://gateway.internal/callbacks/${ingress}`, "Backstage"),
    ];
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, gateway.fetch);
    // Every Content-Security-Policy violation the page reports, from before its first script.
    const browser = await openChromiumDriven(`http://127.0.0.1:${server.addr.port}/`, {
      initScript: `window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(e.effectiveDirective + " " + e.blockedURI), true);`,
    });
    try {
      const operations = await browser.until(
        `document.querySelectorAll(".opblock").length == ${spec.actions.length} && ${spec.actions.length}`,
        HANG_MS,
      );
      assert.equal(operations, spec.actions.length, "the reference lists every action");
      const shot = await browser.screenshot();
      assert.deepEqual([...shot.slice(1, 4)], [0x50, 0x4e, 0x47], "a PNG");
      assert.ok(shot.length > 20_000, `a screenshot with something in it (${shot.length} B)`);
      const file = await Deno.makeTempFile({ prefix: "wangsu-console-", suffix: ".png" });
      await Deno.writeFile(file, shot);
      console.log(`screenshot of / kept at ${file}`);

      // "Try it out" on getChannelList, as a user would click it.
      const op = `document.getElementById("operations-channels-getChannelList")`;
      await browser.evaluate(`${op}.querySelector(".opblock-summary-control").click()`);
      assert.ok(
        await browser.until(`!!${op}.querySelector(".try-out__btn")`, HANG_MS),
        "expanded",
      );
      await browser.evaluate(`${op}.querySelector(".try-out__btn").click()`);
      assert.ok(await browser.until(`!!${op}.querySelector(".execute")`, HANG_MS), "try it out");
      await browser.evaluate(`${op}.querySelector(".execute").click()`);
      const status = await browser.until(
        `(() => {
        const cell = document.querySelector(
          "#operations-channels-getChannelList .live-responses-table tbody .response-col_status");
        return cell && cell.textContent.trim();
      })()`,
        HANG_MS,
      );
      assert.equal(status, "200", "the try-it call with the demo token answered 200");

      // The live console: both channels listed idle; start one encoder from its button.
      const rows = await browser.until(
        `document.querySelectorAll("#channels tr[data-pull-id]").length`,
        HANG_MS,
      );
      assert.equal(rows, 2);
      const state = (pullId: string) =>
        `document.querySelector('[data-pull-id="${pullId}"] [data-state]').dataset.state`;
      assert.equal(await browser.evaluate(state(pullIds[0])), "idle");
      assert.ok(
        await browser.until(
          `document.getElementById("events-status").textContent.startsWith("Live")`,
          HANG_MS,
        ),
        "the console's event stream is open",
      );
      await browser.evaluate(`document.querySelector('[data-start="${pullIds[0]}"]').click()`);
      const live = await browser.until(`${state(pullIds[0])} == "live" && "live"`, HANG_MS);
      assert.equal(live, "live", "went live on the page");
      assert.equal(await browser.evaluate(state(pullIds[1])), "idle", "the other one did not");
      assert.deepEqual(
        await browser.evaluate("window.__violations"),
        [],
        "the reference, a try-it call and the live console ran within the page's CSP",
      );
      const html = String(await browser.evaluate("document.documentElement.outerHTML"));
      assert.ok(!html.includes(master.secretKey), "no secret in the page");
    } finally {
      await browser.close();
      await server.shutdown();
      simulator.close();
    }
  },
});

Deno.test("the page is off unless configured; its files are only the renderer's", async () => {
  const master = { accessKey: "AK_MASTER", secretKey: "SK_MASTER_console_test_02" };
  const simulator = createSimulator({ credentials: [master], callbacks: false });
  const plain = createGateway({
    upstream: { ...master, fetch: simulator.fetch },
    keys: [{ token: "a-read-token-0123456789", actions: ["read"] }],
    auditLog: false,
  });
  assert.equal((await plain.fetch(new Request("http://gw.test/"))).status, 404);
  const withPage = createGateway({
    upstream: { ...master, fetch: simulator.fetch },
    keys: [{ token: "a-read-token-0123456789", actions: ["read"] }],
    page: { assets: consoleAssets },
    auditLog: false,
  });
  const home = await withPage.fetch(new Request("http://gw.test/"));
  assert.equal(home.status, 200);
  const html = await home.text();
  assert.ok(!html.includes('id="console"'), "no console outside demo mode");
  assert.ok(!html.includes("a-read-token-0123456789"), "no token placed outside demo mode");
  const script = await withPage.fetch(new Request("http://gw.test/_console/swagger-ui-bundle.js"));
  assert.equal(script.status, 200);
  assert.match(script.headers.get("content-type")!, /javascript/);
  await script.body?.cancel();
  for (const file of ["console.js", "console.css"]) {
    const own = await withPage.fetch(new Request(`http://gw.test/_console/${file}`));
    assert.equal(own.status, 200, `the page's own ${file}`);
    assert.ok(!(await own.text()).includes("a-read-token-0123456789"));
  }
  const other = await withPage.fetch(new Request("http://gw.test/_console/..%2fdeno.json"));
  assert.equal(other.status, 404);
  const demo = await withPage.fetch(
    new Request("http://gw.test/_console/demo/x/start", { method: "POST" }),
  );
  assert.equal(demo.status, 404, "no encoder controls outside demo mode");
});
