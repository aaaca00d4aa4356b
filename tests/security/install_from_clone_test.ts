// Until the package is published (`npm install @wangsu/sdk` answers 404), the README's Install
// section gives the route from a clone; both of its ways work as written: for Node, build, pack
// and install the tarball; for Deno, a `links` entry to the clone.
import assert from "node:assert/strict";
import { cloneCopy, docBlock, runScript, which } from "./start_fixture.ts";

const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
const use = `
import { createClient, getChannelList } from "@wangsu/sdk";
import { createSimulator } from "@wangsu/sdk/simulator";
const simulator = createSimulator({ callbacks: false });
const client = createClient({ ...simulator.credentials[0], fetch: simulator.fetch });
console.log(JSON.stringify(await getChannelList(client, { pageSize: 10 })));
`;

/** A clone as `~/src/wangsu-sdk` with an empty `~/src/your-app` beside it. */
async function layout() {
  const clone = await cloneCopy([
    "deno.json",
    "deno.lock",
    "mod.ts",
    "src",
    "scripts/build_npm.ts",
    "README.md",
    "LICENSE",
  ]);
  const home = await Deno.makeTempDir({ prefix: "wangsu-home-" });
  await Deno.mkdir(`${home}/src/your-app`, { recursive: true });
  await Deno.rename(clone, `${home}/src/wangsu-sdk`);
  return { home, app: `${home}/src/your-app` };
}

const environment = (home: string) => {
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "",
    HOME: home,
    NO_COLOR: "1",
    // npm's cache stays where it was, so that its downloads are reused.
    npm_config_cache: `${Deno.env.get("HOME") ?? "/tmp"}/.npm`,
    npm_config_fund: "false",
    npm_config_audit: "false",
  };
  const denoDir = Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`;
  env.DENO_DIR = denoDir;
  return env;
};

Deno.test("README Install: nothing tells a newcomer to install the unpublished package", () => {
  const install = readme.slice(readme.indexOf("## Install"), readme.indexOf("## Quick start"));
  assert.match(install, /Not published yet/);
  for (
    const line of install.split("\n").filter((l) => /npm install @wangsu\/sdk|deno add/.test(l))
  ) {
    assert.match(line, /404|Once it is published/, line);
  }
});

Deno.test({
  name: "README Install, for Node: build, pack and install the tarball from a clone, as written",
  ignore: !which("npm") || !which("node"),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const block = await docBlock("README.md", "From a clone, for Node");
    const { home, app } = await layout();
    try {
      await Deno.writeTextFile(
        `${app}/package.json`,
        JSON.stringify({ name: "your-app", private: true, type: "module" }),
      );
      const running = runScript(`set -e\n${block.replaceAll("~/", `${home}/`)}`, {
        cwd: home,
        env: environment(home),
      });
      const { code: built } = await running.finished;
      assert.equal(built, 0, running.output());
      await Deno.writeTextFile(`${app}/main.mjs`, use);
      const { code, stdout, stderr } = await new Deno.Command("node", {
        args: ["main.mjs"],
        cwd: app,
      }).output();
      assert.equal(code, 0, new TextDecoder().decode(stderr));
      assert.deepEqual(JSON.parse(new TextDecoder().decode(stdout)), {
        channelList: [],
        channelToal: 0,
      });
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});

Deno.test({
  name: "README Install, for Deno: a links entry to the clone, as written",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const links = readme.match(/`("links": \[[^\]]*\])`/)?.[1];
    assert.ok(links, "the README gives the links entry");
    const { home, app } = await layout();
    try {
      await Deno.writeTextFile(`${app}/deno.json`, `{ ${links} }\n`);
      await Deno.writeTextFile(`${app}/main.ts`, use);
      const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
        args: ["run", "main.ts"],
        cwd: app,
        env: environment(home),
        clearEnv: true,
      }).output();
      assert.equal(code, 0, new TextDecoder().decode(stderr));
      assert.deepEqual(JSON.parse(new TextDecoder().decode(stdout)), {
        channelList: [],
        channelToal: 0,
      });
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});
