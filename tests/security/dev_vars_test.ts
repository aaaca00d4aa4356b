// Local Workers secrets: `.dev.vars` is ignored by git (a file full of secrets never shows up
// ready to commit), and the local `wrangler dev` block of the deployment guide
// (docs/deployment.md), run as written on a fresh clone, serves with the secrets from it (without
// them every request is a 503).
import assert from "node:assert/strict";
import { createSimulator } from "../../src/simulator/mod.ts";
import { WRANGLER } from "../../scripts/wrangler.ts";
import { cloneCopy, docBlock, freePortPair, runScript } from "./start_fixture.ts";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("git ignores .dev.vars and .env files wherever they are", async () => {
  for (
    const path of [".dev.vars", ".dev.vars.staging", "workers/.dev.vars", ".env", ".env.local"]
  ) {
    const { code } = await new Deno.Command("git", {
      args: ["check-ignore", "--quiet", "--no-index", path],
      cwd: root,
    }).output();
    assert.equal(code, 0, `${path} is not ignored by git`);
  }
});

Deno.test({
  name: "docs/deployment.md, Workers locally: wrangler dev serves with the secrets of .dev.vars",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const block = await docBlock("docs/deployment.md", "Workers, locally");
    assert.match(block, /cat > \.dev\.vars/);
    assert.ok(block.includes(`deno run -A ${WRANGLER} dev`), "wrangler pinned as the tests run it");
    const clone = await cloneCopy([
      "deno.json",
      "deno.lock",
      "mod.ts",
      "src",
      "workers",
      "wrangler.toml",
    ]);
    const simulator = createSimulator({ callbacks: false });
    const upstream = await simulator.serve({ port: 0 });
    const [master] = simulator.credentials;
    const token = crypto.randomUUID().replaceAll("-", "");
    const port = freePortPair();
    const script = block
      .replace("<master access key>", master.accessKey)
      .replace("<master secret key>", `${master.secretKey}\nWANGSU_ENDPOINT=${upstream.url}`)
      .replace("<32 random characters: openssl rand -hex 16>", token)
      .replace(/wrangler@([\d.]+) dev$/m, `wrangler@$1 dev --ip 127.0.0.1 --port ${port}`);
    assert.doesNotMatch(script, /<[^>]+>/, "every placeholder filled in");
    const env: Record<string, string> = {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "/tmp",
      NO_COLOR: "1",
      CI: "true",
      WRANGLER_SEND_METRICS: "false",
    };
    const denoDir = Deno.env.get("DENO_DIR");
    if (denoDir) env.DENO_DIR = denoDir;
    const running = runScript(`set -e\n${script}`, { cwd: clone, env });
    try {
      await running.waitFor(new RegExp(`Ready on http://127\\.0\\.0\\.1:${port}`));
      const url = `http://127.0.0.1:${port}`;
      const health = await fetch(`${url}/healthz`);
      assert.equal(health.status, 200, await health.text());
      const listed = await fetch(`${url}/live/channelManage/getChannelList`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: '{"pageSize":10}',
      });
      assert.equal(listed.status, 200, await listed.clone().text());
      assert.equal((await listed.json()).code, 200);
    } finally {
      await running.stop();
      await upstream.close();
      await Deno.remove(clone, { recursive: true });
    }
  },
});
