/**
 * The gateway under Deno's CPU profiler (`bench/profile.ts` runs it): serves for `seconds`, then
 * exits so that the profile is written. Same configuration as the workerd benchmark.
 */
import { createGateway } from "../src/gateway/mod.ts";

const [upstream, port, seconds] = Deno.args;
const gateway = createGateway({
  upstream: {
    accessKey: "AK_BENCH_MASTER",
    secretKey: "SK_BENCH_master_secret",
    endpoint: upstream,
  },
  keys: [
    { accessKey: "GW_BENCH", secretKey: "gw-bench-secret-0123456789", actions: ["*"] },
    { token: "bench-token-0123456789abcdef", actions: ["read"] },
  ],
  accountBudget: { limit: 1_000_000, windowSeconds: 1 },
  auditLog: false,
});
Deno.serve({ hostname: "127.0.0.1", port: Number(port), onListen() {} }, gateway.fetch);
setTimeout(() => Deno.exit(0), Number(seconds) * 1000);
