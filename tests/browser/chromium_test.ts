// The SDK in a real browser: headless Debian Chromium (installed with apt when missing) loads an
// esbuild bundle made from the built npm package, signs a vector in the page, and calls the
// gateway on localhost through CORS.
import assert from "node:assert/strict";
import * as esbuild from "esbuild";
import { createGateway } from "../../src/gateway/mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import vectors from "../fixtures/signing_vectors.json" with { type: "json" };
import { consumerFolder } from "../../scripts/sizes.ts";
import { buildNpmOnce } from "../helpers.ts";
import { CHROMIUM, chromiumFlags, ensureChromium } from "./chromium.ts";

const root = new URL("../../", import.meta.url).pathname;
async function bundlePage(config: unknown): Promise<string> {
  await buildNpmOnce();
  const consumer = await consumerFolder();
  await Deno.copyFile(`${root}tests/browser/fixtures/page.ts`, `${consumer}/page.ts`);
  const result = await esbuild.build({
    entryPoints: [`${consumer}/page.ts`],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    define: { CONFIG: JSON.stringify(config) },
    nodePaths: [`${root}node_modules`],
    logLevel: "error",
  });
  await esbuild.stop();
  await Deno.remove(consumer, { recursive: true });
  return result.outputFiles[0].text;
}

Deno.test({
  name: "in headless Chromium: a signing vector, and gateway calls through CORS",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await ensureChromium();
    const master = { accessKey: "AK_MASTER", secretKey: "SK_MASTER_browser_test" };
    const token = "browser-token-0123456789abcdef";
    const pair = { accessKey: "GW_BROWSER", secretKey: "gw-browser-secret-0123456789" };
    const simulator = createSimulator({ credentials: [master] });

    const page = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
      const { pathname } = new URL(request.url);
      if (pathname == "/page.js") {
        return new Response(script, { headers: { "content-type": "text/javascript" } });
      }
      return new Response(
        '<!doctype html><html><body><pre id="result">pending</pre><script type="module" src="/page.js"></script></body></html>',
        { headers: { "content-type": "text/html" } },
      );
    });
    const origin = `http://127.0.0.1:${page.addr.port}`;
    const gateway = createGateway({
      upstream: { ...master, fetch: simulator.fetch },
      keys: [{ token, actions: ["read"] }, { ...pair, actions: ["read"] }],
      corsOrigins: [origin],
    });
    const gatewayServer = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      gateway.fetch,
    );
    const script = await bundlePage({
      gateway: `http://127.0.0.1:${gatewayServer.addr.port}`,
      token,
      pair,
      vector: vectors[0],
    });
    try {
      const profile = await Deno.makeTempDir({ prefix: "wangsu-chromium-" });
      // The page's time is Chromium's virtual time, which stands still while a request is out:
      // the budget is not a wall-clock bound. The signal only bounds a hang of the browser.
      const hang = AbortSignal.timeout(120_000);
      const chromium = await new Deno.Command(CHROMIUM, {
        args: [
          ...chromiumFlags(profile),
          "--virtual-time-budget=15000",
          "--dump-dom",
          origin,
        ],
        stdout: "piped",
        stderr: "piped",
        signal: hang,
      }).output();
      await Deno.remove(profile, { recursive: true });
      const dom = new TextDecoder().decode(chromium.stdout);
      const json = dom.match(/<pre id="result">([^<]*)<\/pre>/)?.[1] ?? "";
      assert.ok(
        json.startsWith("{"),
        `page result: ${json || dom.slice(0, 500)}${hang.aborted ? " (Chromium hung: ended)" : ""}`,
      );
      const results = JSON.parse(json.replaceAll("&quot;", '"').replaceAll("&amp;", "&"));
      assert.equal(results.error, undefined);
      assert.equal(results.vector, true, "the vector's signature is reproduced in the page");
      assert.equal(results.verified, true);
      assert.equal(results.bearer.status, 200);
      assert.equal(results.bearer.code, 200);
      assert.match(
        results.bearer.requestId,
        /^[0-9a-f-]{36}$/,
        "the request id is exposed to the page",
      );
      assert.equal(results.forbidden, 403);
      assert.equal(results.signed, 0, "a signed client call succeeds through CORS");
      assert.equal(results.validation, "pageSize: must be at most 50");
      assert.equal(results.apiError, 401);
    } finally {
      await page.shutdown();
      await gatewayServer.shutdown();
    }
  },
});
