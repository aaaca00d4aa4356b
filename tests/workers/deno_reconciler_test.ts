// workers/deno.ts with GATEWAY_RECONCILER=on registers the reconciler with Deno.cron (here
// --unstable-cron) on the schedule of GATEWAY_RECONCILE_INTERVAL_MS, and says so at start; an
// interval no cron schedule can express stops the process, naming the variable. Nothing waits for
// the schedule to fire: the handler itself is tested in tests/gateway/reconciler_test.ts.
import assert from "node:assert/strict";
import { until } from "../helpers.ts";
import { startEntry } from "../security/deno_entry_fixture.ts";

/** The process's environment: a production configuration with callbacks and the reconciler. */
const environment = (intervalMs: string) => ({
  WANGSU_ACCESS_KEY: "AK_MASTER",
  WANGSU_SECRET_KEY: `SK-${crypto.randomUUID()}`,
  GATEWAY_KEYS: JSON.stringify([{ token: `tok-${crypto.randomUUID()}`, actions: ["read"] }]),
  GATEWAY_CALLBACK_TOKEN: `cb_${crypto.randomUUID().replaceAll("-", "")}`,
  GATEWAY_RECONCILER: "on",
  GATEWAY_RECONCILE_INTERVAL_MS: intervalMs,
  GATEWAY_AUDIT_LOG: "off",
});

/**
 * Runs before the entry: records each `Deno.cron` registration on stderr, then registers it.
 * What is recorded is what the entry passed the runtime, not what it says it did.
 */
const RECORD_CRON = `
const register = Deno.cron;
Object.defineProperty(Deno, "cron", {
  configurable: true,
  value: (name, schedule, ...rest) => {
    console.error("registered Deno.cron " + JSON.stringify([name, schedule]));
    return register(name, schedule, ...rest);
  },
});
`;

/**
 * Starts the entry with `--unstable-cron` and waits on its stderr until it listens (then stops it)
 * or exits. A hang is bounded by a generous deadline, never a latency target.
 */
async function start(env: Record<string, string>) {
  const dir = await Deno.makeTempDir();
  const preload = `${dir}/record_cron.js`;
  await Deno.writeTextFile(preload, RECORD_CRON);
  const entry = startEntry(env, undefined, ["--unstable-cron", "--preload", preload]);
  try {
    await until(
      () => /^Listening on /m.test(entry.stderr()) || entry.exited(),
      "the entry to listen or exit",
    );
  } finally {
    await entry.stop();
    await Deno.remove(dir, { recursive: true });
  }
  return { code: (await entry.status).code, stderr: entry.stderr() };
}

Deno.test("Deno entry: GATEWAY_RECONCILER=on registers Deno.cron on the configured schedule", async () => {
  const env = environment("300000");
  const { stderr } = await start(env);
  assert.match(stderr, /^Listening on /m);
  assert.deepEqual(
    [...stderr.matchAll(/^registered Deno\.cron (.*)$/gm)].map((line) => JSON.parse(line[1])),
    [["gateway-reconciler", "*/5 * * * *"]],
  );
  assert.match(stderr, /^reconciler: on \(Deno\.cron "\*\/5 \* \* \* \*"\)$/m);
  for (const name of ["WANGSU_SECRET_KEY", "GATEWAY_KEYS", "GATEWAY_CALLBACK_TOKEN"] as const) {
    assert.ok(!stderr.includes(env[name]), `${name} is never printed`);
  }
});

Deno.test("Deno entry: an interval that no cron schedule expresses stops it, naming the variable", async () => {
  const { code, stderr } = await start(environment("420000"));
  assert.equal(code, 1);
  assert.match(
    stderr,
    /gateway: configuration error: .*GATEWAY_RECONCILE_INTERVAL_MS: on a cron schedule must be/,
  );
  assert.doesNotMatch(stderr, /^Listening on /m);
});
