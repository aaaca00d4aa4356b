// The entry point runs in a browser or a Worker: nothing in its module graph imports `node:` or
// an npm package, and its bundle, measured on the built npm package, stays within its budget.
import assert from "node:assert/strict";
import { measureAll } from "../../scripts/sizes.ts";
import { buildNpmOnce } from "../helpers.ts";
import * as entry from "../../src/url_signing/mod.ts";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("the module graph of ./url-signing holds no node: and no npm: import", async () => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "src/url_signing/mod.ts"],
    cwd: root,
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const graph = JSON.parse(new TextDecoder().decode(stdout)) as {
    modules: { specifier: string }[];
  };
  const specifiers = graph.modules.map((module) => module.specifier);
  assert.ok(specifiers.some((s) => s.endsWith("/src/url_signing/md5.ts")), specifiers.join("\n"));
  assert.deepEqual(specifiers.filter((s) => !s.startsWith("file://")), []);
  for (const specifier of specifiers) {
    const text = await Deno.readTextFile(new URL(specifier));
    assert.ok(!/from\s+"node:|import\("node:/.test(text), `${specifier} imports node:`);
  }
});

Deno.test("the entry point exports the signer, the check, the rule parser and MD5", () => {
  for (const name of ["signLiveUrl", "verifyLiveUrl", "parseLiveUrlRule", "md5", "md5Hex"]) {
    assert.equal(typeof (entry as Record<string, unknown>)[name], "function", name);
  }
  assert.equal(typeof entry.WangsuValidationError, "function");
});

Deno.test("./url-signing bundles within its size budget, without Hono or valibot", async () => {
  await buildNpmOnce();
  const figure = (await measureAll()).find((figure) => figure.name.startsWith("./url-signing"));
  assert.ok(figure, "scripts/sizes.ts measures ./url-signing");
  console.log(`${figure.name}: ${figure.gzipped} B min+gzip / budget ${figure.budget}`);
  assert.ok(
    figure.budget && figure.gzipped <= figure.budget,
    `${figure.gzipped} > ${figure.budget}`,
  );
  assert.ok(!/hono|strict_object/i.test(figure.code), "nor Hono nor valibot");
  assert.ok(!figure.code.includes("node:"), "no node: import");
  assert.ok(figure.code.includes("wsSecret"), "the rule's defaults are there");
});
