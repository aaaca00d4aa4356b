/**
 * Tenancy's cost (issue 29): a bearer read of one channel (`getChannelConfigure` with a `pullId`)
 * by an `objects: "own"` key against the same read by an `objects: "all"` key (which checks no
 * owner), with the memory store and with the Durable Object store, in one workerd run, side by
 * side. Two gateway workers from the same bundle, one bound to the GATEWAY_STATE namespace
 * (hosted by a third worker), one with none (its memory store), in front of the same minimal
 * loopback upstream; 64 connections, one warm-up run of each case, then alternating rounds; of
 * each case the run with the least CPU per request among the runs without errors is kept.
 *
 * Ownership caches owners in the isolate for 10 s (`src/gateway/steps/ownership.ts`), so warm and
 * cold are measured apart. Warm: every request reads the same owned channel. Cold: every request
 * reads the next of 12,000 owned channels, in a cycle continued across runs; the cache holds at
 * most 10,000 owners and drops the oldest first, so no request finds its channel cached. The `all`
 * key's cold runs read channels nobody owns, one new id a request (it looks no owner up).
 *
 * Round trips: the same requests through a gateway in this process on the Durable Object store
 * over the run's GATEWAY_STATE binding, every stub call counted (each is one round trip to an
 * object on Workers).
 */
import { bundleWorker, sharedState, startWorkers, stateHost } from "../scripts/workerd.ts";
import { createGateway } from "../src/gateway/mod.ts";
import { gatewayOptionsFromEnvironment } from "../src/gateway/config.ts";
import {
  createDurableObjectStore,
  type StateObjectNamespace,
} from "../src/adapters/cloudflare/durable_object_store.ts";
import { runLoad } from "./load.ts";
import { describeErrors, keepBestRuns, perSecond, type Row, row } from "./measure.ts";
import { withCpuPerRequest } from "./process_cpu.ts";
import { serveStubUpstream } from "./stub_upstream.ts";

const secret = (label: string) => `${label}-${crypto.randomUUID().replaceAll("-", "")}`;
const tokens = { own: secret("own"), all: secret("all"), admin: secret("admin") };
const TENANT = "bench-tenant";
const WARM_ID = "bench-warm";
const COLD_IDS = 12_000;
const coldId = (index: number) => `bench-cold-${index % COLD_IDS}`;
const PATH = "/live/channelManage/getChannelConfigure";

type Store = "objects" | "memory";
type Key = "own" | "all";
type Cache = "warm" | "cold";
const CASES = (["objects", "memory"] as const).flatMap((store) =>
  (["warm", "cold"] as const).flatMap((cache) =>
    (["own", "all"] as const).map((key) => ({ store, cache, key }))
  )
);
const caseName = (c: { store: Store; key: Key; cache: Cache }) => `${c.store} ${c.key} ${c.cache}`;

/** Grants the tenant the warm channel and the cold ones, 100 ids a call (the admin route's most). */
async function seed(base: string): Promise<void> {
  const ids = [WARM_ID, ...Array.from({ length: COLD_IDS }, (_, index) => coldId(index))];
  const batches = Array.from(
    { length: Math.ceil(ids.length / 100) },
    (_, index) => ids.slice(index * 100, index * 100 + 100),
  );
  for (let at = 0; at < batches.length; at += 8) {
    await Promise.all(
      batches.slice(at, at + 8).map(async (batch) => {
        const response = await fetch(`${base}/admin/ownership`, {
          method: "POST",
          headers: { authorization: `Bearer ${tokens.admin}`, "content-type": "application/json" },
          body: JSON.stringify({ tenant: TENANT, kind: "channel", ids: batch }),
        });
        const text = await response.text();
        if (response.status != 200) throw new Error(`grant: ${response.status} ${text}`);
      }),
    );
  }
}

