// The gateway's /mcp endpoint with the official MCP SDK's client, over a real 127.0.0.1 socket,
// in front of the simulator: tools scoped to the key, calls through the gateway's whole path
// (validation, scope, quota, budget, audit), and no secret anywhere.
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createChannel, createClient } from "../../mod.ts";
import { catalog } from "../../src/actions/catalog.ts";
import { type AuditEntry, createGateway, type GatewayOptions } from "../../src/gateway/mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import spec from "../../src/actions/spec.json" with { type: "json" };
import { countingUpstream } from "../helpers.ts";

type Fields = Record<string, { doc: string }>;
/** The spec's actions and field groups, as far as these tests read them. */
const actions = spec.actions as unknown as {
  name: string;
  input: { extends?: string; fields: Fields };
}[];
const groups = spec.groups as unknown as Record<string, { fields: Fields }>;

/** The MCP endpoint, as a deployment opts in to it. */
const mcp = () => import("../../src/gateway/mcp/mod.ts");

const master = { accessKey: "AK_MASTER", secretKey: `SK_MASTER_${crypto.randomUUID()}` };
const viewerToken = `viewer-${crypto.randomUUID()}`;
const opsToken = `ops-${crypto.randomUUID()}`;
const keys = [
  // Every object of the account (the operator creates the channels the viewer reads).
  { name: "viewer", token: viewerToken, actions: ["read"], objects: "all" as const },
  { name: "ops", token: opsToken, actions: ["*"], objects: "all" as const },
];
const secrets = [master.secretKey, viewerToken, opsToken];
const channel = {
  channelName: "agent",
  channelType: "live",
  pushDomain: "push.example.com",
  pullRate: "0",
};

type ToolResult = {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
};

