/**
 * Runs workers in the `workerd` binary (from npm) with a generated config and nothing else in the
 * process: no miniflare. Miniflare routes every outbound `fetch` of a worker through a JavaScript
 * worker of its own (`outbound:0`, for its `cf` handling), which is a second isolate's work per
 * forwarded request that Cloudflare does not do; measured, it was about 40% of a bare forwarder's
 * CPU. The benchmarks that divide workerd's CPU by requests served use this instead.
 *
 * Each worker gets its own socket on 127.0.0.1 and outbound `fetch` goes straight to the network.
 * Text bindings reach workerd through its environment (`fromEnvironment`), so no value is ever
 * quoted into the config.
 *
 * @module
 */

import workerd from "workerd";
import { COMPATIBILITY_DATE } from "../scripts/workerd.ts";
import { freePort } from "../scripts/wrangler.ts";

/** One worker of a run: a bundled ES module and its text bindings. */
export interface DirectWorker {
  /** Name, also the file name of its module (letters, digits, `_`). */
  name: string;
  /** The bundled module. */
  script: string;
  /** Text bindings. */
  vars?: Record<string, string>;
}

/** Workers running in one workerd process. */
export interface DirectWorkers {
  /** Base URL of each worker, by name. */
  urls: Record<string, string>;
  /** The workerd process id (for CPU accounting). */
  pid: number;
  /** Stops workerd and removes the config. */
  stop(): Promise<void>;
}

// The package is CommonJS (compiled from ESM): its exports' `default` is the binary's path.
const binary = (workerd as unknown as { default: string }).default;

/** Waits until every URL's socket accepts a connection, or fails after `ms`. */
const untilListening = async (urls: string[], ms = 10_000) => {
  const end = Date.now() + ms;
  for (const url of urls) {
    for (;;) {
      try {
        const { hostname, port } = new URL(url);
        (await Deno.connect({ hostname, port: Number(port) })).close();
        break;
      } catch (error) {
        if (Date.now() > end) {
          throw new Error(`workerd did not start listening on ${url}`, { cause: error });
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }
};

/**
 * Starts `workers` in one workerd process.
 *
 * @param workers The workers; names must be identifiers.
 * @param options `inspectorPort`: serve the DevTools protocol there (for CPU profiles).
 * @returns Their URLs, workerd's pid and a way to stop it.
 */
export async function serveWorkers(
  workers: DirectWorker[],
  options: { inspectorPort?: number } = {},
): Promise<DirectWorkers> {
  const dir = await Deno.makeTempDir({ prefix: "wangsu-workerd-" });
  const env: Record<string, string> = {};
  const urls: Record<string, string> = {};
  const services: string[] = [];
  const sockets: string[] = [];
  for (const worker of workers) {
    if (!/^\w+$/.test(worker.name)) throw new Error(`worker name ${worker.name} is not \\w+`);
    await Deno.writeTextFile(`${dir}/${worker.name}.js`, worker.script);
    const bindings = Object.entries(worker.vars ?? {}).map(([name, value]) => {
      if (!/^\w+$/.test(name)) throw new Error(`binding name ${name} is not \\w+`);
      env[`${worker.name}__${name}`] = value;
      return `(name = "${name}", fromEnvironment = "${worker.name}__${name}")`;
    });
    services.push(
      `(name = "${worker.name}", worker = (` +
        `modules = [(name = "${worker.name}.js", esModule = embed "${worker.name}.js")], ` +
        `compatibilityDate = "${COMPATIBILITY_DATE}", bindings = [${bindings.join(", ")}], ` +
        `globalOutbound = "internet"))`,
    );
    const port = freePort();
    sockets.push(
      `(name = "${worker.name}", address = "127.0.0.1:${port}", http = (), service = "${worker.name}")`,
    );
    urls[worker.name] = `http://127.0.0.1:${port}`;
  }
  services.push(`(name = "internet", network = (allow = ["public", "private"]))`);
  await Deno.writeTextFile(
    `${dir}/config.capnp`,
    `using Workerd = import "/workerd/workerd.capnp";\n` +
      `const config :Workerd.Config = (\n  services = [\n    ${services.join(",\n    ")}\n  ],\n` +
      `  sockets = [\n    ${sockets.join(",\n    ")}\n  ],\n);\n`,
  );
  const child = new Deno.Command(binary, {
    args: [
      "serve",
      `${dir}/config.capnp`,
      ...options.inspectorPort ? [`--inspector-addr=127.0.0.1:${options.inspectorPort}`] : [],
    ],
    env,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text(); // drained as it comes, read on failure
  const stop = async () => {
    try {
      child.kill();
    } catch {
      // Already gone.
    }
    await child.status;
    await stderr;
    await Deno.remove(dir, { recursive: true });
  };
  try {
    await Promise.race([
      untilListening(Object.values(urls)),
      child.status.then(async () => {
        throw new Error(`workerd exited: ${await stderr}`);
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { urls, pid: child.pid, stop };
}
