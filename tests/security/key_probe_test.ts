// Item 18 (credentials): an unknown access key and a known key with a wrong signature get the
// same answer, so a caller cannot learn which keys exist (the audit keeps the difference).
import assert from "node:assert/strict";
import type { AuditEntry } from "../../src/gateway/mod.ts";
import { LIST, randomSecret, securedGateway } from "./gateway_fixture.ts";

Deno.test("unknown access key and bad signature: the same status, reason and message", async () => {
  const partner = { accessKey: "GW_PARTNER", secretKey: randomSecret("partner") };
  const audits: AuditEntry[] = [];
  const { signed } = securedGateway({
    keys: [{ name: "partner", ...partner, actions: ["read"] }],
    onAudit: (entry) => audits.push(entry),
  });
  const body = JSON.stringify({ pageIndex: 1, padding: "x".repeat(60_000) });
  const wrong = await signed(LIST, body, { ...partner, secretKey: randomSecret("wrong") }).send();
  const unknown = await signed(LIST, body, {
    accessKey: "GW_NOBODY",
    secretKey: randomSecret("nobody"),
  }).send();
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  assert.deepEqual(await wrong.json(), await unknown.json());
  assert.deepEqual(audits.map((entry) => entry.authFailure), ["bad-signature", "unknown-key"]);
});