/** The gateway on a real port in front of the simulator, counting upstream requests. */
function setup(overrides: Partial<GatewayOptions> = {}) {
  const simulator = createSimulator({ credentials: [master] });
  const counted = countingUpstream(simulator, master);
  const audits: AuditEntry[] = [];
  const gateway = createGateway({
    upstream: counted.upstream,
    keys,
    mcp,
    onAudit: (entry) => audits.push(structuredClone(entry)),
    ...overrides,
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, gateway.fetch);
  const url = `http://127.0.0.1:${server.addr.port}`;
  const clients: Client[] = [];
  const connect = async (token: string) => {
    const client = new Client({ name: "mcp-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    clients.push(client);
    return client;
  };
  const close = async () => {
    for (const client of clients) await client.close();
    await server.shutdown();
  };
  return { simulator, url, connect, close, audits, upstreamRequests: counted.requests };
}

/** Captures console lines (the audit log, errors) while `run` runs. */
async function capturingConsole<T>(run: () => Promise<T>): Promise<{ lines: string[]; value: T }> {
  const lines: string[] = [];
  const saved = { log: console.log, error: console.error, warn: console.warn };
  for (const name of ["log", "error", "warn"] as const) {
    console[name] = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  }
  try {
    return { lines, value: await run() };
  } finally {
    Object.assign(console, saved);
  }
}

const textOf = (result: ToolResult) => result.content.map((part) => part.text ?? "").join("\n");
const noSecretIn = (text: string, where: string) => {
  for (const secret of secrets) assert.ok(!text.includes(secret), `a secret in ${where}: ${text}`);
};

Deno.test("a read-only token lists only the read tools, each described, and reads channels", async () => {
  const gw = setup();
  try {
    const { lines } = await capturingConsole(async () => {
      const operator = createClient({
        ...master,
        endpoint: "http://upstream.test",
        fetch: gw.simulator.fetch,
      });
      const pullIds: string[] = [];
      for (const channelName of ["first", "second"]) {
        const created = await createChannel(operator, { ...channel, channelName });
        pullIds.push(created.pullId);
      }
      const client = await gw.connect(viewerToken);
      const { tools } = await client.listTools();
      assert.deepEqual(
        tools.map((tool) => tool.name).sort(),
        catalog.filter((action) => action.readOnly).map((action) => action.name).sort(),
      );
      const list = tools.find((tool) => tool.name == "getChannelList")!;
      assert.equal(list.inputSchema.type, "object");
      assert.deepEqual(Object.keys(list.inputSchema.properties ?? {}).sort(), [
        "appScenario",
        "listOrder",
        "pageIndex",
        "pageSize",
      ]);
      assert.equal(
        (list.inputSchema.properties as Record<string, { maximum: number }>)
          .pageSize.maximum,
        50,
      );
      assert.equal(list.annotations?.readOnlyHint, true);
      assert.equal(list.annotations?.destructiveHint, false);
      assert.equal(list.annotations?.idempotentHint, true);
      assert.match(list.description ?? "", /Lists channels/);
      assert.match(list.description ?? "", /changes nothing/i);
      assert.match(list.description ?? "", /budget/i);

      const result = await client.callTool({
        name: "getChannelList",
        arguments: { pageSize: 10 },
      }) as ToolResult;
      assert.equal(result.isError, undefined, textOf(result));
      const data = result.structuredContent as { channelList: { pullId: string }[] };
      assert.deepEqual(data.channelList.map((channel) => channel.pullId).sort(), pullIds.sort());
      assert.deepEqual(JSON.parse(textOf(result)), data);
      noSecretIn(JSON.stringify({ tools, result }), "the tools or a result");
    });
    const called = gw.audits.filter((entry) => entry.action);
    assert.equal(called.length, 1);
    assert.equal(called[0].via, "mcp");
    assert.equal(called[0].action, "getChannelList");
    assert.equal(called[0].key, "viewer");
    assert.equal(called[0].path, "/mcp");
    assert.ok(called[0].upstreamRequestId);
    assert.ok(lines.some((line) => line.includes('"via":"mcp"')), lines.join("\n"));
    noSecretIn(lines.join("\n"), "the console");
    noSecretIn(JSON.stringify(gw.audits), "the audit entries");
  } finally {
    await gw.close();
  }
});

Deno.test("a write tool is absent for a read-only token, and refused if called anyway", async () => {
  const gw = setup({ auditLog: false });
  try {
    const client = await gw.connect(viewerToken);
    const { tools } = await client.listTools();
    assert.ok(!tools.some((tool) => tool.name == "createChannel"));
    const before = gw.upstreamRequests();
    const result = await client.callTool({
      name: "createChannel",
      arguments: channel,
    }) as ToolResult;
    assert.equal(result.isError, true);
    assert.match(textOf(result), /may not call createChannel/);
    assert.equal(result.structuredContent?.reason, "out-of-scope");
    assert.equal(gw.upstreamRequests(), before, "nothing forwarded");
    assert.equal(gw.simulator.store.channels.size, 0);
    const refused = gw.audits.find((entry) => entry.action == "createChannel");
    assert.equal(refused?.via, "mcp");
    assert.equal(refused?.key, "viewer");
    // Answered with HTTP 200 (a tool error), the audit line still says why it was refused.
    assert.equal(refused?.status, 200);
    assert.equal(refused?.refusal, "out-of-scope");

    const ops = await gw.connect(opsToken);
    const write = (await ops.listTools()).tools.find((tool) => tool.name == "createChannel");
    assert.equal(write?.annotations?.readOnlyHint, false);
    assert.equal(write?.annotations?.destructiveHint, true);
    assert.equal(write?.annotations?.idempotentHint, false);
    assert.match(write?.description ?? "", /changes/i);
  } finally {
    await gw.close();
  }
});

Deno.test("a wrong token gets 401, and the SDK client cannot connect", async () => {
  const gw = setup({ auditLog: false });
  try {
    const wrong = `wrong-${crypto.randomUUID()}`;
    const response = await fetch(`${gw.url}/mcp`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${wrong}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    assert.equal(response.status, 401);
    assert.match(response.headers.get("www-authenticate") ?? "", /^Bearer/);
    const text = await response.text();
    assert.ok(!text.includes(wrong));
    const none = await fetch(`${gw.url}/mcp`, { method: "POST", body: "{}" });
    assert.equal(none.status, 401);
    await none.body?.cancel();
    await assert.rejects(gw.connect(wrong));
    assert.equal(gw.upstreamRequests(), 0);
  } finally {
    await gw.close();
  }
});

Deno.test("an invalid argument is a tool error naming the field and rule, nothing forwarded", async () => {
  const gw = setup({ auditLog: false });
  try {
    const client = await gw.connect(viewerToken);
    const result = await client.callTool({
      name: "getChannelList",
      arguments: { pageSize: 500 },
    }) as ToolResult;
    assert.equal(result.isError, true);
    assert.match(textOf(result), /pageSize/);
    const issues = result.structuredContent?.issues as { path: string; rule: string }[];
    assert.deepEqual(issues.map(({ path, rule }) => ({ path, rule })), [
      { path: "pageSize", rule: "max_value" },
    ]);
    assert.equal(gw.upstreamRequests(), 0, "nothing forwarded");
    assert.equal(gw.audits.find((entry) => entry.action)?.via, "mcp");
  } finally {
    await gw.close();
  }
});

Deno.test("a service error comes back as a tool error with the service's code and request id", async () => {
  const gw = setup({ auditLog: false });
  try {
    const client = await gw.connect(viewerToken);
    const result = await client.callTool({
      name: "getChannelConf",
      arguments: { pullId: "nope" },
    }) as ToolResult;
    assert.equal(result.isError, true);
    assert.equal(result.structuredContent?.code, "ChannelNotFound");
    const requestId = result.structuredContent?.requestId;
    assert.match(String(requestId), /^[0-9a-f-]{36}$/);
    assert.equal(requestId, gw.audits.find((entry) => entry.action)?.upstreamRequestId);
    assert.match(textOf(result), /ChannelNotFound/);
    assert.match(textOf(result), /No channel with pullId nope/);
  } finally {
    await gw.close();
  }
});

Deno.test("quota and budget refusals reach the client with when to retry", async () => {
  const quota = setup({
    auditLog: false,
    keys: [{ ...keys[0], rateLimit: { limit: 1, windowSeconds: 60 } }],
  });
  try {
    const client = await quota.connect(viewerToken);
    const first = await client.callTool({ name: "getChannelList", arguments: {} }) as ToolResult;
    assert.equal(first.isError, undefined, textOf(first));
    const second = await client.callTool({ name: "getChannelList", arguments: {} }) as ToolResult;
    assert.equal(second.isError, true);
    assert.equal(second.structuredContent?.reason, "quota-exceeded");
    assert.ok(Number(second.structuredContent?.retryAfterSeconds) >= 1);
    assert.match(textOf(second), /retry in \d+ s/);
    assert.equal(quota.upstreamRequests(), 1);
    assert.equal(quota.audits.filter((entry) => entry.quota == "exceeded").length, 1);
  } finally {
    await quota.close();
  }
  const budget = setup({
    auditLog: false,
    accountBudget: { limit: 1, windowSeconds: 60, maxWaitMs: 0 },
    // No key quota, so that the account budget is what refuses.
    keys: [keys[0], { ...keys[1], rateLimit: false }],
  });
  try {
    const client = await budget.connect(opsToken);
    const { tools } = await client.listTools();
    assert.match(
      tools.find((tool) => tool.name == "getChannelList")?.description ?? "",
      /1 request per 60 s/,
    );
    await client.callTool({ name: "getChannelList", arguments: {} });
    const refused = await client.callTool({ name: "getChannelList", arguments: {} }) as ToolResult;
    assert.equal(refused.isError, true);
    assert.equal(refused.structuredContent?.reason, "budget-exhausted");
    assert.ok(Number(refused.structuredContent?.retryAfterSeconds) >= 1);
    assert.equal(budget.upstreamRequests(), 1);
    assert.equal(budget.audits.filter((entry) => entry.budget == "exhausted").length, 1);
  } finally {
    await budget.close();
  }
});

Deno.test("the key's own resource: its scope and quota, no secret", async () => {
  const gw = setup({ auditLog: false });
  try {
    const client = await gw.connect(viewerToken);
    const { resources } = await client.listResources();
    assert.deepEqual(resources.map((resource) => resource.uri), ["wangsu-gateway://key"]);
    const { contents } = await client.readResource({ uri: "wangsu-gateway://key" });
    const key = JSON.parse(String((contents[0] as { text: string }).text));
    assert.equal(key.name, "viewer");
    assert.deepEqual(
      key.actions.sort(),
      catalog.filter((action) => action.readOnly).map((action) => action.name).sort(),
    );
    assert.deepEqual(key.quota, { limit: 150, windowSeconds: 300 });
    assert.deepEqual(key.accountBudget, { limit: 300, windowSeconds: 300 });
    noSecretIn(JSON.stringify(contents), "the key resource");
    assert.equal(gw.upstreamRequests(), 0);
  } finally {
    await gw.close();
  }
});

Deno.test("each tool's input schema carries its fields' descriptions, from the spec", async () => {
  const gw = setup({ auditLog: false });
  try {
    const client = await gw.connect(opsToken);
    const { tools } = await client.listTools();
    for (const name of ["getChannelList", "createChannel"]) {
      const action = actions.find((entry) => entry.name == name)!;
      const fields: Fields = {
        ...(action.input.extends ? groups[action.input.extends].fields : {}),
        ...action.input.fields,
      };
      const properties = tools.find((tool) => tool.name == name)?.inputSchema.properties as Record<
        string,
        { description?: string }
      >;
      assert.deepEqual(
        Object.fromEntries(
          Object.keys(properties).map((field) => [field, properties[field].description]),
        ),
        Object.fromEntries(Object.keys(properties).map((field) => [field, fields[field].doc])),
      );
    }
  } finally {
    await gw.close();
  }
});

Deno.test("a gateway made without the MCP endpoint answers 404 at /mcp, and its graph holds no MCP SDK", async () => {
  const simulator = createSimulator({ credentials: [master] });
  const gateway = createGateway({
    upstream: { ...master, endpoint: "http://upstream.test", fetch: simulator.fetch },
    keys,
    auditLog: false,
  });
  const response = await gateway.fetch(
    new Request("http://gw.test/mcp", {
      method: "POST",
      headers: {
        authorization: `Bearer ${viewerToken}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    }),
  );
  assert.equal(response.status, 404);
  assert.match((await response.json()).message, /MCP.*not enabled|not enabled.*MCP/i);
  // What `deno info` finds from each entry a deployment without MCP starts from (dynamic imports
  // included, as bundlers follow them): no MCP SDK. The MCP entry itself does reach it.
  const graphOf = async (entry: string) => {
    const { stdout } = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", new URL(entry, import.meta.url).pathname],
    }).output();
    const graph = JSON.parse(new TextDecoder().decode(stdout)) as {
      modules: { specifier: string }[];
      npmPackages?: Record<string, unknown>;
    };
    return [
      ...graph.modules.map((module) => module.specifier),
      ...Object.keys(graph.npmPackages ?? {}),
    ];
  };
  for (
    const entry of [
      "../../src/gateway/mod.ts",
      "../../src/adapters/cloudflare/mod.ts",
      "../../src/adapters/deno/mod.ts",
    ]
  ) {
    const modules = await graphOf(entry);
    assert.ok(modules.length > 10, `${entry} was read`);
    assert.deepEqual(
      modules.filter((specifier) => /modelcontextprotocol|ajv|zod/.test(specifier)),
      [],
      entry,
    );
  }
  assert.ok(
    (await graphOf("../../src/gateway/mcp/mod.ts")).some((specifier) =>
      specifier.includes("modelcontextprotocol")
    ),
  );
});
