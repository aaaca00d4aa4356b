/**
 * Starts `wrangler dev` (wrangler and workerd from npm, run by Deno) on 127.0.0.1 and waits until
 * the worker answers `GET /healthz` (or any response, for workers without it).
 *
 * @module
 */

import { installNodeModules } from "./node_modules.ts";

/** The pinned wrangler. */
export const WRANGLER = "npm:wrangler@4.164.0";

/**
 * Reads the top-level `compatibility_date` of a wrangler.toml.
 *
 * @param toml The file's text.
 * @returns The date, `YYYY-MM-DD`.
 * @throws {Error} When the key is missing, repeated or not a quoted `YYYY-MM-DD`.
 */
export const compatibilityDateOf = (toml: string): string => {
  // Top-level keys come before the first [table]; the date is one of them.
  const topLevel = toml.split(/^\s*\[/m)[0];
  const found = [...topLevel.matchAll(/^\s*compatibility_date\s*=\s*(.*?)\s*(?:#.*)?$/gm)];
  const date = /^"(\d{4}-\d{2}-\d{2})"$/.exec(found[0]?.[1] ?? "")?.[1];
  if (found.length != 1 || !date) {
    throw new Error(
      `wrangler.toml: compatibility_date must be set once at the top level as "YYYY-MM-DD" ` +
        `(found ${found.length})`,
    );
  }
  return date;
};

const root = new URL("../", import.meta.url).pathname;

/**
 * The compatibility date users deploy with: `wrangler.toml`'s. Every harness that runs a worker
 * (miniflare, workerd directly, `wrangler dev` with a config of its own) uses this one.
 */
export const COMPATIBILITY_DATE: string = compatibilityDateOf(
  Deno.readTextFileSync(`${root}wrangler.toml`),
);

/** A running worker. */
export interface RunningWorker {
  /** Base URL. */
  url: string;
  /** Everything wrangler printed so far. */
  logs(): string;
  /** Stops wrangler and workerd. */
  stop(): Promise<void>;
}

/** A free port on 127.0.0.1. */
export const freePort = (): number => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
};

/**
 * Starts a worker.
 *
 * @param options `config` (a wrangler.toml, default the project's), `vars` bindings, a name for
 *   the state folder.
 */
export async function startWorker(
  options: { config?: string; vars: Record<string, string>; name: string },
): Promise<RunningWorker> {
  // wrangler bundles the worker, resolving npm imports from node_modules.
  await installNodeModules();
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      WRANGLER,
      "dev",
      ...(options.config ? ["--config", options.config] : []),
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      `${root}.wrangler/state-${options.name}`,
      ...Object.entries(options.vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
    ],
    cwd: root,
    env: { WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const logs: string[] = [];
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) logs.push(chunk);
  };
  const collecting = Promise.all([collect(child.stdout), collect(child.stderr)]);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    try {
      child.kill("SIGINT");
    } catch {
      // already gone
    }
    await child.status;
    await collecting;
  };
  const deadline = Date.now() + 180_000;
  for (;;) {
    const up = await fetch(`${url}/healthz`).then(async (r) => (await r.body?.cancel(), true))
      .catch(() => false);
    if (up) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not come up:\n${logs.join("")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return { url, logs: () => logs.join(""), stop };
}
