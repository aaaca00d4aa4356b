// The layers, read from the module graph (`deno info --json` from every entry point of the package
// and every runtime entry under workers/): the client's files never import what serves requests;
// src/server/ (what the gateway and the simulator share) imports only the client's core; the
// gateway and the simulator never import a platform's adapter, nor each other; an adapter never
// imports workers/.
import assert from "node:assert/strict";

const root = new URL("../", import.meta.url);
const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));

/** Every edge of the graph from the package's entries and workers/, as project-relative paths. */
async function edges(): Promise<{ from: string; to: string; dynamic: boolean }[]> {
  const entries = [
    ...Object.values(config.exports as Record<string, string>),
    ...[...Deno.readDirSync(new URL("workers/", root))]
      .filter((entry) => entry.isFile && entry.name.endsWith(".ts"))
      .map((entry) => `./workers/${entry.name}`),
  ];
  const found = new Map<string, { from: string; to: string; dynamic: boolean }>();
  const relative = (specifier: string) =>
    specifier.startsWith(root.href) ? specifier.slice(root.href.length) : undefined;
  for (const entry of entries) {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", new URL(entry, root).pathname],
    }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    const graph: {
      modules: {
        specifier: string;
        dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
      }[];
    } = JSON.parse(new TextDecoder().decode(stdout));
    for (const module of graph.modules) {
      const from = relative(module.specifier);
      for (const dependency of module.dependencies ?? []) {
        const to = dependency.code && relative(dependency.code.specifier);
        if (!from || !to) continue;
        const dynamic = dependency.isDynamic ?? false;
        found.set(`${from} ${to} ${dynamic}`, { from, to, dynamic });
      }
    }
  }
  return [...found.values()];
}

const graph = await edges();
const importsOf = (from: RegExp, to: RegExp) =>
  graph.filter((edge) => from.test(edge.from) && to.test(edge.to))
    .map((edge) => `${edge.from} -> ${edge.to}${edge.dynamic ? " (dynamic)" : ""}`).sort();

/** The client's files: the top of src/, the actions and the callback parser. */
const client = /^src\/([^/]+\.ts|actions\/.*|callbacks\/.*)$/;

Deno.test("the graph reaches every layer (so the rules below are about something)", () => {
  for (
    const layer of [
      "src/server/",
      "src/gateway/",
      "src/simulator/",
      "src/adapters/",
      "src/actions/",
    ]
  ) {
    assert.ok(graph.some((edge) => edge.to.startsWith(layer)), layer);
  }
});

Deno.test("the client's files import nothing that serves requests", () => {
  assert.deepEqual(
    importsOf(client, /^(src\/(server|gateway|simulator|adapters|cli)\/|workers\/)/),
    [],
  );
});

Deno.test("src/server imports only the client's core and itself", () => {
  assert.deepEqual(
    importsOf(/^src\/server\//, /^(src\/[^/]+\/|workers\/)/).filter((edge) =>
      !/ -> src\/server\//.test(edge)
    ),
    [],
  );
});

Deno.test("the gateway and the simulator import no adapter, nor each other, nor workers/", () => {
  assert.deepEqual(
    importsOf(/^src\/(gateway|server)\//, /^(src\/(adapters|simulator)\/|workers\/)/),
    [],
  );
  assert.deepEqual(
    importsOf(/^src\/simulator\//, /^(src\/(adapters|gateway)\/|workers\/)/),
    [],
  );
});

Deno.test("an adapter imports no runtime entry, and the entries take each platform's code from its adapter", () => {
  assert.deepEqual(importsOf(/^src\/adapters\//, /^workers\//), []);
  assert.deepEqual(importsOf(/^workers\/cloudflare\.ts$/, /./), [
    "workers/cloudflare.ts -> src/adapters/cloudflare/mod.ts",
    "workers/cloudflare.ts -> src/gateway/mcp/mod.ts (dynamic)",
  ]);
  assert.deepEqual(importsOf(/^workers\/cloudflare_without_mcp\.ts$/, /./), [
    "workers/cloudflare_without_mcp.ts -> src/adapters/cloudflare/mod.ts",
  ]);
  assert.deepEqual(importsOf(/^workers\/deno\.ts$/, /^src\/adapters\//), [
    "workers/deno.ts -> src/adapters/deno/mod.ts",
  ]);
  // Nothing under workers/ is a platform's library code any more: no Durable Object class there.
  assert.deepEqual(importsOf(/^workers\//, /^workers\/\w+_object\.ts$/), []);
});
