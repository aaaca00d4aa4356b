// Issue 25, item 7: without a shared store, two `workers/deno.ts` processes each keep their own
// replay memory, quotas and budget. The entry must say at start, on stderr, which store it uses
// and what that means, so an operator running several processes sees it.
import assert from "node:assert/strict";
import { entryEnvironment, startEntry, untilHealthy } from "./deno_entry_fixture.ts";

Deno.test({
  name: "workers/deno.ts: without GATEWAY_KV_PATH it warns at start that its state is " +
    "this process's own; with it, it names the shared file",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { env, token } = entryEnvironment();
    const kvPath = `${await Deno.makeTempDir()}/gateway.kv`;
    const memory = startEntry(env);
    const shared = startEntry({ ...env, GATEWAY_KV_PATH: kvPath });
    try {
      await Promise.all([untilHealthy(memory), untilHealthy(shared)]);
      const alone = memory.stderr();
      assert.match(alone, /WARNING/, alone);
      assert.match(alone, /this process's memory/, alone);
      assert.match(
        alone,
        /replay protection, quotas and budget hold for this one process only; run several processes only with GATEWAY_KV_PATH on a shared file/,
        alone,
      );
      assert.ok(!memory.stdout().includes("replay protection"), "the notice is on stderr");

      const together = shared.stderr();
      assert.ok(together.includes(kvPath), `names the file:\n${together}`);
      assert.match(together, /shared by every process/, together);
      assert.doesNotMatch(together, /this one process only/, together);

      for (const output of [alone, together, memory.stdout(), shared.stdout()]) {
        assert.ok(!output.includes(env.WANGSU_SECRET_KEY), "no secret in the output");
        assert.ok(!output.includes(token), "no token in the output");
      }
    } finally {
      await Promise.all([memory.stop(), shared.stop()]);
      await Deno.remove(kvPath.replace(/\/gateway\.kv$/, ""), { recursive: true });
    }
  },
});
