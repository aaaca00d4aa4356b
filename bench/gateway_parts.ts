/**
 * 4b. Where a gateway request's CPU goes in workerd, part by part, measured rather than read off
 * a profile. One worker (`gateway_parts_worker.ts`) runs `n` iterations of one part inside the
 * isolate per call: no socket, no load generator, the upstream a `Response` made in the isolate.
 * workerd's CPU over the call (every thread's `schedstat`, to the nanosecond) divided by `n` is
 * the part's cost. Parts alternate over 9 rounds; the lower quartile is kept (noise only adds).
 * The whole gateway is set against a forwarder doing the least a handler in front of an API does
 * (read the body, ask the upstream, relay its answer), both with the same incoming `Request`.
 *
 * How fine it is: the same gateway bundled twice measured 1-1.5% apart in two runs, but variants
 * that could not be slower measured up to 5% slower, so differences under about 5% are noise (the
 * socket-level benchmark of section 4: about 10%). It does not see what sockets cost.
 */
import { bundleWorker } from "../scripts/workerd.ts";
import { type Row, row } from "./measure.ts";
import { threadsCpuMs } from "./process_cpu.ts";
import { serveWorkers } from "./workerd_serve.ts";

const PARTS = [
  "forwarder",
  "gateway",
  "request",
  "hono",
  "request id",
  "bearer check",
  "body check",
  "signature",
  "transport",
  "reply",
];

/** What each part does, for the table. */
const ABOUT: Record<string, string> = {
  request: "making the incoming Request (in both figures above)",
  hono: "Hono: a middleware and a route answering text",
  "request id": "crypto.randomUUID()",
  "bearer check": "SHA-256 of the token, compared in constant time",
  "body check": "JSON.parse and the action's valibot schema",
  signature: "CNC-HMAC-SHA256 into a new Headers",
  transport: "send(): signature, time limit, the upstream's Response, read, envelope check",
  reply: "a Response with the gateway's three headers, read",
};

/** CPU per iteration of each part, µs: the lower quartile of `rounds` alternating rounds. */
export async function measureParts(n = 5000, rounds = 9): Promise<Record<string, number>> {
  const workers = await serveWorkers([
    { name: "parts", script: await bundleWorker("bench/gateway_parts_worker.ts") },
  ]);
  const call = async (part: string, count: number) => {
    const response = await fetch(
      `${workers.urls.parts}/?part=${encodeURIComponent(part)}&n=${count}`,
    );
    if (!response.ok) throw new Error(`${part}: ${response.status} ${await response.text()}`);
    await response.text();
  };
  try {
    const samples: Record<string, number[]> = {};
    for (const part of PARTS) await call(part, n / 5); // compiled and warm
    for (let round = 0; round < rounds; round++) {
      for (const part of round % 2 ? [...PARTS].reverse() : PARTS) {
        const before = await threadsCpuMs(workers.pid);
        await call(part, n);
        (samples[part] ??= []).push((await threadsCpuMs(workers.pid) - before) * 1000 / n);
      }
    }
    return Object.fromEntries(
      PARTS.map((part) => [part, samples[part].sort((a, b) => a - b)[rounds >> 2]]),
    );
  } finally {
    await workers.stop();
  }
}

/** Runs section 4b. */
export async function benchGatewayParts(): Promise<Row[]> {
  const cost = await measureParts();
  const us = (value: number) => `${value.toFixed(1)} µs`;
  return [
    row(
      "gateway parts in workerd, in-isolate: a gateway request vs a forwarder",
      us(cost.gateway),
      us(cost.forwarder),
      cost.gateway / cost.forwarder,
    ),
    // Parts overlap (the transport includes the signature): each is set against the whole.
    ...PARTS.slice(2).map((part) =>
      row(
        `gateway parts: ${part} (${ABOUT[part]}) vs the whole request`,
        us(cost[part]),
        us(cost.gateway),
        cost[part] / cost.gateway,
      )
    ),
  ];
}

if (import.meta.main) {
  for (const r of await benchGatewayParts()) {
    console.log(`${r.name}: ${r.ours} (${r.ratio.toFixed(2)})`);
  }
}
