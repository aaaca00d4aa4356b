// The gateway's /mcp endpoint in real workerd (`wrangler dev`, the Workers entry), in front of
// the simulator served on loopback, with the official MCP SDK's client.
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { catalog } from "../../src/actions/catalog.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { startWorker } from "../../scripts/wrangler.ts";

const master = { accessKey: "AK_MASTER", secretKey: `SK_MASTER_${crypto.randomUUID()}` };
const viewerToken = `viewer-${crypto.randomUUID()}`;

Deno.test({
  name: "MCP in workerd: a read-only token lists the read tools and calls getChannelList",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const simulator = createSimulator({ credentials: [master] });
    const upstream = await simulator.serve();
    const worker = await startWorker({
      name: "mcp",
      vars: {
        WANGSU_ACCESS_KEY: master.accessKey,
        WANGSU_SECRET_KEY: master.secretKey,
        WANGSU_ENDPOINT: upstream.url,
        GATEWAY_KEYS: JSON.stringify([{ name: "viewer", token: viewerToken, actions: ["read"] }]),
      },
    });
    const client = new Client({ name: "workerd-test", version: "1.0.0" });
    try {
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${worker.url}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${viewerToken}` } },
        }),
      );
      const { tools } = await client.listTools();
      assert.deepEqual(
        tools.map((tool) => tool.name).sort(),
        catalog.filter((action) => action.readOnly).map((action) => action.name).sort(),
      );
      const result = await client.callTool({ name: "getChannelList", arguments: {} });
      assert.equal(result.isError, undefined, JSON.stringify(result));
      assert.deepEqual(result.structuredContent, { channelList: [], channelToal: 0 });
      const refused = await client.callTool({ name: "deleteChannel", arguments: { pullId: "p" } });
      assert.equal(refused.isError, true);
      assert.equal(simulator.stats.requests, 1, "only getChannelList was forwarded");
    } finally {
      await client.close();
      await worker.stop();
      await upstream.close();
    }
    const logs = worker.logs();
    assert.match(logs, /"via":"mcp"/, "the audit line says the call came through MCP");
    for (const secret of [master.secretKey, viewerToken]) assert.ok(!logs.includes(secret));
  },
});
