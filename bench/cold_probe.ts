/** Prints how long one import (and, for the gateway, building the app) took in this process, ms. */
const started = performance.now();
const which = Deno.args[0];
if (which == "hono") {
  const { Hono } = await import("hono");
  new Hono();
} else if (which == "mod") {
  await import("../mod.ts");
} else {
  const { createGateway } = await import("../src/gateway/mod.ts");
  createGateway({
    upstream: { accessKey: "AK", secretKey: "SK" },
    keys: [{ token: "a-token-of-sixteen-chars", actions: ["read"] }],
  });
}
console.log(performance.now() - started);
