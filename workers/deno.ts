/**
 * Deno and Deno Deploy entry: `createGateway` configured from the environment (see
 * `src/gateway/config.ts` and, for the server's address and connection bounds,
 * `workers/deno_server_env.ts`). On a server it serves with bounded connections
 * (`workers/deno_server.ts`: header and body timeouts, a connection limit, no exit when
 * descriptors run out); on Deno Deploy with `Deno.serve`, behind Deploy's own front end.
 *
 * State: on Deno Deploy the deployment's Deno KV; on a server, the Deno KV file at
 * `GATEWAY_KV_PATH` when set (shared by every process given the same path), else this process's
 * memory, which holds ownership records, replay protection, quotas and the budget for this one
 * process only (said at start, on stderr). Callbacks fan out through the same Deno KV when there
 * is one (every process and isolate sharing it receives each event once, see
 * `src/adapters/deno/deno_kv_hub.ts`), else over `BroadcastChannel` (this process only). With
 * `--demo` (as `deno task start` passes it) and none of `WANGSU_ACCESS_KEY`, `WANGSU_SECRET_KEY`
 * and `GATEWAY_KEYS` set, it starts the local demo instead: the simulator as upstream and printed
 * demo keys (`workers/demo.ts`).
 *
 * A configuration error stops the process with a message naming the variable.
 *
 * @module
 */

import {
  createBroadcastChannelHub,
  createDenoKvHub,
  createDenoKvStore,
  createDenoKvWebhookLedger,
  createDenoKvWebhookQueue,
} from "../src/adapters/deno/mod.ts";
import {
  createGatewayFromEnvironment,
  gatewayOptionsFromEnvironment,
  namingVariables,
  webhookEndpointsFromEnvironment,
  webhookScheduleFromEnvironment,
} from "../src/gateway/config.ts";
import { WangsuValidationError } from "../src/errors.ts";
import { historyOptionsOf } from "../src/gateway/event_hub.ts";
import { createKvChannelMemory, cronOf, scheduleReconciler } from "../src/gateway/reconciler.ts";
import { reconcilerSettings } from "../src/gateway/reconciler_settings.ts";
import { serveBounded } from "./deno_server.ts";
import { openFileLimit, serverOptionsFromEnvironment } from "./deno_server_env.ts";

/** Runs `read`; on a configuration error prints its message (no stack) and exits. */
const configured = <T>(read: () => T): T => {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof WangsuValidationError)) throw error;
    console.error(`gateway: configuration error: ${error.message}`);
    Deno.exit(1);
  }
};

/**
 * The demo runs only when asked for (`deno task start` passes `--demo`) and nothing of a real
 * configuration is set: a production process whose master key went missing must stop, not serve
 * partners from an in-memory simulator.
 */
const demo = Deno.args.includes("--demo") &&
  !["WANGSU_ACCESS_KEY", "WANGSU_SECRET_KEY", "GATEWAY_KEYS"].some((name) => Deno.env.get(name));

