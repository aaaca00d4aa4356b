// What `deno task generate` writes from src/actions/spec.json, rendered again and compared with
// the files: a stale one fails naming itself. And the catalog it writes against the action table:
// the same actions in the same order with the same routing facts, each loader returning the very
// definition the table holds.
import assert from "node:assert/strict";
import { GENERATED, render, strays } from "../../scripts/generate.ts";
import { catalog } from "../../src/actions/catalog.ts";
import { actions } from "../../src/actions/table.ts";

const root = new URL("../../", import.meta.url);
const rendered = await render();

Deno.test("every generated file is what the spec makes now", async () => {
  assert.ok(rendered.size > actions.length, `${rendered.size} files rendered`);
  const stale: string[] = [];
  for (const [path, text] of rendered) {
    const onDisk = await Deno.readTextFile(new URL(path, root)).catch(() => "(missing)");
    if (onDisk != text) stale.push(path);
    if (path.endsWith(".ts")) assert.ok(text.startsWith(GENERATED), `${path}: the header`);
  }
  assert.deepEqual(stale, [], `stale: ${stale.join(", ")}; run \`deno task generate\``);
  assert.deepEqual(await strays(rendered), [], "generated files the spec no longer makes");
});

Deno.test("the catalog lists every action of the table, in order, with the same facts", () => {
  assert.deepEqual(
    catalog.map(({ name, path, resource, readOnly }) => ({ name, path, resource, readOnly })),
    actions.map(({ name, path, resource, readOnly }) => ({ name, path, resource, readOnly })),
  );
});

Deno.test("each catalog entry loads the action's own definition", async () => {
  for (const [index, entry] of catalog.entries()) {
    const loaded = await entry.load();
    const listed = actions[index];
    assert.equal(loaded.input, listed.input, entry.name);
    assert.equal(loaded.output, listed.output, entry.name);
    assert.equal(loaded.repeatable, listed.repeatable, entry.name);
  }
});
