// The audit entry of a refused request says why it was refused.
import assert from "node:assert/strict";
import { type AuditEntry, createGateway } from "../../src/gateway/mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";

const master = { accessKey: "AK_MASTER", secretKey: `SK_MASTER_${crypto.randomUUID()}` };
const token = `viewer-${crypto.randomUUID()}`;

Deno.test("a refusal's reason is in the audit entry; a served request has none", async () => {
  const simulator = createSimulator({ credentials: [master] });
  const audits: AuditEntry[] = [];
  const gateway = createGateway({
    upstream: { ...master, endpoint: "http://upstream.test", fetch: simulator.fetch },
    keys: [{ name: "viewer", token, actions: ["read"] }],
    auditLog: false,
    onAudit: (entry) => audits.push(structuredClone(entry)),
  });
  const post = async (path: string, authorization = `Bearer ${token}`) => {
    const response = await gateway.fetch(
      new Request(`http://gw.test/live/channelManage/${path}`, {
        method: "POST",
        headers: { authorization, "content-type": "application/json" },
        body: "{}",
      }),
    );
    await response.body?.cancel();
    return response.status;
  };
  assert.equal(await post("getChannelList"), 200);
  assert.equal(await post("createChannel"), 403);
  assert.equal(await post("getChannelList", `Bearer wrong-${crypto.randomUUID()}`), 401);
  assert.deepEqual(audits.map((entry) => [entry.status, entry.refusal]), [
    [200, undefined],
    [403, "out-of-scope"],
    [401, "unknown-token"],
  ]);
});
