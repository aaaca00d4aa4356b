// workers/deno.ts runs the demo only when asked (`--demo`, as `deno task start` passes it) and
// nothing of a real configuration is set: a production process whose master key went missing
// stops, naming the variable, instead of serving partners from an in-memory simulator.
import assert from "node:assert/strict";

const entry = new URL("../../workers/deno.ts", import.meta.url).pathname;

/** Runs the entry with only `env` and `args`; it must exit on its own (a hang is killed). */
async function run(env: Record<string, string>, args: string[] = []) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", entry, ...args],
    env: { ...env, PORT: "0", NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "" },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const hang = setTimeout(() => child.kill("SIGKILL"), 60_000); // bounds a hang only
  const { code, stdout, stderr } = await child.output();
  clearTimeout(hang);
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code, stdout: decode(stdout), stderr: decode(stderr) };
}

Deno.test("without credentials and without --demo: exits 1 naming WANGSU_ACCESS_KEY", async () => {
  const { code, stdout, stderr } = await run({});
  assert.equal(code, 1);
  assert.match(stderr, /gateway: configuration error: .*WANGSU_ACCESS_KEY: is required/);
  assert.doesNotMatch(stdout + stderr, /simulator/);
});

Deno.test("--demo with GATEWAY_KEYS set but the master key missing: exits, no demo", async () => {
  const token = `tok-${crypto.randomUUID()}`;
  const { code, stdout, stderr } = await run(
    { GATEWAY_KEYS: JSON.stringify([{ token, actions: ["read"] }]) },
    ["--demo"],
  );
  assert.equal(code, 1);
  assert.match(stderr, /WANGSU_ACCESS_KEY: is required/);
  assert.doesNotMatch(stdout + stderr, /simulator/);
  assert.ok(!(stdout + stderr).includes(token));
});

Deno.test("production mode: each required variable missing stops the process, naming it", async () => {
  const full = {
    WANGSU_ACCESS_KEY: "AK_MASTER",
    WANGSU_SECRET_KEY: `SK-${crypto.randomUUID()}`,
    GATEWAY_KEYS: JSON.stringify([{ token: `tok-${crypto.randomUUID()}`, actions: ["read"] }]),
  };
  for (const name of Object.keys(full) as (keyof typeof full)[]) {
    const env: Record<string, string> = { ...full };
    delete env[name];
    const { code, stdout, stderr } = await run(env, ["--demo"]);
    assert.equal(code, 1, name);
    assert.match(stderr, new RegExp(`gateway: configuration error: .*${name}: is required`), name);
    assert.doesNotMatch(stdout + stderr, /simulator/, name);
    for (const value of Object.values(full)) {
      if (value.length > 12) assert.ok(!(stdout + stderr).includes(value), `${name}: no secret`);
    }
  }
});
