/**
 * 5b. The worker's start-up in workerd, the time Cloudflare limits on every new isolate:
 * `wrangler check startup` builds each worker as `wrangler deploy` would, starts it in a local
 * workerd and profiles the start-up phase (evaluating the bundle's top level). The gateway
 * (`workers/cloudflare.ts` with its Durable Objects) against a worker of Hono alone, in
 * alternating runs; the figure is the profile's busy time (samples not idle), median of five.
 */
import { WRANGLER } from "../scripts/wrangler.ts";
import { installNodeModules } from "../scripts/node_modules.ts";
import { median, type Row, row } from "./measure.ts";

const root = new URL("../", import.meta.url).pathname;

interface Profile {
  nodes: { id: number; callFrame: { functionName: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Profiles the start-up of the worker configured in folder `config`; returns the busy milliseconds
 * and the gzipped bundle size wrangler printed.
 */
const startup = async (config: string, dir: string): Promise<{ busyMs: number; gzip: string }> => {
  const outfile = `${dir}/startup-${crypto.randomUUID()}.cpuprofile`;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    // Run where the config is: `check startup` builds from the working directory's config.
    args: ["run", "-A", WRANGLER, "check", "startup", "--outfile", outfile],
    cwd: config,
    env: { WRANGLER_SEND_METRICS: "false", CI: "true" },
    stdin: "null",
  }).output();
  const printed = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  if (code != 0) throw new Error(`wrangler check startup failed:\n${printed}`);
  const profile: Profile = JSON.parse(await Deno.readTextFile(outfile));
  const idle = new Set(
    profile.nodes.filter((node) => node.callFrame.functionName == "(idle)").map((node) => node.id),
  );
  const busy = profile.samples.reduce(
    (sum, sample, index) => idle.has(sample) ? sum : sum + profile.timeDeltas[index],
    0,
  );
  return { busyMs: busy / 1000, gzip: /gzip: ([\d.]+ KiB)/.exec(printed)?.[1] ?? "?" };
};

/** Runs section 5b. */
export async function benchWorkerStartup(runs = 5): Promise<Row[]> {
  await installNodeModules();
  const dir = await Deno.makeTempDir({ prefix: "worker-startup-" });
  try {
    const honoDir = `${dir}/hono/`;
    await Deno.mkdir(honoDir);
    await Deno.writeTextFile(
      `${honoDir}wrangler.toml`,
      `name = "hono-alone"\nmain = "${root}bench/hono_worker.ts"\ncompatibility_date = "2026-11-01"\n`,
    );
    const gateway: number[] = [];
    const hono: number[] = [];
    let sizes = { gateway: "?", hono: "?" };
    for (let run = 0; run < runs; run++) {
      const g = await startup(root, dir);
      const h = await startup(honoDir, dir);
      gateway.push(g.busyMs);
      hono.push(h.busyMs);
      sizes = { gateway: g.gzip, hono: h.gzip };
    }
    const [ours, reference] = [median(gateway), median(hono)];
    return [
      row(
        "worker start-up in workerd (wrangler check startup), busy time vs Hono alone",
        `${ours.toFixed(1)} ms (${sizes.gateway} gz)`,
        `${reference.toFixed(1)} ms (${sizes.hono} gz)`,
        ours / reference,
      ),
    ];
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) console.log(await benchWorkerStartup());
