// Tenancy across isolates in real workerd: workers "gateway-a" and "gateway-b" run the same
// Workers bundle as separate isolates and share the GATEWAY_STATE Durable Objects hosted by a third
// worker (scripts/workerd.ts). A channel created through one is its creator's through the other,
// and refused there (403 naming it) to another tenant, before anything reaches the vendor.
import { startTwoGateways } from "../../../scripts/workerd.ts";
import { assertOwnershipAcross, ownershipUpstream } from "../ownership_across_fixture.ts";

Deno.test({
  name: "workerd: ownership recorded by one gateway isolate holds at another on the same objects",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const scenario = ownershipUpstream();
    const { vars } = scenario;
    const workers = await startTwoGateways(vars);
    try {
      await assertOwnershipAcross(workers.urls["gateway-a"], workers.urls["gateway-b"], scenario);
    } finally {
      await workers.stop();
      await scenario.upstream.shutdown();
    }
  },
});
