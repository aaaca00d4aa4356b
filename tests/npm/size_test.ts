// Size budgets, measured on the built npm package the way a user's bundler sees it (minified,
// gzipped), printed beside aws4fetch's. Sizes are deterministic: the same sources, the same bytes.
import assert from "node:assert/strict";
import { measureAll } from "../../scripts/sizes.ts";
import spec from "../../src/actions/spec.json" with { type: "json" };
import { buildNpmOnce } from "../helpers.ts";

Deno.test("size budgets hold, and one action brings no other", async () => {
  await buildNpmOnce();
  const [signer, oneAction, allActions, all, callbacks, aws4fetch] = await measureAll();
  for (const figure of [signer, oneAction, allActions, all, callbacks, aws4fetch]) {
    const budget = figure.budget ? ` / budget ${figure.budget}` : "";
    const target = figure.target ? ` / target ${figure.target}` : "";
    console.log(
      `${figure.name.padEnd(34)} ${
        String(figure.gzipped).padStart(6)
      } B min+gzip${budget}${target}`,
    );
  }
  for (const figure of [signer, oneAction, allActions, all, callbacks]) {
    assert.ok(
      figure.gzipped <= figure.budget!,
      `${figure.name}: ${figure.gzipped} > ${figure.budget}`,
    );
  }
  const paths = (code: string) => [...code.matchAll(/\/live\/\w+\/\w+/g)].map((m) => m[0]);
  assert.deepEqual(paths(oneAction.code), ["/live/channelManage/getChannelList"]);
  assert.equal(new Set(paths(allActions.code)).size, spec.actions.length);
  assert.equal(new Set(paths(all.code)).size, spec.actions.length);
  assert.deepEqual(paths(signer.code), []);
  assert.ok(!signer.code.includes("strict_object"), "the signer carries no valibot");
  assert.ok(aws4fetch.gzipped > 2000, "aws4fetch was measured");
  assert.deepEqual(paths(callbacks.code), [], "the callback parser carries no action");
  assert.ok(!/hono|valibot/i.test(callbacks.code), "nor Hono nor valibot");
});
