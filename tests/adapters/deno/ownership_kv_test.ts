// Tenancy across processes: two gateway processes (workers/deno.ts, as deployed) on one Deno KV
// file. A channel created through one is its creator's through the other, and refused there (403
// naming it) to another tenant, before anything reaches the vendor.
import { startEntry, untilHealthy } from "../../security/deno_entry_fixture.ts";
import { assertOwnershipAcross, ownershipUpstream } from "../ownership_across_fixture.ts";

Deno.test({
  name: "Deno KV: ownership recorded by one gateway process holds at another on the same file",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const scenario = ownershipUpstream();
    const env = { ...scenario.vars, GATEWAY_KV_PATH: `${await Deno.makeTempDir()}/gateway.kv` };
    const [one, two] = [startEntry(env), startEntry(env)];
    try {
      await Promise.all([untilHealthy(one, 120_000), untilHealthy(two, 120_000)]);
      await assertOwnershipAcross(one.url, two.url, scenario);
    } finally {
      await Promise.all([one.stop(), two.stop()]);
      await scenario.upstream.shutdown();
    }
  },
});
