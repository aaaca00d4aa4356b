// The self-hosted deployment of the deployment guide (docs/deployment.md), run as written on a
// fresh clone: its install line puts only the gateway's packages into node_modules, its
// permissions are enough, and the two processes it starts share one Deno KV file (a key's quota
// spent at one is spent at the other). Only the guide's placeholders are filled in: secrets,
// paths, ports, and the upstream (an embedded simulator instead of the vendor).
import assert from "node:assert/strict";
import { createSimulator } from "../../src/simulator/mod.ts";
import { cloneCopy, docBlock, freePortPair, runScript } from "./start_fixture.ts";

/** 32 random hex characters, as `openssl rand -hex 16` gives. */
const random = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0"))
    .join("");

Deno.test({
  name: "docs/deployment.md, self-hosted: two processes from a clone share one KV file, as written",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const block = await docBlock("docs/deployment.md", "Self-hosted");
    const clone = await cloneCopy(["deno.json", "deno.lock", "mod.ts", "src", "workers"]);
    const etc = await Deno.makeTempDir({ prefix: "wangsu-etc-" });
    const state = await Deno.makeTempDir({ prefix: "wangsu-state-" });
    const simulator = createSimulator({ callbacks: false });
    const upstream = await simulator.serve({ port: 0 });
    const token = `dash-${random()}`;
    await Deno.writeTextFile(
      `${etc}/keys.json`,
      JSON.stringify([{
        name: "dashboard",
        token,
        actions: ["read"],
        rateLimit: { limit: 1, windowSeconds: 300 },
      }]),
    );
    const [a, b] = [freePortPair(), freePortPair()];
    const [master] = simulator.credentials;
    const script = block
      .replaceAll("<master access key>", master.accessKey)
      .replaceAll("<master secret key>", master.secretKey)
      .replaceAll("/etc/wangsu-gateway", etc)
      .replaceAll("/var/lib/wangsu-gateway", state)
      .replaceAll("PORT=8787", `PORT=${a}`)
      .replaceAll("PORT=8788", `PORT=${b}`);
    assert.notEqual(script, block);
    assert.doesNotMatch(script, /<[^>]+>/, "every placeholder filled in");
    const env: Record<string, string> = {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "/tmp",
      NO_COLOR: "1",
      // Not in the block: the vendor is the default upstream; here, the simulator.
      WANGSU_ENDPOINT: upstream.url,
    };
    const denoDir = Deno.env.get("DENO_DIR");
    if (denoDir) env.DENO_DIR = denoDir;
    // The block starts both processes in the background; `wait` keeps the script until stopped.
    const running = runScript(`set -e\n${script}\nwait`, { cwd: clone, env });
    try {
      await running.waitFor(new RegExp(`Listening on http://127\\.0\\.0\\.1:${a}/`));
      await running.waitFor(new RegExp(`Listening on http://127\\.0\\.0\\.1:${b}/`));
      assert.match(running.output(), /gateway state: the Deno KV file .*state\.kv/);

      // The install line: the gateway's packages, none of the project's tools.
      const installed = [...Deno.readDirSync(`${clone}/node_modules/.deno`)].map((e) => e.name);
      assert.ok(installed.some((name) => name.startsWith("hono@")), installed.join(", "));
      assert.deepEqual(
        installed.filter((name) => /^(wrangler|miniflare|workerd|esbuild|typescript)@/.test(name)),
        [],
      );

      const list = (port: number) =>
        fetch(`http://127.0.0.1:${port}/live/channelManage/getChannelList`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
          body: '{"pageSize":10}',
        });
      const first = await list(a);
      assert.equal(first.status, 200, await first.clone().text());
      assert.equal((await first.json()).code, 200);
      // The quota of 1 request per 300 s was spent at the other process: shared through KV.
      const second = await list(b);
      assert.equal(second.status, 429, await second.clone().text());
      assert.match((await second.json()).message, /over its quota/);
      for (const port of [a, b]) {
        const health = await fetch(`http://127.0.0.1:${port}/healthz`);
        assert.equal(health.status, 200);
        await health.body?.cancel();
      }
    } finally {
      await running.stop();
      await upstream.close();
      for (const dir of [clone, etc, state]) await Deno.remove(dir, { recursive: true });
    }
  },
});
