/**
 * Runs workers in real workerd through the `miniflare` API (workerd from npm, run by Deno), with
 * no dev proxy in front: each worker that is `exposed` gets its own socket on 127.0.0.1. Workers
 * are separate V8 isolates, so two workers running the same script stand for two isolates of one
 * deployment; a third hosts the Durable Objects they share (bound by `scriptName`), as Cloudflare
 * would route them to one object whichever isolate calls.
 *
 * @module
 */

import * as esbuild from "esbuild";
import { Miniflare, type WorkerdStructuredLog } from "miniflare";
import { installNodeModules } from "./node_modules.ts";
import { COMPATIBILITY_DATE } from "./wrangler.ts";

export { COMPATIBILITY_DATE };

const root = new URL("../", import.meta.url).pathname;

/**
 * Bundles a worker entry (a path under the project) into one ES module, as wrangler would.
 *
 * @param entry Path from the project root, e.g. `workers/cloudflare.ts`.
 * @param minify Minify (default); unminified bundles keep names and `// path` module comments,
 *   for profiles.
 * @returns The module's source.
 */
export async function bundleWorker(entry: string, minify = true): Promise<string> {
  await installNodeModules();
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    target: "es2022",
    external: ["cloudflare:*", "node:*"],
    minify,
    logLevel: "error",
  });
  return result.outputFiles[0].text;
}

/** One worker of a run. */
export interface WorkerSpec {
  /** Unique name. */
  name: string;
  /** The bundled module. */
  script: string;
  /** Text bindings (environment variables). */
  vars?: Record<string, string>;
  /**
   * Durable Object bindings: binding name → class name, hosted by `scriptName` (another worker of
   * the run) or, when omitted, by this worker.
   */
  durableObjects?: Record<string, { className: string; scriptName?: string }>;
  /**
   * Queue bindings: binding name → queue name. This worker both produces to each queue and
   * consumes it (its `queue()` handler), in batches sent after at most a second.
   */
  queues?: Record<string, string>;
  /** Serve it on its own 127.0.0.1 socket (default true). */
  exposed?: boolean;
}

/** The worker that hosts the gateway's Durable Objects (not served); name it in `scriptName`. */
export const stateHost = (script: string, vars?: Record<string, string>): WorkerSpec => ({
  name: "state",
  script,
  vars,
  exposed: false,
  durableObjects: {
    GATEWAY_STATE: { className: "GatewayStateObject" },
    GATEWAY_EVENTS: { className: "GatewayEventHub" },
  },
});

/** The `GATEWAY_STATE` and `GATEWAY_EVENTS` bindings of a gateway worker to {@link stateHost}. */
export const sharedState: WorkerSpec["durableObjects"] = {
  GATEWAY_STATE: { className: "GatewayStateObject", scriptName: "state" },
  GATEWAY_EVENTS: { className: "GatewayEventHub", scriptName: "state" },
};

/**
 * Starts the Workers gateway (workers/cloudflare.ts) as two isolates, `gateway-a` and
 * `gateway-b`, sharing the Durable Objects that {@link stateHost} hosts, in one workerd.
 *
 * @param vars Both isolates' variables.
 * @param more Further workers of the same run, made from the bundled gateway script.
 * @returns The running workers.
 */
export async function startTwoGateways(
  vars: Record<string, string>,
  more: (script: string) => WorkerSpec[] = () => [],
): Promise<RunningWorkers> {
  const script = await bundleWorker("workers/cloudflare.ts");
  return await startWorkers([
    stateHost(script),
    { name: "gateway-a", script, vars, durableObjects: sharedState },
    { name: "gateway-b", script, vars, durableObjects: sharedState },
    ...more(script),
  ]);
}

/** A worker's entry points, called from here. */
export interface WorkerEntry {
  /** Runs the worker's `scheduled()` handler as a Cron Trigger would. */
  scheduled(
    options?: { cron?: string; scheduledTime?: Date },
  ): Promise<{ outcome: string; noRetry: boolean }>;
}