if (!demo) {
  const env = Deno.env.toObject();
  const onDeploy = Deno.env.has("DENO_DEPLOYMENT_ID");
  const options = configured(() => gatewayOptionsFromEnvironment(env));
  const server = onDeploy
    ? undefined
    : configured(() => serverOptionsFromEnvironment(env, openFileLimit()));
  const kvPath = Deno.env.get("GATEWAY_KV_PATH");
  const kv = kvPath || onDeploy ? await openKv(kvPath) : undefined;
  const store = kv && createDenoKvStore(kv);
  console.error(
    onDeploy
      ? "gateway state: this deployment's Deno KV, shared by all its isolates."
      : kvPath
      ? `gateway state: the Deno KV file ${kvPath} (GATEWAY_KV_PATH): ownership records, ` +
        "replay protection, quotas, budget and callback events are shared by every process " +
        "given this same file."
      : "WARNING: gateway state is in this process's memory (GATEWAY_KV_PATH is not set): " +
        "ownership records, replay protection, quotas and budget hold for this one process only; " +
        "run several processes only with GATEWAY_KV_PATH on a shared file.",
  );
  // Events go through the KV the state is in: every process on the file (or every isolate of a
  // Deno Deploy deployment) streams each callback once, and a redelivery to any is a duplicate.
  // Without one, BroadcastChannel reaches the workers of this one process. Event streams may
  // take at most half the server's connections, unless configured, so that they cannot crowd
  // out API requests.
  const callbacks = options.callbacks && {
    ...options.callbacks,
    hub: kv
      ? createDenoKvHub(kv, historyOptionsOf(options.callbacks))
      : createBroadcastChannelHub(historyOptionsOf(options.callbacks)),
    maxStreams: options.callbacks.maxStreams ??
      (server ? Math.max(1, Math.min(1_000, Math.floor(server.maxConnections / 2))) : undefined),
  };
  // The page at / only when asked for (GATEWAY_PAGE=on): a production gateway shows nothing there.
  const page = Deno.env.get("GATEWAY_PAGE") == "on"
    ? { assets: (await import("./console_assets.ts")).consoleAssets }
    : undefined;
  // The reconciler's channel memory is in the same KV (every process polls what any one saw).
  const reconciler = options.reconciler && {
    ...options.reconciler,
    memory: kv ? createKvChannelMemory(kv) : undefined,
  };
  // Outgoing webhooks (GATEWAY_WEBHOOKS): through the Deno KV queue when there is a KV (every
  // process on the file consumes), else this process's timers (lost with it, said at start).
  const endpoints = configured(() => webhookEndpointsFromEnvironment(env));
  const webhooks = endpoints && await (async () => {
    const { createWebhookDelivery, createInProcessWebhookQueue } = await import(
      "../src/gateway/webhooks/mod.ts"
    );
    const queue = kv ? createDenoKvWebhookQueue(kv) : createInProcessWebhookQueue();
    if (!kv) {
      console.error(
        "WARNING: webhook retries and dead letters are in this process's memory (no GATEWAY_KV_PATH).",
      );
    }
    const delivery = configured(() =>
      createWebhookDelivery({
        endpoints,
        queue,
        ledger: kv ? createDenoKvWebhookLedger(kv) : undefined,
        scheduleMs: webhookScheduleFromEnvironment(env),
      })
    );
    void queue.listen((job) => delivery.process(job));
    return delivery;
  })();
  // The MCP endpoint at /mcp, imported with its first request (leave `mcp` out to serve none).
  const mcp = () => import("../src/gateway/mcp/mod.ts");
  const gateway = configured(() =>
    createGatewayFromEnvironment({ ...options, store, callbacks, page, reconciler, webhooks, mcp })
  );
  // On Deno.cron (Deno Deploy; --unstable-cron, as `deno task start` passes) or an interval.
  const reconcileEveryMs = options.reconciler
    ? reconcilerSettings(options.reconciler).intervalMs
    : 0;
  const scheduled = configured(() => {
    try {
      return scheduleReconciler(gateway, reconcileEveryMs);
    } catch (error) {
      throw namingVariables(error); // a cron schedule's interval: GATEWAY_RECONCILE_INTERVAL_MS
    }
  });
  if (scheduled == "cron") {
    console.error(`reconciler: on (Deno.cron "${cronOf(reconcileEveryMs)}")`);
  } else if (scheduled == "interval") {
    console.error(`reconciler: on (every ${reconcileEveryMs} ms, in this process)`);
  }
  if (server) {
    const running = serveBounded({
      ...server,
      onListen({ hostname, port }) {
        console.error(
          `Listening on http://${hostname}:${port}/ (request head within ` +
            `${server.headerTimeoutMs} ms, body within ${server.bodyTimeoutMs} ms, at most ` +
            `${server.maxConnections} connections)`,
        );
      },
    }, gateway.fetch);
    // Stopping shuts the server down, which removes its private socket directory (within 5 s:
    // open event streams do not hold the process).
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      Deno.addSignalListener(signal, () => {
        setTimeout(() => Deno.exit(0), 5_000);
        void running.shutdown().finally(() => Deno.exit(0));
      });
    }
  } else {
    Deno.serve({ port: Number(Deno.env.get("PORT") ?? 8787) }, gateway.fetch);
  }
} else {
  await import("./demo.ts");
}

/**
 * Opens the Deno KV file, waiting out another process that holds SQLite's lock while it opens the
 * same file (two processes started together): up to 40 tries, 50 ms apart; any other error at once.
 */
async function openKv(path: string | undefined): Promise<Deno.Kv> {
  for (let attempt = 1;; attempt++) {
    try {
      return await Deno.openKv(path);
    } catch (error) {
      if (attempt >= 40 || !/database is locked/i.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
