/**
 * 5b. The worker's start-up in workerd, the time Cloudflare limits on every new isolate. Each
 * worker is built as `wrangler deploy` builds it (`--dry-run --outdir`), then started alone in
 * the `workerd` binary; workerd evaluates the script before it opens its socket (checked: a
 * script that spins for 120 ms at its top level adds 120 ms here). The figure is workerd's CPU
 * time until it listens, all threads, to the nanosecond, less the same for a worker of one line:
 * the script's own start-up. The gateway (`workers/cloudflare.ts`, with its Durable Object
 * classes) against a worker of Hono alone, alternating, median of nine; and the same gateway
 * without the MCP endpoint (`workers/cloudflare_without_mcp.ts`) beside it, bundle and start-up,
 * which is what a deployment that does not serve `/mcp` uploads.
 *
 * (`wrangler check startup` was used before: its profile holds two or three samples, 10 to 20 ms
 * apart, so its busy time was 0 or one sample's worth, whatever the script.)
 */
import { COMPATIBILITY_DATE, WRANGLER } from "../scripts/wrangler.ts";
import { installNodeModules } from "../scripts/node_modules.ts";
import { median, type Row, row } from "./measure.ts";
import { threadsCpuMs } from "./process_cpu.ts";
import { serveWorkers } from "./workerd_serve.ts";

const root = new URL("../", import.meta.url).pathname;

/**
 * The script `wrangler deploy` would upload for the config in folder `config` (its `main`, or
 * `entry` instead), and its gzip size.
 */
const deployBundle = async (config: string, out: string, entry?: string) => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WRANGLER, "deploy", ...entry ? [entry] : [], "--dry-run", "--outdir", out],
    cwd: config,
    env: { WRANGLER_SEND_METRICS: "false", CI: "true" },
    stdin: "null",
  }).output();
  const printed = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  if (code != 0) throw new Error(`wrangler deploy --dry-run failed:\n${printed}`);
  const [file] = [...Deno.readDirSync(out)].filter((entry) => entry.name.endsWith(".js"));
  return {
    script: await Deno.readTextFile(`${out}/${file.name}`),
    gzip: /gzip: ([\d.]+ KiB)/.exec(printed)?.[1] ?? "?",
  };
};

/** workerd's CPU time, ms, from its start until it listens with `script` as its one worker. */
const startup = async (script: string) => {
  const workers = await serveWorkers([{ name: "w", script }]);
  try {
    return await threadsCpuMs(workers.pid);
  } finally {
    await workers.stop();
  }
};

/** Runs section 5b. */
export async function benchWorkerStartup(runs = 9): Promise<Row[]> {
  await installNodeModules();
  const dir = await Deno.makeTempDir({ prefix: "worker-startup-" });
  try {
    const honoDir = `${dir}/hono/`;
    await Deno.mkdir(honoDir);
    await Deno.writeTextFile(
      `${honoDir}wrangler.toml`,
      `name = "hono-alone"\nmain = "${root}bench/hono_worker.ts"\ncompatibility_date = "${COMPATIBILITY_DATE}"\n`,
    );
    const gateway = await deployBundle(root, `${dir}/gateway-out`);
    const lean = await deployBundle(
      root,
      `${dir}/lean-out`,
      "workers/cloudflare_without_mcp.ts",
    );
    const hono = await deployBundle(honoDir, `${dir}/hono-out`);
    const empty = "export default { fetch: () => new Response('ok') };";
    const times = {
      gateway: [] as number[],
      lean: [] as number[],
      hono: [] as number[],
      empty: [] as number[],
    };
    for (let run = 0; run < runs; run++) {
      times.empty.push(await startup(empty));
      times.hono.push(await startup(hono.script));
      times.gateway.push(await startup(gateway.script));
      times.lean.push(await startup(lean.script));
    }
    const [ours, reference, base, withoutMcp] = [
      times.gateway,
      times.hono,
      times.empty,
      times.lean,
    ].map(median);
    const kib = (gzip: string) => Number.parseFloat(gzip);
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    return [
      row(
        "worker start-up in workerd: the script's CPU (workerd's until listening, less an empty worker's), vs Hono alone",
        `${ms(ours - base)} (${gateway.gzip} gz)`,
        `${ms(reference - base)} (${hono.gzip} gz)`,
        (ours - base) / (reference - base),
      ),
      row(
        "worker start-up in workerd: workerd's CPU until listening, gateway vs Hono alone (an empty worker: " +
          `${ms(base)})`,
        ms(ours),
        ms(reference),
        ours / reference,
      ),
      row(
        "Workers bundle (gzip), the gateway without MCP (workers/cloudflare_without_mcp.ts) vs with " +
          "it (workers/cloudflare.ts)",
        lean.gzip,
        gateway.gzip,
        kib(lean.gzip) / kib(gateway.gzip),
      ),
      row(
        "worker start-up in workerd: the script's CPU, the gateway without MCP vs with it",
        ms(withoutMcp - base),
        ms(ours - base),
        (withoutMcp - base) / (ours - base),
      ),
    ];
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) console.log(await benchWorkerStartup());
