// Security review, item 1: a JSON-RPC batch (a JSON array body) at POST /mcp ran every
// `tools/call` in it (20 upstream requests) under one audit entry, since the one-call guard read
// `audit.action`, which the action runner sets only after an await. Now a batch is refused with
// a JSON-RPC error (HTTP 400) before anything runs, and the guard is synchronous.
import assert from "node:assert/strict";
import { type AuditEntry, createGateway } from "../../src/gateway/mod.ts";
import { createMemoryStore } from "../../src/server/state_store.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { countingUpstream } from "../helpers.ts";

const master = { accessKey: "AK_MASTER", secretKey: `SK_MASTER_${crypto.randomUUID()}` };
const token = `agent-${crypto.randomUUID()}`;

function setup() {
  const simulator = createSimulator({ credentials: [master], rateLimit: false, callbacks: false });
  const counted = countingUpstream(simulator, master);
  const audits: AuditEntry[] = [];
  const gateway = createGateway({
    upstream: counted.upstream,
    keys: [{ name: "agent", token, actions: ["read"], objects: "all" }],
    store: createMemoryStore(),
    accountBudget: false,
    auditLog: false,
    onAudit: (entry) => audits.push(entry),
    mcp: () => import("../../src/gateway/mcp/mod.ts"),
  });
  const post = (body: unknown) =>
    gateway.fetch(
      new Request("http://gw.test/mcp", {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body: JSON.stringify(body),
      }),
    );
  return { post, audits, forwarded: counted.requests };
}

const call = (id: number) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name: "getChannelList", arguments: { pageSize: 1 } },
});

Deno.test("a JSON-RPC batch of tool calls is refused before any runs", async () => {
  const { post, audits, forwarded } = setup();
  const response = await post(Array.from({ length: 20 }, (_, id) => call(id)));
  assert.equal(response.status, 400);
  const answer = await response.json();
  assert.equal(Array.isArray(answer), false);
  assert.equal(answer.jsonrpc, "2.0");
  assert.equal(answer.id, null);
  assert.equal(answer.error.code, -32600);
  assert.match(answer.error.message, /batch/i);
  assert.equal(forwarded(), 0);
  assert.equal(audits.length, 1);
  assert.equal(audits[0].refusal, "batch");
});

Deno.test("a batch of one is refused too; a single call still runs once", async () => {
  const { post, forwarded } = setup();
  const batch = await post([call(1)]);
  assert.equal(batch.status, 400);
  await batch.body?.cancel();
  assert.equal(forwarded(), 0);
  const single = await post(call(2));
  assert.equal(single.status, 200);
  const answer = await single.json();
  assert.equal(answer.id, 2);
  assert.notEqual(answer.result.isError, true);
  assert.equal(forwarded(), 1);
});
