// The CLI's argument errors and its terminal progress line, driven through runCli in process
// (tests/cli/run_test.ts runs the real subprocess): each argument error exits 2 with one line
// naming what is wrong and sends nothing; `--all` on a terminal counts what it has read on one
// line, rewritten in place, and ends it.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { EXIT, runCli } from "../../src/cli/run.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { actions } from "../../src/actions/table.ts";
import { readActionBody } from "../../src/action.ts";
import { demoChannel } from "../helpers.ts";

const master = { accessKey: "AK_CLI_ARGS", secretKey: `SK-${crypto.randomUUID()}` };

/** Runs the CLI against an in-process simulator; what it wrote, its exit code, what was sent. */
async function run(args: string[], options: { terminal?: boolean; channels?: number } = {}) {
  const simulator = createSimulator({ credentials: [master], rateLimit: false, callbacks: false });
  const client = sdk.createClient({ ...master, fetch: simulator.fetch });
  for (let i = 0; i < (options.channels ?? 0); i++) await demoChannel(client, undefined, `c${i}`);
  const before = simulator.stats.requests;
  const out: string[] = [];
  const err: string[] = [];
  const env: Record<string, string> = {
    WANGSU_ACCESS_KEY: master.accessKey,
    WANGSU_SECRET_KEY: master.secretKey,
  };
  const code = await runCli(args, {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env: (name) => env[name],
    stderrIsTerminal: options.terminal ?? false,
    fetch: simulator.fetch,
  });
  return {
    code,
    stdout: out.join(""),
    stderr: err.join(""),
    sent: simulator.stats.requests - before,
  };
}

Deno.test("cli argument errors: exit 2, one line naming the problem, nothing sent", async () => {
  const cases: [string[], string][] = [
    [["getChannelList", "--pageSize"], "--pageSize needs a value"],
    [["getChannelList", "--json"], "--json needs a value"],
    [["getChannelList", "extra"], 'unexpected argument "extra"'],
    [["getChannelConf", "p1", "p2", "--pullId", "p3"], 'unexpected argument "p1"'],
    [["getChannelList", "--json", "[1]"], "--json must be a JSON object"],
    [["getChannelList", "--json", "null"], "--json must be a JSON object"],
    [["getChannelList", "--json", '"text"'], "--json must be a JSON object"],
    [["getChannelList", "--json=7"], "--json must be a JSON object"],
    [["xyzzy"], 'unknown action "xyzzy" (see --help)'],
    [
      ["createChannel", "--all"],
      "--all works with getChannelList, getPullChannelList, getDirectoryList, getForwardTaskList",
    ],
    [
      ["getChannelConf", "--pullid=p1"],
      'getChannelConf has no field "pullid" (fields: pullId)',
    ],
  ];
  for (const [args, message] of cases) {
    const result = await run(args);
    assert.deepEqual(
      result,
      { code: EXIT.validation, stdout: "", stderr: `wangsu: ${message}\n`, sent: 0 },
      args.join(" "),
    );
  }
  const unparsable = await run(["getChannelList", "--json", "{not json"]);
  assert.equal(unparsable.code, EXIT.validation);
  assert.match(unparsable.stderr, /^wangsu: --json is not JSON: [^\n]+\n$/);
  assert.equal(unparsable.sent, 0);
});

Deno.test("cli usage: no action prints the usage on stderr (exit 2); --help and -h print on stdout (exit 0)", async () => {
  const none = await run([]);
  assert.equal(none.code, EXIT.validation);
  assert.equal(none.stdout, "");
  assert.match(none.stderr, /^Usage: wangsu <action> \[--field value \.\.\.\]/);
  for (const flag of ["--help", "-h"]) {
    const help = await run([flag]);
    assert.deepEqual([help.code, help.stderr, help.stdout], [EXIT.ok, "", none.stderr], flag);
  }
  const actionHelp = await run(["getChannelConf", "-h"]);
  assert.equal(actionHelp.code, EXIT.ok);
  assert.match(actionHelp.stdout, /^wangsu getChannelConf: /);
  assert.match(actionHelp.stdout, /--pullId +string \(required\)/);
  assert.equal(actionHelp.sent, 0);
});

