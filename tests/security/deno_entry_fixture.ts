// What the security tests of the self-hosted Deno entry share: a real `workers/deno.ts` process,
// configured as a production gateway (random-looking keys, an upstream on a loopback port where
// nothing listens, so nothing leaves the machine), optionally under a lower open-file limit, with
// its stdout and stderr collected, and a wait on `/healthz` whose deadline only bounds a hang.
import { freePort } from "../../scripts/wrangler.ts";

const entry = new URL("../../workers/deno.ts", import.meta.url).pathname;

/** A random-looking secret of 32 hex characters (passes the gateway's key checks). */
export const randomSecret = (): string => crypto.randomUUID().replaceAll("-", "");

/** Environment of a production gateway with one bearer key; `token` is that key's secret. */
export function entryEnvironment(): { env: Record<string, string>; token: string } {
  const token = `tok-${randomSecret()}`;
  return {
    token,
    env: {
      WANGSU_ACCESS_KEY: `AK_${randomSecret().slice(0, 12)}`,
      WANGSU_SECRET_KEY: `SK_${randomSecret()}`,
      // Loopback, and nothing listens there: a request that did go upstream would fail at once.
      WANGSU_ENDPOINT: `http://127.0.0.1:${freePort()}`,
      // An operator's key: the tests stream events about channels made outside the gateway.
      GATEWAY_KEYS: JSON.stringify([{ name: "reader", token, actions: ["read"], objects: "all" }]),
      GATEWAY_HOSTNAME: "127.0.0.1",
    },
  };
}

/** A running `workers/deno.ts`. */
export interface Entry {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** The port it was told to listen on. */
  port: number;
  /** The gateway process's id (`bash` execs it, so this is Deno's own). */
  pid: number;
  /** Everything it printed on stderr so far. */
  stderr(): string;
  /** Everything it printed on stdout so far. */
  stdout(): string;
  /** Its exit status once it has exited, else undefined. */
  exited(): Deno.CommandStatus | undefined;
  /** Resolves with its exit status. */
  status: Promise<Deno.CommandStatus>;
  /** Stops it (SIGTERM) and waits for it and its output. */
  stop(): Promise<void>;
}

/**
 * Starts `workers/deno.ts` with `env` (and nothing else from this environment) on a free port,
 * under `ulimit -n <fdLimit>` when given (through bash, as an operator would); `flags` are more
 * `deno run` flags, put before the entry (`--unstable-cron`, `--preload <file>`).
 */
export function startEntry(
  env: Record<string, string>,
  fdLimit?: number,
  flags: readonly string[] = [],
): Entry {
  const port = freePort();
  const deno = [Deno.execPath(), "run", "-A", "--unstable-kv", ...flags, entry];
  const quoted = deno.map((arg) => `'${arg.replaceAll("'", `'\\''`)}'`).join(" ");
  const options: Deno.CommandOptions = {
    env: { ...env, PORT: String(port), NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "" },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  };
  const child = fdLimit
    ? new Deno.Command("bash", {
      ...options,
      args: ["-c", `ulimit -n ${fdLimit} && exec ${quoted}`],
    }).spawn()
    : new Deno.Command(deno[0], { ...options, args: deno.slice(1) }).spawn();
  const out: string[] = [];
  const err: string[] = [];
  const collect = async (stream: ReadableStream<Uint8Array>, into: string[]) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) into.push(chunk);
  };
  const collecting = Promise.all([collect(child.stdout, out), collect(child.stderr, err)]);
  let exit: Deno.CommandStatus | undefined;
  const status = child.status.then((s) => exit = s);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    stderr: () => err.join(""),
    stdout: () => out.join(""),
    exited: () => exit,
    status,
    async stop() {
      if (!exit) {
        try {
          child.kill("SIGTERM");
        } catch {
          // Exited in the meantime.
        }
      }
      await status;
      await collecting;
    },
  };
}

/**
 * Two `workers/deno.ts` processes on one new Deno KV file, with callbacks on (audit log off):
 * `token` is the reader key's (every object), `ingress` the callback token; `extra` adds or
 * overrides variables. Call {@link untilHealthy} on each, and `stop()` them.
 */
export async function twoEntriesOnOneKv(extra: Record<string, string> = {}): Promise<{
  token: string;
  ingress: string;
  entries: [Entry, Entry];
}> {
  const { env, token } = entryEnvironment();
  const ingress = `cb_${randomSecret()}`;
  const shared = {
    ...env,
    GATEWAY_CALLBACK_TOKEN: ingress,
    GATEWAY_KV_PATH: `${await Deno.makeTempDir()}/gateway.kv`,
    GATEWAY_AUDIT_LOG: "off",
    ...extra,
  };
  return { token, ingress, entries: [startEntry(shared), startEntry(shared)] };
}

/** `/healthz`'s status, or the error's name when there was no answer within `ms`. */
export async function health(url: string, ms = 2_000): Promise<number | string> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(ms) });
    await response.body?.cancel();
    return response.status;
  } catch (error) {
    return (error as Error).name;
  }
}

/**
 * Waits until `/healthz` answers 200, polling every 100 ms; throws with the process's output if
 * it exits or `deadlineMs` passes first (a bound on a hang, not a timing assertion).
 */
export async function untilHealthy(entry: Entry, deadlineMs = 30_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (entry.exited()) break;
    if (await health(entry.url, 1_000) == 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `the gateway did not answer /healthz (exit: ${JSON.stringify(entry.exited())}):\n` +
      entry.stderr().slice(-2_000),
  );
}
