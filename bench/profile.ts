/**
 * Where the gateway's CPU goes, in workerd: the gateway (bundled unminified, so that names and
 * module boundaries survive) in the `workerd` binary as the benchmark runs it, under the V8 CPU
 * profiler through workerd's inspector, loaded by wrk (bearer tokens) and then by the Node load
 * generator (signed callers), 5 s each. The profile's self time is summed by module and by
 * function. `deno run -A bench/profile.ts [profile.json]` prints the top entries (used for the
 * README), and writes the whole profile where asked (it opens in Chrome's DevTools).
 */
import { bundleWorker } from "../scripts/workerd.ts";
import { freePort } from "../scripts/wrangler.ts";
import { serveStubUpstream } from "./stub_upstream.ts";
import { serveWorkers } from "./workerd_serve.ts";
import { bearerLoad, gatewayVars, signedLoad } from "./gateway.ts";

const upstream = serveStubUpstream();
const script = await bundleWorker("workers/cloudflare.ts", false);
const inspectorPort = freePort();
const workers = await serveWorkers(
  [{ name: "gateway", script, vars: gatewayVars(upstream.url) }],
  { inspectorPort },
);

/** A DevTools protocol session over the worker's inspector socket. */
const socket = new WebSocket(`ws://127.0.0.1:${inspectorPort}/gateway`);
await new Promise((resolve, reject) => {
  socket.onopen = resolve;
  socket.onerror = reject;
});
const pending = new Map<number, (result: unknown) => void>();
socket.onmessage = (event) => {
  const message = JSON.parse(event.data);
  pending.get(message.id)?.(message.result);
};
let next = 1;
const call = (method: string, params = {}) =>
  new Promise<unknown>((resolve) => {
    const id = next++;
    pending.set(id, resolve);
    socket.send(JSON.stringify({ id, method, params }));
  });

const url = `${workers.urls.gateway}/live/channelManage/getChannelList`;
await call("Profiler.enable");
await call("Profiler.setSamplingInterval", { interval: 100 });
await call("Profiler.start");
console.log("bearer", JSON.stringify(await bearerLoad(url, 32, 5)));
console.log("signed", JSON.stringify(await signedLoad(url, 32, 5)));
const { profile } = await call("Profiler.stop") as { profile: Profile };
if (Deno.args[0]) await Deno.writeTextFile(Deno.args[0], JSON.stringify(profile));
socket.close();
await workers.stop();
await upstream.shutdown();

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

// Module boundaries: esbuild starts each module of an unminified bundle with a `// path` line.
const starts: [number, string][] = [];
script.split("\n").forEach((line, index) => {
  const match = line.match(/^\/\/ (\S+\.(?:m?js|ts))$/);
  if (match) {
    starts.push([
      index,
      match[1].replace(/.*node_modules\/(?:\.deno\/[^/]+\/node_modules\/)?/, ""),
    ]);
  }
});
const moduleAt = (line: number) => {
  let name = "(bundle)";
  for (const [start, module] of starts) {
    if (start > line) break;
    name = module;
  }
  return name;
};
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) =>
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
);
const idle = (node: Node) => node.callFrame.functionName == "(idle)";
const busy = [...self].filter(([id]) => !idle(byId.get(id)!)).reduce((sum, [, t]) => sum + t, 0);
const module = (node: Node) =>
  node.callFrame.url ? moduleAt(node.callFrame.lineNumber) : `(${node.callFrame.functionName})`;
const sum = (key: (node: Node) => string, top = 20) => {
  const sums = new Map<string, number>();
  for (const [id, time] of self) {
    const node = byId.get(id)!;
    if (idle(node)) continue;
    sums.set(key(node), (sums.get(key(node)) ?? 0) + time);
  }
  return [...sums].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([name, time]) => `${(time / busy * 100).toFixed(1).padStart(5)}%  ${name}`);
};
console.log(
  `\nBusy ${(busy / 1000).toFixed(0)} ms. Self time by module:\n` + sum(module).join("\n"),
);
console.log(
  "\nSelf time by function:\n" +
    sum(
      (n) =>
        `${n.callFrame.functionName || "(anonymous)"} ${module(n)}:${n.callFrame.lineNumber + 1}`,
      30,
    )
      .join("\n"),
);