Deno.test("cli flags: --all, --simulator and --help take no value; --field=value and --field value alike", async () => {
  const listed = await run(["--all", "getChannelList", "--pageSize=2"], { channels: 3 });
  assert.equal(listed.code, EXIT.ok, listed.stderr);
  assert.equal(JSON.parse(listed.stdout).length, 3);
  assert.equal(listed.sent, 2, "two pages of 2");
  const spaced = await run(["getChannelList", "--pageSize", "2"], { channels: 3 });
  assert.equal(JSON.parse(spaced.stdout).channelList.length, 2);
  const embedded = await run(["--simulator", "getChannelList"]);
  assert.equal(embedded.code, EXIT.ok, embedded.stderr);
  assert.equal(JSON.parse(embedded.stdout).channelToal, 0);
  assert.equal(embedded.sent, 0, "the embedded simulator, not the one given as fetch");
  const help = await run(["--help", "getChannelConf"]);
  assert.match(help.stdout, /^wangsu getChannelConf: /);
});

Deno.test("cli --all on a terminal: a progress line every 10 items, rewritten in place, then the total", async () => {
  const terminal = await run(["getChannelList", "--all", "--pageSize", "7"], {
    terminal: true,
    channels: 25,
  });
  assert.equal(terminal.code, EXIT.ok, terminal.stderr);
  assert.equal(terminal.stderr, "\r10 read…\r20 read…\r25 read.   \n");
  assert.equal(JSON.parse(terminal.stdout).length, 25, "stdout holds the result only");
  assert.equal(terminal.sent, 4, "pages of 7, 7, 7 and 4");

  const empty = await run(["getChannelList", "--all"], { terminal: true });
  assert.equal(empty.stderr, "\r0 read.   \n");
  assert.equal(empty.stdout, "[]\n");

  const piped = await run(["getChannelList", "--all"], { terminal: false, channels: 25 });
  assert.equal(piped.stderr, "", "no progress line when stderr is not a terminal");
  const single = await run(["getChannelList"], { terminal: true, channels: 25 });
  assert.equal(single.stderr, "", "one call, no progress line, even on a terminal");
});

/** The fields createChannel requires, but its name. */
const createFlags = [
  "--channelType",
  "live",
  "--pushDomain",
  "push.example.com",
  "--pullRate",
  "0",
];

/** What the CLI sent as the body of its one request. */
async function sentBody(args: string[]) {
  const simulator = createSimulator({ credentials: [master], rateLimit: false, callbacks: false });
  const bodies: unknown[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    stdout: () => {},
    stderr: (text) => err.push(text),
    env: (name) =>
      ({ WANGSU_ACCESS_KEY: master.accessKey, WANGSU_SECRET_KEY: master.secretKey })[name],
    stderrIsTerminal: false,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      bodies.push(await request.clone().json());
      return simulator.fetch(request);
    },
  });
  assert.equal(code, EXIT.ok, err.join(""));
  assert.equal(bodies.length, 1);
  return bodies[0];
}

Deno.test("cli a flag followed by another flag: the first has no value, nothing is sent", async () => {
  const cases: [string[], string][] = [
    [
      ["getChannelList", "--pageSize", "--all"],
      '--pageSize needs a value, but --all follows it (for a value that starts with "-", write --pageSize=--all)',
    ],
    [
      ["createChannel", "--channelName", "--channelType", "live", "--pushDomain", "p.example.com"],
      '--channelName needs a value, but --channelType follows it (for a value that starts with "-", write --channelName=--channelType)',
    ],
    [
      ["getChannelConf", "--json", "--pullId", "p1"],
      '--json needs a value, but --pullId follows it (for a value that starts with "-", write --json=--pullId)',
    ],
    [
      ["getChannelList", "--pageSize", "2", "--pageSize", "-h"],
      '--pageSize needs a value, but -h follows it (for a value that starts with "-", write --pageSize=-h)',
    ],
    [["getChannelList", "--all=yes"], "--all takes no value"],
    [["--simulator=no", "getChannelList"], "--simulator takes no value"],
  ];
  for (const [args, message] of cases) {
    const result = await run(args);
    assert.deepEqual(
      result,
      { code: EXIT.validation, stdout: "", stderr: `wangsu: ${message}\n`, sent: 0 },
      args.join(" "),
    );
  }
  // A value that starts with "-" is taken when it is attached with "=".
  const dashed = await sentBody(["createChannel", ...createFlags, "--channelName=--dashed-"]);
  assert.equal((dashed as { channelName: string }).channelName, "--dashed-");
});