/** Running workers. */
export interface RunningWorkers {
  /** Base URL of each exposed worker, by name. */
  urls: Record<string, string>;
  /** What workerd printed (the workers' console included). */
  logs(): string;
  /** The workerd process id (for CPU accounting). */
  pid(): number | undefined;
  /** A worker's bindings, usable from here (Durable Object stubs take RPC calls). */
  bindings(name: string): Promise<Record<string, unknown>>;
  /** A worker's entry, usable from here: `scheduled({ cron })` fires its Cron Trigger. */
  worker(name: string): Promise<WorkerEntry>;
  /** Shuts workerd down. */
  stop(): Promise<void>;
}

/** Process ids of this process's children, from /proc. */
const children = async () => {
  const ids: number[] = [];
  for await (const task of Deno.readDir(`/proc/${Deno.pid}/task`)) {
    const text = await Deno.readTextFile(`/proc/${Deno.pid}/task/${task.name}/children`)
      .catch(() => "");
    ids.push(...text.split(/\s+/).filter(Boolean).map(Number));
  }
  return ids;
};

/**
 * Starts the workers in one workerd process.
 *
 * @param specs The workers.
 * @returns Their URLs, logs and a way to stop them.
 */
export async function startWorkers(specs: WorkerSpec[]): Promise<RunningWorkers> {
  const logs: string[] = [];
  const before = new Set(await children());
  const mf = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    // workerd's output (the workers' console included), one structured line at a time.
    handleStructuredLogs: ({ message }: WorkerdStructuredLog) => logs.push(`${message}\n`),
    workers: specs.map((spec) => ({
      config: {
        name: spec.name,
        compatibilityDate: COMPATIBILITY_DATE,
        manifest: {
          mainModule: "worker.js",
          modules: { "worker.js": { type: "esm" as const, contents: spec.script } },
        },
        env: {
          ...Object.fromEntries(
            Object.entries(spec.vars ?? {}).map(([name, value]) => [
              name,
              { type: "text" as const, value },
            ]),
          ),
          ...Object.fromEntries(
            Object.entries(spec.durableObjects ?? {}).map(([binding, object]) => [
              binding,
              {
                type: "durable-object" as const,
                worker: object.scriptName ?? spec.name,
                exportName: object.className,
              },
            ]),
          ),
          ...Object.fromEntries(
            Object.entries(spec.queues ?? {}).map(([binding, queue]) => [
              binding,
              { type: "queue" as const, name: queue },
            ]),
          ),
        },
        exports: Object.fromEntries(
          Object.entries(spec.durableObjects ?? {}).filter(([, object]) => !object.scriptName)
            .map(([, object]) => [
              object.className,
              { type: "durable-object" as const, storage: "sqlite" as const },
            ]),
        ),
        ...(spec.queues && {
          triggers: Object.values(spec.queues).map((queue) => ({
            type: "queue" as const,
            name: queue,
            maxBatchTimeout: 1,
          })),
        }),
      },
      dev: {
        unsafeDirectSockets: spec.exposed === false ? [] : [{ host: "127.0.0.1", port: 0 }],
      },
    })),
  });
  await mf.ready;
  const urls: Record<string, string> = {};
  for (const spec of specs) {
    if (spec.exposed !== false) {
      urls[spec.name] = (await mf.unsafeGetDirectURL(spec.name)).href.replace(/\/$/, "");
    }
  }
  const workerd = (await children()).find((id) => !before.has(id));
  return {
    urls,
    logs: () => logs.join(""),
    pid: () => workerd,
    bindings: (name) => mf.getBindings(name),
    // miniflare types the entry with workerd's own types, which Deno does not load.
    worker: (name) => mf.getWorker(name) as unknown as Promise<WorkerEntry>,
    stop: () => mf.dispose(),
  };
}
