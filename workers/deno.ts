/**
 * Deno and Deno Deploy entry: `Deno.serve` over `createGateway`, configured from the environment
 * (see `src/gateway/config.ts`). With no `WANGSU_ACCESS_KEY` it starts the local demo instead:
 * the simulator as upstream and printed demo keys (`workers/demo.ts`).
 *
 * @module
 */

import { createGateway } from "../src/gateway/mod.ts";
import { gatewayOptionsFromEnvironment } from "../src/gateway/config.ts";

if (Deno.env.get("WANGSU_ACCESS_KEY")) {
  const gateway = createGateway(gatewayOptionsFromEnvironment(Deno.env.toObject()));
  Deno.serve({ port: Number(Deno.env.get("PORT") ?? 8787) }, gateway.fetch);
} else {
  await import("./demo.ts");
}