Deno.test("cli fields may come before the action; global flags anywhere; the last of a repeated flag wins", async () => {
  const before = await run(["--pageSize", "2", "getChannelList"], { channels: 3 });
  assert.equal(before.code, EXIT.ok, before.stderr);
  assert.equal(JSON.parse(before.stdout).channelList.length, 2);
  const repeated = await run(["getChannelList", "--pageSize", "50", "--pageSize=1"], {
    channels: 3,
  });
  assert.equal(repeated.code, EXIT.ok, repeated.stderr);
  assert.equal(JSON.parse(repeated.stdout).channelList.length, 1);
  const misplaced = await run(["--pagesize", "2", "getChannelList"]);
  assert.deepEqual(
    [misplaced.code, misplaced.stderr],
    [
      EXIT.validation,
      'wangsu: getChannelList has no field "pagesize" (fields: listOrder, pageIndex, pageSize, appScenario)\n',
    ],
  );
});

Deno.test("cli flags are read as their field's type: the same body as --json", async () => {
  const pairs: [string[], Record<string, unknown>][] = [
    [["--pageSize", "5", "--pageIndex=1", "--listOrder", "1"], {
      pageSize: 5,
      pageIndex: 1,
      listOrder: 1,
    }],
    [["--appScenario", "123"], { appScenario: "123" }],
  ];
  for (const [flags, json] of pairs) {
    assert.deepEqual(
      await sentBody(["getChannelList", ...flags]),
      await sentBody(["getChannelList", "--json", JSON.stringify(json)]),
      flags.join(" "),
    );
  }
  const created = {
    channelName: "007",
    channelType: "live",
    pushDomain: "push.example.com",
    pullRate: "0",
    live2vod: "1",
    videoEncrypted: 2,
    hlsEncryptDuration: 30,
    funcConfig: "",
  };
  assert.deepEqual(
    await sentBody([
      "createChannel",
      "--channelName=007",
      ...createFlags,
      "--live2vod",
      "1",
      "--videoEncrypted",
      "2",
      "--hlsEncryptDuration",
      "30",
      "--funcConfig=",
    ]),
    await sentBody(["createChannel", "--json", JSON.stringify(created)]),
  );
});

Deno.test("cli <action> --help: each field's type as JSON Schema gives it, required where an empty input is refused naming it", async () => {
  const help = await run(["createChannel", "--help"]);
  assert.match(help.stdout, /--funcConfig +"" \| string\n/);
  assert.match(help.stdout, /--live2vod +"0" \| "1"\n/);
  assert.match(help.stdout, /--videoEncrypted +0 \| 1 \| 2\n/);
  assert.match(help.stdout, /--hlsEncryptDuration +number\n/);
  const query = await run(["recordTaskQuery", "--help"]);
  assert.match(query.stdout, /--taskId +"" \| string\n/);
  for (const action of actions) {
    const { stdout, code } = await run([action.name, "--help"]);
    assert.equal(code, EXIT.ok);
    const listed = [...stdout.matchAll(/^ {2}--(\w+) .*?( \(required\))?$/gm)].map((
      [, name, required],
    ) => [name, !!required] as const);
    const refused = readActionBody(action, "{}");
    const missing = new Set(
      "issues" in refused
        ? refused.issues.filter((issue) => issue.rule == "required").map((issue) => issue.path)
        : [],
    );
    assert.ok(listed.length > 0 || stdout.includes("(none)"), action.name);
    for (const [name, required] of listed) {
      assert.equal(required, missing.has(name), `${action.name} --${name}`);
    }
  }
});
