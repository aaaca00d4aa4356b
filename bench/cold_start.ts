/**
 * 5. Cold start: the time to import `mod.ts`, and to import the gateway and build its app, in a
 * fresh process each time (median of 7), against importing Hono alone.
 */
import { type Row, row } from "./measure.ts";

const probe = new URL("./cold_probe.ts", import.meta.url).pathname;

const median = async (which: string) => {
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const { stdout } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-check", probe, which],
    })
      .output();
    times.push(Number(new TextDecoder().decode(stdout).trim()));
  }
  return times.sort((a, b) => a - b)[3];
};

/** Runs section 5. */
export async function benchColdStart(): Promise<Row[]> {
  const hono = await median("hono");
  const sdk = await median("mod");
  const gateway = await median("gateway");
  return [
    row(
      "cold start: import mod.ts vs import hono",
      `${sdk.toFixed(1)} ms`,
      `${hono.toFixed(1)} ms`,
      sdk / hono,
    ),
    row(
      "cold start: import + createGateway() vs import hono",
      `${gateway.toFixed(1)} ms`,
      `${hono.toFixed(1)} ms`,
      gateway / hono,
    ),
  ];
}
