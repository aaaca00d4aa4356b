// `deno task start` on a fresh clone installs only what the demo needs (Hono, valibot, the JSON
// Schema converter, Swagger UI's files, the MCP SDK): not the project's test and deployment tools (wrangler,
// miniflare, workerd, esbuild, sharp, TypeScript), which made the first start install 478 MB.
// It leaves the tracked deno.lock as it was.
import assert from "node:assert/strict";

import { copyTree, freePortPair, readUntil, treeBytes } from "./start_fixture.ts";

const root = new URL("../../", import.meta.url).pathname;

Deno.test({
  name: "deno task start on a fresh clone installs only the demo's packages",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // A clone's files as the demo needs them, without node_modules.
    const clone = await Deno.makeTempDir({ prefix: "wangsu-fresh-" });
    for (const file of ["deno.json", "deno.lock", "mod.ts"]) {
      await Deno.copyFile(`${root}${file}`, `${clone}/${file}`);
    }
    for (const dir of ["src", "workers"]) await copyTree(`${root}${dir}`, `${clone}/${dir}`);
    const lock = await Deno.readTextFile(`${clone}/deno.lock`);

    const port = freePortPair();
    const env: Record<string, string> = { ...Deno.env.toObject(), PORT: String(port) };
    for (const name of ["WANGSU_ACCESS_KEY", "WANGSU_SECRET_KEY", "GATEWAY_KEYS"]) delete env[name];
    const child = new Deno.Command(Deno.execPath(), {
      args: ["task", "start"],
      cwd: clone,
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    try {
      const printed = await readUntil(reader, (text) => text.includes("Stop with Ctrl+C."));
      const home = printed.match(/Wangsu gateway on (\S+)/)?.[1];
      assert.ok(home, printed);

      const installed = [...Deno.readDirSync(`${clone}/node_modules/.deno`)]
        .map((entry) => entry.name)
        .filter((name) => !name.startsWith(".") && name != "node_modules");
      const size = await treeBytes(`${clone}/node_modules`);
      console.log(
        `node_modules after the first start: ${(size / 1e6).toFixed(1)} MB, ` +
          `${installed.length} packages: ${installed.join(", ")}`,
      );
      const tools = installed.filter((name) =>
        /^(wrangler|miniflare|workerd|@cloudflare\+|esbuild|@esbuild\+|sharp|@img\+|typescript)@/
          .test(name)
      );
      assert.deepEqual(tools, [], "tools installed for the demo");
      for (const needed of ["hono", "valibot", "swagger-ui-dist"]) {
        assert.ok(installed.some((name) => name.startsWith(`${needed}@`)), `${needed} installed`);
      }
      // 17 MB before the demo served MCP; the MCP SDK brings its own dependencies (express,
      // zod, ajv: 15 MB more, 31.9 MB measured), installed though loaded only on first use.
      assert.ok(size < 40e6, `node_modules holds ${size} bytes`);

      // The page's renderer is served from what was installed.
      const bundle = await fetch(`${home}/_console/swagger-ui-bundle.js`);
      assert.equal(bundle.status, 200);
      assert.ok((await bundle.arrayBuffer()).byteLength > 1e6);
      assert.equal(await Deno.readTextFile(`${clone}/deno.lock`), lock, "deno.lock unchanged");
    } finally {
      child.kill("SIGTERM");
      await reader.cancel();
      await child.status;
      await Deno.remove(clone, { recursive: true });
    }
  },
});
