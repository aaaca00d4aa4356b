// One workerd, one compatibility date: every harness that runs a worker (the miniflare harness,
// workerd run directly by the benchmarks, `wrangler dev` with a config of its own) uses the date in
// wrangler.toml, the date users deploy with, and the workerd the project pins (the one miniflare
// and the pinned wrangler bring) accepts it. Before, the harness hard-coded 2026-07-01 and its
// workerd refused wrangler.toml's 2026-11-01, so no test ran the deployed date.
import assert from "node:assert/strict";
import workerd from "workerd";
import { serveWorkers } from "../../bench/workerd_serve.ts";
import { COMPATIBILITY_DATE as MINIFLARE_DATE, startWorkers } from "../../scripts/workerd.ts";
import { compatibilityDateOf, WRANGLER } from "../../scripts/wrangler.ts";

const root = new URL("../../", import.meta.url).pathname;
const read = (path: string) => Deno.readTextFile(`${root}${path}`);

/** wrangler.toml's top-level `compatibility_date`, read independently of the harness. */
const deployed = async () => {
  const toml = await read("wrangler.toml");
  const dates = [...toml.matchAll(/^compatibility_date\s*=\s*"([\d-]+)"/gm)].map((m) => m[1]);
  assert.equal(dates.length, 1, "wrangler.toml sets compatibility_date once");
  return dates[0];
};

/** Every `.ts`/`.mjs` file under `folder`, by path from the project root. */
const sources = async function* (folder: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(`${root}${folder}`)) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory && entry.name != "node_modules" && entry.name != "fixtures") {
      yield* sources(path);
    } else if (entry.isFile && /\.(ts|mjs)$/.test(entry.name)) yield path;
  }
};

const script = "export default { fetch: () => new Response('up') };";

Deno.test("the harnesses' compatibility date is wrangler.toml's", async () => {
  assert.equal(MINIFLARE_DATE, await deployed());
});

Deno.test("compatibilityDateOf: the top-level date, or an error naming the key", () => {
  assert.equal(
    compatibilityDateOf('name = "x"\ncompatibility_date = "2026-11-01" # why\n'),
    "2026-11-01",
  );
  for (
    const toml of [
      'name = "x"\n',
      'compatibility_date = "2026-11-01"\ncompatibility_date = "2026-11-02"\n',
      '[env.staging]\ncompatibility_date = "2026-11-01"\n',
      "compatibility_date = 2026-11-01\n",
      'compatibility_date = "2026-11"\n',
    ]
  ) assert.throws(() => compatibilityDateOf(toml), /compatibility_date must be set once/, toml);
});

Deno.test("no harness, test or benchmark writes a compatibility date of its own", async () => {
  const literal = /compatibility_?date\s*[=:]\s*\\?["'`]\d{4}-\d{2}-\d{2}/gi;
  const found: string[] = [];
  for (const folder of ["scripts", "bench", "tests", "workers"]) {
    for await (const path of sources(folder)) {
      if (path == "tests/security/one_workerd_test.ts") continue;
      for (const [match] of (await read(path)).matchAll(literal)) found.push(`${path}: ${match}`);
    }
  }
  assert.deepEqual(found, []);
});

Deno.test("one workerd: deno.json's pin is the one miniflare and the pinned wrangler bring", async () => {
  const pinned = JSON.parse(await read("deno.json")).imports.workerd as string;
  const version = /^npm:workerd@(\d+\.\d+\.\d+)$/.exec(pinned)?.[1];
  assert.ok(version, `deno.json pins workerd exactly: ${pinned}`);
  // Every locked workerd (miniflare's dependency included) is that one.
  const locked = Object.keys(JSON.parse(await read("deno.lock")).npm)
    .filter((name) => /^workerd@/.test(name));
  assert.deepEqual(locked, [`workerd@${version}`]);
  // wrangler's own: run it once (cached, lock untouched), then read its package.json.
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WRANGLER, "--version"],
    cwd: root,
    env: { WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" },
  }).output();
  assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
  const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
  const { npmCache } = JSON.parse(new TextDecoder().decode(info.stdout));
  const wrangler = WRANGLER.slice("npm:wrangler@".length);
  const manifest = JSON.parse(
    await Deno.readTextFile(`${npmCache}/registry.npmjs.org/wrangler/${wrangler}/package.json`),
  );
  assert.equal(manifest.dependencies.workerd, version, `${WRANGLER}'s workerd`);
});

/** What the pinned workerd binary says about a config of one worker at `date` (`workerd test`). */
const workerdTest = async (date: string) => {
  const dir = await Deno.makeTempDir({ prefix: "one-workerd-" });
  try {
    await Deno.writeTextFile(
      `${dir}/probe.js`,
      "export default { test() {} };",
    );
    await Deno.writeTextFile(
      `${dir}/config.capnp`,
      `using Workerd = import "/workerd/workerd.capnp";\n` +
        `const config :Workerd.Config = (services = [(name = "probe", worker = (` +
        `modules = [(name = "probe.js", esModule = embed "probe.js")], ` +
        `compatibilityDate = "${date}"))]);\n`,
    );
    const binary = (workerd as unknown as { default: string }).default;
    const { code, stdout, stderr } = await new Deno.Command(binary, {
      args: ["test", `${dir}/config.capnp`],
    }).output();
    return { code, printed: new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
};

Deno.test("the pinned workerd accepts wrangler.toml's date", async () => {
  const date = await deployed();
  const { code, printed } = await workerdTest(date);
  assert.equal(code, 0, printed);
  // The check can fail: a date past what the binary knows is refused, naming its newest.
  const refused = await workerdTest("2999-01-01");
  assert.notEqual(refused.code, 0);
  assert.match(refused.printed, /newest date supported by this server binary/);
});

Deno.test({
  name: "the harnesses run a worker at that date, through miniflare and workerd directly",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const date = MINIFLARE_DATE;
    const viaMiniflare = await startWorkers([{ name: "probe", script }]).catch((error) => {
      throw new Error(`miniflare harness at ${date}: ${error.message}`);
    });
    try {
      const response = await fetch(viaMiniflare.urls.probe);
      assert.equal(`${response.status} ${await response.text()}`, "200 up");
    } finally {
      await viaMiniflare.stop();
    }
    const direct = await serveWorkers([{ name: "probe", script }]);
    try {
      const response = await fetch(direct.urls.probe);
      assert.equal(`${response.status} ${await response.text()}`, "200 up");
    } finally {
      await direct.stop();
    }
  },
});
