// The SDK line `deno task start` prints works when pasted, on both routes the README gives:
// with Deno installed (`deno task start`) and with Node only (`npx -y deno task start`, where no
// `deno` is on the PATH, so a printed `deno eval` would fail with "deno: not found").
import assert from "node:assert/strict";
import { freePortPair, pathWith, readUntil, which } from "./start_fixture.ts";

const root = new URL("../../", import.meta.url).pathname;

/** Runs `launcher` (a `deno task start`) and the SDK line it prints, with only `commands`. */
async function followSdkLine(launcher: string[], commands: Record<string, string>) {
  const bin = await pathWith(commands);
  const env: Record<string, string> = {
    PATH: bin,
    HOME: Deno.env.get("HOME") ?? "/tmp",
    PORT: String(freePortPair()),
    NO_COLOR: "1",
  };
  const denoDir = Deno.env.get("DENO_DIR");
  if (denoDir) env.DENO_DIR = denoDir;
  // In a session of its own, so that stopping it stops what it started (npx does not pass a
  // SIGTERM on to `deno task`).
  const child = new Deno.Command(setsid!, {
    args: [`${bin}/${launcher[0]}`, ...launcher.slice(1)],
    cwd: root,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let errors = "";
  const collecting = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) errors += chunk;
  })();
  try {
    const printed = await readUntil(reader, (text) => text.includes("Stop with Ctrl+C."));
    const line = printed.match(/Call it with the SDK[^\n]*\n((?:.*\\\n)*.*)\n/)?.[1];
    assert.ok(line, `${printed}\n${errors}`);
    const { code, stdout, stderr } = await new Deno.Command("/bin/sh", {
      args: ["-c", line],
      cwd: root,
      env,
      clearEnv: true,
    }).output();
    const output = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
    assert.equal(code, 0, `${line}\n${output}`);
    assert.match(output, /pullId/, output);
    return line;
  } finally {
    try {
      Deno.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
    await reader.cancel();
    await child.status;
    await collecting;
    await Deno.remove(bin, { recursive: true });
  }
}

const setsid = which("setsid");
const npx = which("npx");
const node = which("node");

Deno.test({
  name: "the printed SDK line runs on the `deno task start` route",
  ignore: !setsid,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const line = await followSdkLine(["deno", "task", "start"], { deno: Deno.execPath() });
    assert.match(line, /\bdeno eval /);
  },
});

Deno.test({
  name: "the printed SDK line runs on the `npx -y deno task start` route, with no deno on PATH",
  ignore: !setsid || !npx || !node,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const line = await followSdkLine(["npx", "-y", "deno", "task", "start"], {
      npx: npx!,
      node: node!,
    });
    assert.match(line, /\bnpx -y deno eval /);
  },
});
