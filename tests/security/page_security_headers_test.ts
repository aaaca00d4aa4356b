// Issue 25, item 15: the page at `/` (and its files under `/_console/`) carries a
// Content-Security-Policy that lets only the page's own scripts and styles run (an inline one
// only by its hash), refuses to be framed, and says nosniff and no-referrer. Checked on the
// headers and markup in process, then in headless Chromium: Swagger UI and the live console run
// with no violation reported, a script injected into the page does not run, and a page on
// another origin cannot frame it.
import assert from "node:assert/strict";
import { createGateway, type GatewayOptions } from "../../src/gateway/mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import spec from "../../src/actions/spec.json" with { type: "json" };
import { consoleAssets, simulatorConsolePage } from "../../workers/console_assets.ts";
import { openChromiumDriven } from "../browser/chromium.ts";

const master = { accessKey: "AK_MASTER", secretKey: "SK_MASTER_page_headers_0123" };
const token = "page-demo-token-0123456789abcdef";

/** A gateway with the page, in demo mode or not, over an in-process simulator. */
const gatewayWithPage = (demo: boolean, extra: Partial<GatewayOptions> = {}) => {
  const simulator = createSimulator({ credentials: [master], callbacks: false });
  return createGateway({
    upstream: { ...master, fetch: simulator.fetch },
    keys: [{ name: "demo", token, actions: ["read"] }],
    page: demo ? simulatorConsolePage(simulator, token) : { assets: consoleAssets },
    callbacks: { token: "cb_page_headers_0123456789abcdef0123456789" },
    auditLog: false,
    ...extra,
  });
};

/** The policy's directives, by name. */
const directives = (policy: string) =>
  new Map(
    policy.split(";").map((part) => part.trim()).filter(Boolean).map((part) => {
      const [name, ...sources] = part.split(/\s+/);
      return [name.toLowerCase(), sources] as const;
    }),
  );

const sha256 = async (text: string) => {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
};

Deno.test("item 15: the page's headers: CSP (own scripts and styles only), no framing, nosniff, no-referrer", async () => {
  for (const demo of [false, true]) {
    const gateway = gatewayWithPage(demo);
    const home = await gateway.fetch(new Request("http://gw.test/"));
    assert.equal(home.status, 200);
    const html = await home.text();
    const policy = home.headers.get("content-security-policy");
    assert.ok(policy, `demo ${demo}: a Content-Security-Policy`);
    const csp = directives(policy);
    assert.deepEqual(csp.get("frame-ancestors"), ["'none'"]);
    assert.deepEqual(csp.get("default-src"), ["'none'"], "anything not named is refused");
    assert.deepEqual(csp.get("object-src") ?? csp.get("default-src"), ["'none'"]);
    assert.deepEqual(csp.get("base-uri"), ["'none'"]);
    const scripts = csp.get("script-src") ?? [];
    const styles = csp.get("style-src") ?? [];
    for (const [name, sources] of [["script-src", scripts], ["style-src", styles]] as const) {
      assert.ok(sources.includes("'self'"), `${name}: the page's own files`);
      for (const source of sources) {
        assert.match(source, /^'(self|sha256-[A-Za-z0-9+/]+=*)'$/, `${name} allows ${source}`);
      }
    }
    assert.equal(home.headers.get("x-content-type-options"), "nosniff");
    assert.equal(home.headers.get("referrer-policy"), "no-referrer");

    // Every inline script and style is allowed by its hash; no handler or style attribute.
    for (const [, attributes, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      if (/\bsrc=/.test(attributes)) {
        assert.match(attributes, /\bsrc="\/_console\//, "scripts come from the gateway");
        continue;
      }
      const type = /\btype="([^"]*)"/.exec(attributes)?.[1];
      if (type && !/javascript|module/.test(type)) continue; // a data block: never run
      assert.ok(scripts.includes(await sha256(body)), "an inline script is allowed by its hash");
    }
    for (const [, body] of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/g)) {
      assert.ok(styles.includes(await sha256(body)), "an inline style is allowed by its hash");
    }
    assert.doesNotMatch(html, /\son[a-z]+=/i, "no inline event handler");
    assert.doesNotMatch(html, /\sstyle=/i, "no style attribute");
    for (const [, href] of html.matchAll(/<link\b[^>]*href="([^"]*)"/g)) {
      assert.match(href, /^\/_console\//, "stylesheets come from the gateway");
    }

    // The page's files say nosniff and no-referrer too.
    for (const href of html.matchAll(/(?:src|href)="(\/_console\/[^"]+)"/g)) {
      const file = await gateway.fetch(new Request(`http://gw.test${href[1]}`));
      assert.equal(file.status, 200, href[1]);
      assert.equal(file.headers.get("x-content-type-options"), "nosniff", href[1]);
      assert.equal(file.headers.get("referrer-policy"), "no-referrer", href[1]);
      await file.body?.cancel();
    }
  }
});

Deno.test({
  name: "item 15 in headless Chromium: Swagger UI and the live console run with no CSP " +
    "violation; an injected script does not run; another origin cannot frame the page",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const paths: string[] = [];
    const gateway = gatewayWithPage(true, { onAudit: (entry) => paths.push(entry.path) });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, gateway.fetch);
    const origin = `http://127.0.0.1:${server.addr.port}`;
    const browser = await openChromiumDriven(`${origin}/`, {
      initScript: `window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(e.effectiveDirective + " " + e.blockedURI), true);`,
    });
    try {
      assert.equal(
        await browser.until(
          `document.querySelectorAll(".opblock").length == ${spec.actions.length} && ${spec.actions.length}`,
        ),
        spec.actions.length,
        "Swagger UI rendered every action",
      );
      assert.ok(
        await browser.until(`document.querySelectorAll("#channels tr").length > 0 &&
          !document.getElementById("channels").textContent.includes("Loading")`),
        "the live console listed the channels",
      );
      assert.ok(
        await browser.until(
          `document.getElementById("events-status").textContent.startsWith("Live")`,
        ),
        "the live console is connected to /events",
      );
      assert.deepEqual(await browser.evaluate("window.__violations"), [], "no CSP violation");

      // A script that got into the page (as an XSS would put it there) does not run.
      await browser.evaluate(`(() => {
        const script = document.createElement("script");
        script.textContent = "window.__injected = true";
        document.body.append(script);
      })()`);
      assert.equal(await browser.evaluate("window.__injected === true"), false, "not run");
      const reported = await browser.until("window.__violations.length && window.__violations");
      assert.deepEqual(reported, ["script-src-elem inline"], "and it was reported");
    } finally {
      await browser.close();
    }

    // A page on another origin frames `/`: the page is not rendered, so none of its files load.
    const framer = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      () =>
        new Response("<!doctype html><p>framer</p>", { headers: { "content-type": "text/html" } }),
    );
    const framing = await openChromiumDriven(`http://127.0.0.1:${framer.addr.port}/`);
    try {
      await framing.until("document.readyState == 'complete'");
      paths.length = 0;
      const loaded = await framing.evaluate(`new Promise((resolve) => {
        const frame = document.createElement("iframe");
        frame.onload = () => resolve(true);
        frame.src = ${JSON.stringify(`${origin}/`)};
        document.body.append(frame);
      })`);
      assert.equal(loaded, true, "the frame finished (as an error page)");
      assert.deepEqual(paths, ["/"], "the framed page was fetched, then not rendered");
    } finally {
      await framing.close();
      await framer.shutdown();
      await server.shutdown();
    }
  },
});