/** Runs the comparison. */
export async function benchTenancy(seconds = 4, rounds = 2): Promise<Row[]> {
  const upstream = serveStubUpstream();
  const vars = {
    WANGSU_ACCESS_KEY: "AK_BENCH",
    WANGSU_SECRET_KEY: "SK_BENCH_master_secret",
    WANGSU_ENDPOINT: upstream.url,
    GATEWAY_KEYS: JSON.stringify([
      { name: TENANT, token: tokens.own, actions: ["read"], objects: "own" },
      { name: "operator", token: tokens.all, actions: ["read"], objects: "all" },
      { name: "admin", token: tokens.admin, actions: ["read"], objects: "all", admin: true },
    ]),
    GATEWAY_ACCOUNT_BUDGET: "1000000/1",
    GATEWAY_AUDIT_LOG: "off",
  };
  const script = await bundleWorker("workers/cloudflare.ts");
  const workers = await startWorkers([
    stateHost(script),
    { name: "objects", script, vars, durableObjects: sharedState },
    { name: "memory", script, vars },
  ]);
  const pid = workers.pid()!;
  try {
    await seed(workers.urls.objects);
    await seed(workers.urls.memory);
    // Where each store's cold cycle of owned channels goes on; the all key's fresh ids.
    const cursor: Record<Store, number> = { objects: 0, memory: 0 };
    let fresh = 0;
    const idFor = (store: Store, key: Key, cache: Cache) =>
      cache == "warm" ? WARM_ID : key == "own" ? coldId(cursor[store]++) : `bench-free-${fresh++}`;
    const measure = (store: Store, key: Key, cache: Cache) => {
      const url = `${workers.urls[store]}${PATH}`;
      return withCpuPerRequest(pid, () =>
        runLoad(async () => {
          const response = await fetch(url, {
            method: "POST",
            headers: { authorization: `Bearer ${tokens[key]}`, "content-type": "application/json" },
            body: JSON.stringify({ pullId: idFor(store, key, cache) }),
          });
          await response.body?.cancel();
          return response.status == 200 ? undefined : String(response.status);
        }, { connections: 64, seconds }));
    };
    const runs = keepBestRuns<Awaited<ReturnType<typeof measure>>>((run) => run.cpuPerRequestMs);
    const record = async (c: (typeof CASES)[number], warmUp = false) => {
      const run = runs.record(caseName(c), await measure(c.store, c.key, c.cache), warmUp);
      if (run.errors) {
        console.error(`tenancy ${caseName(c)}: ${run.errors} errors`, run.errorSamples);
      }
    };
    for (const c of CASES) await record(c, true);
    for (let round = 0; round < rounds; round++) {
      for (const c of round % 2 ? [...CASES].reverse() : CASES) await record(c);
    }
    const trips = await roundTrips(workers, vars);

    const us = (ms: number) => `${Math.round(ms * 1000)} µs`;
    const none = "no run without errors";
    const rows: Row[] = [];
    for (const store of ["objects", "memory"] as const) {
      const label = store == "objects" ? "Durable Object store" : "memory store";
      for (const cache of ["warm", "cold"] as const) {
        const own = runs.kept(caseName({ store, key: "own", cache }));
        const all = runs.kept(caseName({ store, key: "all", cache }));
        const both = own && all;
        rows.push(
          row(
            `tenancy: own vs all key, ${label}, cache ${cache}, workerd CPU per request`,
            own ? us(own.cpuPerRequestMs) : none,
            all ? us(all.cpuPerRequestMs) : none,
            both ? own.cpuPerRequestMs / all.cpuPerRequestMs : NaN,
            cache == "warm" ? { max: 1.2 } : undefined,
          ),
          row(
            `tenancy: own vs all key, ${label}, cache ${cache}, requests/s`,
            own ? perSecond(own.perSecond) : none,
            all ? perSecond(all.perSecond) : none,
            both ? own.perSecond / all.perSecond : NaN,
          ),
        );
      }
    }
    for (const cache of ["warm", "cold"] as const) {
      const own = trips[`own ${cache}`];
      const all = trips[`all ${cache}`];
      rows.push(row(
        `tenancy: own vs all key, Durable Object round trips per request, cache ${cache}`,
        `${own.perRequest} (${own.calls})`,
        `${all.perRequest} (${all.calls})`,
        own.perRequest / all.perRequest,
      ));
    }
    const errors = runs.errors(CASES.map(caseName));
    rows.push(row(
      "tenancy: errors over every run, warm-ups included (all eight cases)",
      describeErrors(errors),
      "",
      errors.errors,
      { max: 0 },
    ));
    return rows;
  } finally {
    await workers.stop();
    await upstream.shutdown();
  }
}

/**
 * Stub calls per request through a gateway in this process on the Durable Object store over the
 * run's GATEWAY_STATE binding (the store the workers share): own and all key, cache warm (the
 * channel read once before) and cold (a channel not read before by this gateway).
 */
async function roundTrips(
  workers: Awaited<ReturnType<typeof startWorkers>>,
  vars: Record<string, string>,
): Promise<Record<string, { perRequest: number; calls: string }>> {
  const namespace = (await workers.bindings("objects")).GATEWAY_STATE as StateObjectNamespace;
  const calls: string[] = [];
  const counted: StateObjectNamespace = {
    idFromName: (name) => namespace.idFromName(name),
    get(id) {
      const stub = namespace.get(id);
      return new Proxy(stub, {
        get(target, property) {
          const value = Reflect.get(target, property);
          if (typeof value != "function" || typeof property != "string") return value;
          return (...args: unknown[]) => (calls.push(property), value.apply(target, args));
        },
      });
    },
  };
  const store = createDurableObjectStore(counted, { shardSecret: vars.WANGSU_SECRET_KEY });
  const gateway = createGateway({
    ...gatewayOptionsFromEnvironment(vars, (input, init) => fetch(input, init)),
    store,
  });
  const read = async (key: Key, pullId: string) => {
    const response = await gateway.fetch(
      new Request(`http://gw.test${PATH}`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokens[key]}`, "content-type": "application/json" },
        body: JSON.stringify({ pullId }),
      }),
    );
    const text = await response.text();
    if (response.status != 200) throw new Error(`round trips, ${key}: ${response.status} ${text}`);
  };
  // The warm channel read once by each key, and one more request each, before counting.
  await read("own", WARM_ID);
  await read("all", WARM_ID);
  const requests = 20;
  const out: Record<string, { perRequest: number; calls: string }> = {};
  // Cold channels here: the end of the cycle, which this gateway has never read.
  let cold = COLD_IDS - 1;
  for (const key of ["own", "all"] as const) {
    for (const cache of ["warm", "cold"] as const) {
      calls.length = 0;
      for (let n = 0; n < requests; n++) {
        await read(key, cache == "warm" ? WARM_ID : coldId(cold--));
      }
      const byMethod = Object.entries(
        calls.reduce<Record<string, number>>((seen, name) => ({
          ...seen,
          [name]: (seen[name] ?? 0) + 1,
        }), {}),
      ).map(([name, count]) => `${name} ${count / requests}`).join(", ");
      out[`${key} ${cache}`] = { perRequest: calls.length / requests, calls: byMethod || "none" };
    }
  }
  return out;
}
