/**
 * `deno task bench`: every benchmark side by side in one run, as a table with ratios, targets and
 * PASS/FAIL, written to `bench/results.json`. `deno task bench:load` runs only the load test.
 * Exits 0 either way: benchmarks inform, tests gate.
 *
 * @module
 */
import { benchSigner } from "./signer.ts";
import { benchClient } from "./client.ts";
import { benchSyncSigner } from "./sync_signer.ts";
import { benchGateway } from "./gateway.ts";
import { benchGatewayParts } from "./gateway_parts.ts";
import { loadTestGateway } from "./gateway_load.ts";
import { benchColdStart } from "./cold_start.ts";
import { benchSizes } from "./sizes.ts";
import { benchStateStore } from "./state_store.ts";
import { benchEventLatency } from "./event_latency.ts";
import { benchTenancy } from "./tenancy.ts";
import type { Row } from "./measure.ts";

// `deno task bench [signer|client|sync|gateway|parts|state|tenancy|cold|sizes|events|load ...]` runs only
// those.
const chosen = new Set(Deno.args);
const onlyLoad = Deno.args[0] == "load";
const rows: Row[] = [];
const KEYS: Record<string, string> = {
  "signer vs floor": "signer",
  "client overhead": "client",
  "synchronous signer": "sync",
  "gateway in workerd": "gateway",
  "gateway parts": "parts",
  "gateway state store": "state",
  "tenancy": "tenancy",
  "cold start": "cold",
  "sizes": "sizes",
  "url signing": "url-signing",
  "callback to /events latency": "events",
  "load test": "load",
};
// The machine's load average as each section starts and ends: on a shared machine other work
// slows every figure, and the ratios only hold while it hits both sides of a comparison alike.
const loads: { section: string; start: string; end: string }[] = [];
const loadAverage = () =>
  Deno.readTextFile("/proc/loadavg").then(
    (text) => text.split(" ").slice(0, 3).join(" "),
    () => "?",
  );
const section = async (name: string, run: () => Promise<Row[]>) => {
  if (chosen.size && !chosen.has(KEYS[name])) return;
  const start = await loadAverage();
  console.error(`… ${name} (load average ${start})`);
  try {
    rows.push(...await run());
  } catch (error) {
    rows.push({ name, ours: "", reference: "", ratio: NaN, target: "", verdict: "FAIL" });
    console.error(`${name} failed:`, error);
  }
  loads.push({ section: name, start, end: await loadAverage() });
};

if (!onlyLoad || chosen.size > 1) {
  await section("signer vs floor", benchSigner);
  await section("client overhead", benchClient);
  await section("synchronous signer", benchSyncSigner);
  await section("gateway in workerd", () => benchGateway());
  await section("gateway parts", benchGatewayParts);
  await section("gateway state store", () => benchStateStore());
  await section("tenancy", () => benchTenancy());
  await section("cold start", benchColdStart);
  await section("sizes", benchSizes);
  await section("url signing", async () => (await import("./url_signing.ts")).benchUrlSigning());
  await section("callback to /events latency", benchEventLatency);
}
await section("load test", () => loadTestGateway());

const widths = [66, 22, 40, 8, 8, 7];
const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join(" | ");
console.log(line(["benchmark", "ours", "reference", "ratio", "target", "result"]));
console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
for (const r of rows) {
  console.log(line([r.name, r.ours, r.reference, String(r.ratio), r.target, r.verdict]));
}
// A run of some sections does not overwrite the full run's record.
const out = new URL(chosen.size ? "./results.partial.json" : "./results.json", import.meta.url);
await Deno.writeTextFile(
  out,
  JSON.stringify(
    { date: new Date().toISOString(), deno: Deno.version.deno, loads, rows },
    null,
    2,
  ) +
    "\n",
);
console.log("\nload average (1, 5, 15 min) at each section's start and end:");
for (const load of loads) console.log(`  ${load.section}: ${load.start} → ${load.end}`);
console.log(`\nwritten to ${out.pathname}`);
Deno.exit(0);
