// The wrangler commands of the README and the guides (the deployment guide, docs/deployment.md,
// holds them) name the version the tests run (scripts/wrangler.ts), and running one on a clone
// changes neither the tracked deno.lock nor node_modules: an unpinned `npm:wrangler` resolved the
// newest release and wrote it, with its own workerd, into deno.lock.
import assert from "node:assert/strict";
import { WRANGLER } from "../../scripts/wrangler.ts";
import { cloneCopy } from "./start_fixture.ts";

const root = new URL("../../", import.meta.url);
const read = (path: string) => Deno.readTextFileSync(new URL(path, root));
const deployment = read("docs/deployment.md");
/** The README and every guide, where a wrangler command could be written. */
const documents = [
  read("README.md"),
  ...[...Deno.readDirSync(new URL("docs/", root))]
    .filter((entry) => entry.isFile && entry.name.endsWith(".md"))
    .map((entry) => read(`docs/${entry.name}`)),
].join("\n");
const wranglerUses = (text: string) => [
  ...text.matchAll(/(?:npm:|npx (?:-y )?)wrangler(@[\w.-]+)?/g),
];

Deno.test("docs: every wrangler command is pinned to the version the tests run", () => {
  const version = WRANGLER.slice("npm:wrangler@".length);
  const uses = wranglerUses(deployment);
  assert.ok(uses.length >= 3, `${uses.length} wrangler commands in docs/deployment.md`);
  for (const [use, pinned] of wranglerUses(documents)) {
    assert.equal(pinned, `@${version}`, use);
  }
});

Deno.test({
  name: "docs/deployment.md: its wrangler command leaves deno.lock and node_modules as they were",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const command = deployment.match(/deno run -A (npm:wrangler\S*) /)?.[1];
    assert.ok(command);
    const clone = await cloneCopy(["deno.json", "deno.lock"]);
    try {
      const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", command, "--version"],
        cwd: clone,
        env: { WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" },
      }).output();
      assert.equal(code, 0, new TextDecoder().decode(stderr));
      assert.match(new TextDecoder().decode(stdout), new RegExp(command.split("@")[1]));
      assert.equal(
        await Deno.readTextFile(`${clone}/deno.lock`),
        await Deno.readTextFile(new URL("../../deno.lock", import.meta.url)),
        "deno.lock rewritten",
      );
      const installed = await Deno.stat(`${clone}/node_modules`).then(() => true, () => false);
      assert.equal(installed, false, "wrangler installed into the project");
    } finally {
      await Deno.remove(clone, { recursive: true });
    }
  },
});
