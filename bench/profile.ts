/**
 * Where the gateway's CPU goes: the gateway in Deno under `--cpu-prof`, loaded by the separate
 * Node load generator (bearer, then signed), and the profile's self time summed by function and
 * by module. `deno run -A bench/profile.ts` prints the top entries (used for the README).
 */
import { freePort } from "../scripts/wrangler.ts";
import { serveStubUpstream } from "./stub_upstream.ts";

const upstream = serveStubUpstream();
const port = freePort();
const dir = await Deno.makeTempDir({ prefix: "gateway-profile-" });
const target = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    "--cpu-prof",
    `--cpu-prof-dir=${dir}`,
    new URL("./profile_target.ts", import.meta.url).pathname,
    upstream.url,
    String(port),
    "14",
  ],
}).spawn();
await new Promise((resolve) => setTimeout(resolve, 1500));
const generator = new URL("./load_generator.mjs", import.meta.url).pathname;
const url = `http://127.0.0.1:${port}/live/channelManage/getChannelList`;
for (
  const [mode, credential] of [["bearer", "bench-token-0123456789abcdef"], [
    "signed",
    "GW_BENCH:gw-bench-secret-0123456789",
  ]]
) {
  const { stdout } = await new Deno.Command("node", {
    args: [generator, url, mode, "32", "5", credential],
  }).output();
  console.log(mode, new TextDecoder().decode(stdout).trim());
}
await target.status;
await upstream.shutdown();
const [file] = [...Deno.readDirSync(dir)].map((entry) => `${dir}/${entry.name}`);
const profile = JSON.parse(await Deno.readTextFile(file));
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
const byId = new Map<number, Node>(profile.nodes.map((node: Node) => [node.id, node]));
const self = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const sum = (key: (node: Node) => string) => {
  const sums = new Map<string, number>();
  for (const [id, time] of self) {
    const name = key(byId.get(id)!);
    sums.set(name, (sums.get(name) ?? 0) + time);
  }
  return [...sums].sort((a, b) => b[1] - a[1]).slice(0, 18)
    .map(([name, time]) => `${(time / total * 100).toFixed(1).padStart(5)}%  ${name}`);
};
const module = (node: Node) => {
  const url = node.callFrame.url;
  if (!url) return `(${node.callFrame.functionName || "native"})`;
  const m = url.match(/node_modules\/\.deno\/([^/]+)\//) ?? url.match(/(ext:[^/]+)/) ??
    url.match(/\/main\/(.+)$/);
  return m ? m[1] : url;
};
console.log("\nSelf time by module:\n" + sum(module).join("\n"));
console.log(
  "\nSelf time by function:\n" +
    sum((n) =>
      `${n.callFrame.functionName || "(anonymous)"} ${module(n)}:${n.callFrame.lineNumber + 1}`
    ).join("\n"),
);
await Deno.remove(dir, { recursive: true });
