/**
 * Deno and Deno Deploy entry: `Deno.serve` over `createGateway`, configured from the environment
 * (see `src/gateway/config.ts`). On Deno Deploy the shared state is the deployment's Deno KV; on
 * a server, the Deno KV file at `GATEWAY_KV_PATH` when set (shared by every process given the
 * same path), else this process's memory. Callbacks fan out over `BroadcastChannel`. With no `WANGSU_ACCESS_KEY` it starts the local demo
 * instead: the simulator as upstream and printed demo keys (`workers/demo.ts`).
 *
 * @module
 */

import { createBroadcastChannelHub, createDenoKvStore, createGateway } from "../src/gateway/mod.ts";
import { gatewayOptionsFromEnvironment } from "../src/gateway/config.ts";

if (Deno.env.get("WANGSU_ACCESS_KEY")) {
  const options = gatewayOptionsFromEnvironment(Deno.env.toObject());
  const kvPath = Deno.env.get("GATEWAY_KV_PATH");
  const onDeploy = Deno.env.has("DENO_DEPLOYMENT_ID");
  const store = kvPath || onDeploy ? createDenoKvStore(await Deno.openKv(kvPath)) : undefined;
  // BroadcastChannel reaches every isolate of a Deno Deploy deployment (in one process here).
  const callbacks = options.callbacks && { ...options.callbacks, hub: createBroadcastChannelHub() };
  // The page at / only when asked for (GATEWAY_PAGE=on): a production gateway shows nothing there.
  const page = Deno.env.get("GATEWAY_PAGE") == "on"
    ? { assets: (await import("./console_assets.ts")).consoleAssets }
    : undefined;
  const gateway = createGateway({ ...options, store, callbacks, page });
  Deno.serve({ port: Number(Deno.env.get("PORT") ?? 8787) }, gateway.fetch);
} else {
  await import("./demo.ts");
}
