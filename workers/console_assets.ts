/**
 * The console page under Deno: Swagger UI's bundle and stylesheet, read once from the
 * `swagger-ui-dist` npm package in `node_modules` (the JSON import makes Deno install it), and the
 * page's demo mode wired to the embedded simulator.
 *
 * @module
 */

import swaggerUi from "swagger-ui-dist/package.json" with { type: "json" };
import type { ConsolePageOptions } from "../src/gateway/mod.ts";
import type { Simulator } from "../src/simulator/mod.ts";

const folder = new URL("../node_modules/swagger-ui-dist/", import.meta.url);
const types: Record<string, string> = {
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui.css": "text/css; charset=utf-8",
};
const cache = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

/** Serves `swagger-ui-bundle.js` and `swagger-ui.css` (version pinned in deno.json). */
export function consoleAssets(name: string): Promise<Response | undefined> {
  const type = types[name];
  if (!type) return Promise.resolve(undefined);
  let bytes = cache.get(name);
  if (!bytes) cache.set(name, bytes = Deno.readFile(new URL(name, folder)));
  return bytes.then((body) =>
    new Response(body, {
      headers: {
        "content-type": type,
        "cache-control": "public, max-age=86400",
        "x-swagger-ui-version": swaggerUi.version,
      },
    })
  );
}

/**
 * The page in demo mode over the simulator: these files, the read-only `token` in the page, and
 * its buttons starting and stopping the simulator's encoders.
 */
export const simulatorConsolePage = (simulator: Simulator, token: string): ConsolePageOptions => ({
  assets: consoleAssets,
  demo: {
    token,
    stream: (pullId, start) => start ? simulator.startStream(pullId) : simulator.stopStream(pullId),
  },
});
