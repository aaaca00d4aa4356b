// `wangsu sign-url <url> --expires-in 3600`: signs a push or play URL offline with the rule in
// WANGSU_URL_RULE; a bad rule or flag exits 2 naming it, never printing a key.
import assert from "node:assert/strict";
import { runCli } from "../../src/cli/run.ts";
import { verifyLiveUrl } from "../../src/url_signing/mod.ts";

const secretKey = `cli-${crypto.randomUUID()}`;
const abstime = {
  secretKey,
  timeFormat: "hex",
  effectiveTimeMode: "abstime",
  ciphe_combination: "time+path+key",
} as const;

async function cli(args: string[], env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: (text) => stdout += text,
    stderr: (text) => stderr += text,
    env: (name) => env[name],
    stderrIsTerminal: false,
    fetch: () => Promise.reject(new Error("sign-url makes no request")),
  });
  assert.ok(!stdout.includes(secretKey) && !stderr.includes(secretKey), "no key printed");
  return { code, stdout, stderr };
}

Deno.test("sign-url signs with the rule from WANGSU_URL_RULE: the URL verifies with that rule", async () => {
  const before = Math.floor(Date.now() / 1000);
  const run = await cli(
    ["sign-url", "rtmp://push.example.com/live/stream1", "--expires-in", "3600"],
    { WANGSU_URL_RULE: JSON.stringify(abstime) },
  );
  const after = Math.ceil(Date.now() / 1000);
  assert.equal(run.code, 0, run.stderr);
  const signed = JSON.parse(run.stdout);
  assert.ok(signed.expiresAt >= before + 3600 && signed.expiresAt <= after + 3600);
  assert.match(
    signed.url,
    /^rtmp:\/\/push\.example\.com\/live\/stream1\?wsSecret=[0-9a-f]{32}&wsTime=/,
  );
  assert.deepEqual(verifyLiveUrl(signed.url, abstime, { now: after }), {
    ok: true,
    keyIndex: 0,
    time: signed.expiresAt,
    expiresAt: signed.expiresAt,
  });
  // A duration rule sets the life itself: no --expires-in.
  const duration = { ...abstime, effectiveTimeMode: "duration", effectiveTime: "600" } as const;
  const play = await cli(["sign-url", "https://play.example.com/live/s.m3u8"], {
    WANGSU_URL_RULE: JSON.stringify(duration),
  });
  assert.equal(play.code, 0, play.stderr);
  assert.equal(verifyLiveUrl(JSON.parse(play.stdout).url, duration).ok, true);
  const at = await cli(
    ["sign-url", "rtmp://push.example.com/live/s", `--expires-at=${after + 60}`],
    { WANGSU_URL_RULE: JSON.stringify(abstime) },
  );
  assert.equal(at.code, 0, at.stderr);
  assert.equal(JSON.parse(at.stdout).expiresAt, after + 60);
});

Deno.test("sign-url exits 2 naming what is wrong: the variable, the rule's field, a flag, the URL", async () => {
  const env = { WANGSU_URL_RULE: JSON.stringify(abstime) };
  const cases: [string[], Record<string, string>, RegExp][] = [
    [
      ["sign-url", "rtmp://push.example.com/live/s", "--expires-in", "60"],
      {},
      /WANGSU_URL_RULE: required/,
    ],
    [
      ["sign-url", "rtmp://push.example.com/live/s", "--expires-in", "60"],
      { WANGSU_URL_RULE: JSON.stringify({ ...abstime, timeFormat: undefined }) },
      /WANGSU_URL_RULE\.timeFormat: required/,
    ],
    [
      ["sign-url", "rtmp://push.example.com/live/s", "--expires-in", "60"],
      { WANGSU_URL_RULE: `{"secretKey":"${secretKey}"` },
      /WANGSU_URL_RULE: must be JSON/,
    ],
    [
      ["sign-url", "rtmp://push.example.com/live/s", "--expires-in", "soon"],
      env,
      /--expires-in: must be whole seconds/,
    ],
    [["sign-url", "rtmp://push.example.com/live/s"], env, /--expires-in: required in abstime mode/],
    [["sign-url", "--expires-in", "60"], env, /sign-url needs the URL to sign/],
    [
      ["sign-url", "srt://push.example.com:9000?streamid=x", "--expires-in", "60"],
      env,
      /url: must be an absolute URL/,
    ],
    [
      ["sign-url", "rtmp://a/b", "rtmp://c/d", "--expires-in", "60"],
      env,
      /unexpected argument "rtmp:\/\/c\/d"/,
    ],
    [
      ["sign-url", "rtmp://a/b", "--expires-in", "60", "--ttl", "5"],
      env,
      /sign-url has no option "--ttl"/,
    ],
  ];
  for (const [args, environment, expected] of cases) {
    const run = await cli(args, environment);
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, expected);
    assert.equal(run.stdout, "");
  }
});

Deno.test("sign-url --help explains it, and the usage lists it", async () => {
  const help = await cli(["sign-url", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /WANGSU_URL_RULE/);
  assert.match(help.stdout, /--expires-in/);
  const usage = await cli(["--help"]);
  assert.match(usage.stdout, /sign-url <url>/);
});
