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
import type { Row } from "./measure.ts";

// `deno task bench [signer|client|sync|gateway|parts|state|cold|sizes|load ...]` runs only those.
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
  "cold start": "cold",
  "sizes": "sizes",
  "load test": "load",
};
const section = async (name: string, run: () => Promise<Row[]>) => {
  if (chosen.size && !chosen.has(KEYS[name])) return;
  console.error(`… ${name}`);
  try {
    rows.push(...await run());
  } catch (error) {
    rows.push({ name, ours: "", reference: "", ratio: NaN, target: "", verdict: "FAIL" });
    console.error(`${name} failed:`, error);
  }
};

if (!onlyLoad || chosen.size > 1) {
  let floor = 0;
  await section("signer vs floor", async () => {
    const { rows, floorMicroseconds } = await benchSigner();
    floor = floorMicroseconds;
    return rows;
  });
  await section("client overhead", () => benchClient(floor));
  await section("synchronous signer", benchSyncSigner);
  await section("gateway in workerd", () => benchGateway());
  await section("gateway parts", benchGatewayParts);
  await section("gateway state store", () => benchStateStore());
  await section("cold start", benchColdStart);
  await section("sizes", benchSizes);
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
  JSON.stringify({ date: new Date().toISOString(), deno: Deno.version.deno, rows }, null, 2) + "\n",
);
console.log(`\nwritten to ${out.pathname}`);
Deno.exit(0);
