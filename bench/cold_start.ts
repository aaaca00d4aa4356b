/**
 * 5. Cold start, in a fresh Deno process each time (median of 7, the probes alternating): the one
 * judged is import + `createGateway()` + the first answered request (a bearer `getChannelList`
 * forwarded to an in-process upstream), against Hono's import + `new Hono()` + its first answered
 * request (a JSON route), target ≤ 2×: a new isolate pays for its first request in full, so work
 * moved out of `createGateway()` into the first request still shows. Reported beside it: importing
 * `mod.ts`, and import + `createGateway()` alone, each against importing Hono; then the worker's
 * start-up in workerd (`worker_startup.ts`).
 */
import { installNodeModules } from "../scripts/node_modules.ts";
import { median, type Row, row } from "./measure.ts";
import { benchWorkerStartup } from "./worker_startup.ts";

const probe = new URL("./cold_probe.ts", import.meta.url).pathname;

/** One probe in a fresh process: its time, ms; a probe that fails or prints no time throws. */
const once = async (which: string) => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", probe, which],
  }).output();
  const printed = new TextDecoder().decode(stdout).trim();
  const ms = Number(printed);
  if (code != 0 || !printed || !Number.isFinite(ms) || ms <= 0) {
    throw new Error(
      `cold probe ${which} exited ${code}, printed ${JSON.stringify(printed)}: ${
        new TextDecoder().decode(stderr)
      }`,
    );
  }
  return ms;
};

/** Medians of 7 alternating runs of each probe, so that drift hits all alike. */
const medians = async (which: string[]) => {
  const times = which.map(() => [] as number[]);
  for (let i = 0; i < 7; i++) {
    for (const [index, name] of which.entries()) times[index].push(await once(name));
  }
  return times.map(median);
};

/** Runs section 5. */
export async function benchColdStart(): Promise<Row[]> {
  // The probes resolve `hono` from node_modules (they run without the task's flags).
  await installNodeModules();
  const [hono, sdk, gateway, honoFirst, gatewayFirst] = await medians([
    "hono",
    "mod",
    "gateway",
    "hono-first",
    "gateway-first",
  ]);
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  return [
    row(
      "cold start: import + create + first answered request, gateway (getChannelList) vs Hono (a JSON route)",
      ms(gatewayFirst),
      ms(honoFirst),
      gatewayFirst / honoFirst,
      { max: 2 },
    ),
    row("cold start: import mod.ts vs import hono", ms(sdk), ms(hono), sdk / hono),
    row(
      "cold start: import + createGateway() alone vs import hono",
      ms(gateway),
      ms(hono),
      gateway / hono,
    ),
    ...await benchWorkerStartup(),
  ];
}
