/**
 * 5. Cold start, in a fresh Deno process each time (median of 7): importing `mod.ts`; importing
 * the gateway and calling `createGateway()`; and the same until the first request is answered (a
 * bearer `getChannelList` forwarded to an in-process upstream), against Hono until its first JSON
 * answer. The first-request figure is the one a new isolate pays in full, so that work moved out
 * of `createGateway()` into the first request shows there. Then the worker's start-up in workerd.
 */
import { median, type Row, row } from "./measure.ts";
import { benchWorkerStartup } from "./worker_startup.ts";

const probe = new URL("./cold_probe.ts", import.meta.url).pathname;

const once = async (which: string) => {
  const { stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", probe, which],
  }).output();
  return Number(new TextDecoder().decode(stdout).trim());
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
  const [hono, sdk, gateway, honoFirst, gatewayFirst] = await medians([
    "hono",
    "mod",
    "gateway",
    "hono-first",
    "gateway-first",
  ]);
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  return [
    row("cold start: import mod.ts vs import hono", ms(sdk), ms(hono), sdk / hono),
    row(
      "cold start: import + createGateway() vs import hono",
      ms(gateway),
      ms(hono),
      gateway / hono,
      { max: 2 },
    ),
    row(
      "cold start until the first answer: gateway (getChannelList) vs a Hono route",
      ms(gatewayFirst),
      ms(honoFirst),
      gatewayFirst / honoFirst,
    ),
    ...await benchWorkerStartup(),
  ];
}
