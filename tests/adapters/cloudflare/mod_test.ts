// @wangsu/sdk/adapters/cloudflare as a Workers user meets it: the entry exports the two Durable
// Object classes that wrangler.toml binds, with the store, the hub and the worker over them, and
// the repository's own worker (workers/cloudflare.ts) is nothing but that entry. The classes'
// base class stays the platform's: no import map rewrites `cloudflare:workers` into a file (as
// `deno publish` would), and the bundle workerd runs imports it from the runtime. (The classes
// at work in workerd: gateway_state_object_test.ts here, and tests/workers/.)
import assert from "node:assert/strict";
import { bundleWorker } from "../../../scripts/workerd.ts";

const root = new URL("../../../", import.meta.url);
const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
const entry = config.exports["./adapters/cloudflare"];

/** The names an entry exports, by kind, from `deno doc --json`. */
async function exported(path: string): Promise<Map<string, string>> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", new URL(path, root).pathname],
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const doc: {
    nodes: Record<string, { symbols: { name: string; declarations: { kind: string }[] }[] }>;
  } = JSON.parse(new TextDecoder().decode(stdout));
  return new Map(
    Object.values(doc.nodes).flatMap((node) =>
      node.symbols.map((symbol) => [symbol.name, symbol.declarations[0].kind] as const)
    ),
  );
}

Deno.test("the entry exports the classes wrangler.toml binds, and the store, hub and worker over them", async () => {
  assert.equal(entry, "./src/adapters/cloudflare/mod.ts");
  const names = await exported(entry);
  const wrangler = await Deno.readTextFile(new URL("wrangler.toml", root));
  const bound = [...wrangler.matchAll(/^class_name = "(\w+)"/gm)].map((match) => match[1]);
  assert.deepEqual(bound.sort(), ["GatewayEventHub", "GatewayStateObject", "GatewayWebhookLedger"]);
  for (const name of bound) assert.equal(names.get(name), "class", name);
  for (
    const name of ["createDurableObjectStore", "createDurableObjectHub", "createGatewayWorker"]
  ) {
    assert.equal(names.get(name), "function", name);
  }
});

Deno.test("workers/cloudflare.ts is the entry's worker and classes, and nothing else", async () => {
  const names = await exported("./workers/cloudflare.ts");
  assert.deepEqual([...names.keys()].sort(), [
    "GatewayEventHub",
    "GatewayStateObject",
    "GatewayWebhookLedger",
    "default",
  ]);
  const source = await Deno.readTextFile(new URL("workers/cloudflare.ts", root));
  const imported = [...source.matchAll(/^(?:import|export)\b[^;]*?from\s+"([^"]+)"/gm)]
    .map((match) => new URL(match[1], new URL("workers/", root)).href);
  assert.deepEqual([...new Set(imported)], [new URL(entry, root).href]);
});

Deno.test("cloudflare:workers is left to the platform: no import map entry, imported by the bundle", async () => {
  const mapped = Object.keys(config.imports).filter((name) => name.startsWith("cloudflare:"));
  assert.deepEqual(mapped, [], "deno publish would rewrite a mapped cloudflare: import to a file");
  const bundle = await bundleWorker("workers/cloudflare.ts", false);
  // The bundle's only imports: the platform's DurableObject (esbuild names each module's own).
  const imports = [...bundle.matchAll(/^import\s*\{([^}]*)\}\s*from\s*"([^"]+)"/gm)];
  assert.deepEqual(new Set(imports.map((match) => match[2])), new Set(["cloudflare:workers"]));
  const bases = imports.map((match) => /^DurableObject(?: as (\w+))?$/.exec(match[1].trim()));
  assert.ok(bases.every(Boolean), JSON.stringify(imports.map((match) => match[1])));
  for (const name of ["GatewayEventHub", "GatewayStateObject", "GatewayWebhookLedger"]) {
    const base = new RegExp(`(?:class ${name}|${name} = class) extends (\\w+)`).exec(bundle)?.[1];
    assert.ok(base, name);
    assert.ok(
      bases.some((match) => (match![1] ?? "DurableObject") == base),
      `${name} extends ${base}`,
    );
  }
});
