// The CLI as a user runs it: a subprocess (`deno run src/cli/main.ts`) against a simulator
// served on loopback, credentials from the environment.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { actions } from "../../src/actions/table.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { freePort } from "../../scripts/wrangler.ts";

const main = new URL("../../src/cli/main.ts", import.meta.url).pathname;

async function cli(args: string[], env: Record<string, string> = {}) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-env", "--allow-net=127.0.0.1", main, ...args],
    env: { NO_COLOR: "1", ...env },
    clearEnv: true,
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code, stdout: decode(stdout), stderr: decode(stderr) };
}

async function served() {
  const simulator = createSimulator({ callbacks: false, rateLimit: false });
  const server = await simulator.serve();
  const [demo] = simulator.credentials;
  const env = {
    WANGSU_ENDPOINT: server.url,
    WANGSU_ACCESS_KEY: demo.accessKey,
    WANGSU_SECRET_KEY: demo.secretKey,
  };
  return { simulator, server, env, client: sdk.createClient({ ...demo, endpoint: server.url }) };
}

Deno.test("cli --help lists every action with its summary; <action> --help lists its fields", async () => {
  const help = await cli(["--help"]);
  assert.equal(help.code, 0);
  for (const action of actions) assert.ok(help.stdout.includes(`${action.name} `), action.name);
  assert.match(help.stdout, /createChannel +Creates a push-mode channel/);
  assert.match(help.stdout, /Exit codes: 0 done, 2 invalid/);
  const fields = await cli(["createRecordTask", "--help"]);
  assert.equal(fields.code, 0);
  assert.match(fields.stdout, /POST \/live\/channelManage\/createRecordTask/);
  assert.match(fields.stdout, /--pullId +string \(required\)/);
  assert.match(fields.stdout, /--quickStart +boolean \(required\)/);
  assert.match(fields.stdout, /--startTime +number\n/);
  const none = await cli([]);
  assert.equal(none.code, 2, "no action is a usage error");
  const unknown = await cli(["getChanelList"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown action "getChanelList"; did you mean getChannelList\?/);
});

Deno.test("cli: a write, a read, an API error and a network error, with their exit codes", async () => {
  const { simulator, server, env } = await served();
  try {
    const created = await cli([
      "createChannel",
      "--channelName",
      "From the CLI",
      "--channelType=live",
      "--pushDomain",
      "push.example.com",
      "--json",
      '{"pullRate":"0","channelName":"overridden"}',
    ], env);
    assert.equal(created.code, 0, created.stderr);
    const { pullId } = JSON.parse(created.stdout);
    assert.equal(simulator.store.channels.get(pullId)?.channelName, "From the CLI");

    const read = await cli(["getChannelConf", "--pullId", pullId], env);
    assert.equal(read.code, 0, read.stderr);
    assert.equal(JSON.parse(read.stdout).channelName, "From the CLI");

    const missing = await cli(["getChannelConf", "--pullId", "nochannel"], env);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /No channel with pullId nochannel/);
    assert.equal(missing.stdout, "");

    const port = freePort();
    const down = await cli(["getChannelList", "--endpoint", `http://127.0.0.1:${port}`], env);
    assert.equal(down.code, 4, down.stderr);
  } finally {
    await server.close();
  }
});

Deno.test("cli: invalid input exits 2 naming the field, and nothing is sent", async () => {
  const { simulator, server, env } = await served();
  try {
    const before = simulator.stats.requests;
    const bad = await cli(["getChannelList", "--pageSize", "500"], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /pageSize: must be at most 50/);
    const typo = await cli(["getChannelList", "--pagesize", "5"], env);
    assert.equal(typo.code, 2);
    assert.match(
      typo.stderr,
      /getChannelList has no field "pagesize" \(fields: listOrder, pageIndex/,
    );
    const json = await cli(["getChannelList", "--json", "{not json"], env);
    assert.equal(json.code, 2);
    assert.match(json.stderr, /--json is not JSON/);
    assert.equal(simulator.stats.requests, before, "nothing reached the API");
    const noKey = await cli(["getChannelList"], { WANGSU_ENDPOINT: env.WANGSU_ENDPOINT });
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /accessKey: required \(pass it or set WANGSU_ACCESS_KEY\)/);
  } finally {
    await server.close();
  }
});

Deno.test("cli --all reads every page of 120 channels into one array", async () => {
  const { server, env, client } = await served();
  try {
    for (let i = 0; i < 120; i++) {
      await sdk.createChannel(client, {
        channelName: `c${i}`,
        channelType: "live",
        pushDomain: "push.example.com",
        pullRate: "0",
      });
    }
    const all = await cli(["getChannelList", "--all"], env);
    assert.equal(all.code, 0, all.stderr);
    const items = JSON.parse(all.stdout);
    assert.equal(items.length, 120);
    assert.equal(new Set(items.map((item: { pullId: string }) => item.pullId)).size, 120);
    assert.equal(all.stderr, "", "no progress line when stderr is not a terminal");
    const notAList = await cli(["createChannel", "--all"], env);
    assert.equal(notAList.code, 2);
  } finally {
    await server.close();
  }
});

Deno.test("cli --simulator needs no account", async () => {
  const result = await cli(["getChannelList", "--simulator"]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout).channelToal, 0);
  assert.match(result.stderr, /embedded simulator/);
});
